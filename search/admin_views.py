"""What people search for: the most frequent searches and those that found nothing."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.search_promotions.models import QueryDailyHits

from .models import SearchWithoutResults

PERIODS = {"7": _("The last 7 days"), "30": _("The last 30 days"), "90": _("The last 90 days")}
ROWS = 50


def can_see_searches(user):
    """The people who choose promoted results see what people search for."""
    return user.is_active and (user.is_superuser or user.has_perm("wagtailsearchpromotions.add_searchpromotion"))


def searches(request):
    if not can_see_searches(request.user):
        raise PermissionDenied
    period = request.GET.get("days") if request.GET.get("days") in PERIODS else "30"
    since = timezone.localdate() - datetime.timedelta(days=int(period) - 1)
    frequent = (
        QueryDailyHits.objects.filter(date__gte=since)
        .values("query__query_string")
        .annotate(total=Sum("hits"))
        .order_by("-total", "query__query_string")[:ROWS]
    )
    empty = (
        SearchWithoutResults.objects.filter(date__gte=since)
        .values("query_string", "language")
        .annotate(total=Sum("hits"))
        .order_by("-total", "query_string")[:ROWS]
    )
    return render(
        request,
        "search/admin/searches.html",
        {
            "page_title": _("Searches"),
            "periods": PERIODS,
            "period": period,
            "frequent": frequent,
            "empty": empty,
        },
    )
