"""The page shown when something breaks, and the one shown while the database is away.

A database outage is not a bug in the page: it answers 503 Service Unavailable with Retry-After, from a template
that needs neither the database nor the cache, and a visitor who was sending feedback sees their own words back so
they can keep them. When the database returns, the next request simply reconnects (conn_health_checks)."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# The public forms' free-text fields, shown back to the person who typed them.
TYPED_FIELDS = ("comment", "details")


def database_is_away(error):
    # OperationalError: cannot connect, or the connection dropped. InterfaceError: the connection was already closed.
    return isinstance(error, (OperationalError, InterfaceError)) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    )


def server_error(request):
    """handler500: Django calls it inside its `except`, so the exception is still at hand."""
    error = sys.exc_info()[1]
    if error is not None and database_is_away(error):
        return service_unavailable(request)
    return HttpResponseServerError(render_to_string("500.html"))


def service_unavailable(request):
    typed = []
    if request.method == "POST":
        try:
            typed = [request.POST.get(name, "") for name in TYPED_FIELDS]
        except Exception:
            logger.warning("Could not read the form sent during a database outage", exc_info=True)
    context = {
        "language": get_language() or "en-gb",
        "sending": request.method == "POST",
        "typed": [text for text in typed if text.strip()],
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
