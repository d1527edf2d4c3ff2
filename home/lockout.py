"""The page shown instead of the admin's sign-in when django-axes has paused sign-in after too many wrong passwords.

settings.AXES_LOCKOUT_CALLABLE points here. It says in plain words what happened, when the pause ends and who
can help, with 429 Too Many Requests and Retry-After.
"""

import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone


def locked_out(request, original_response=None, credentials=None):
    username = get_client_username(request, credentials) or ""
    cool_off = get_cool_off(request)
    # The pause runs from the last counted wrong password (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off).
    last_failure = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(last=Max("attempt_time"))["last"]
    ends = (last_failure or timezone.now()) + cool_off
    seconds_left = max(60, math.ceil((ends - timezone.now()).total_seconds()))
    context = {
        "username": username,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "ends": ends,
        "minutes_left": math.ceil(seconds_left / 60),
    }
    response = render(request, "home/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(seconds_left)
    return response
