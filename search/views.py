"""The search page and the search box's title suggestions. The searching itself is in search/engine.py."""

import re

from django.db.models import Case, Value, When
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Locale
from wagtail.search.utils import normalise_query_string

from datauses.models import DataUsePage, RegisterPage
from feedback.guards import redact

from . import engine
from .models import SearchWithoutResults

MAX_QUERY_LENGTH = engine.MAX_QUERY_LENGTH
PROMOTIONS = 3


def search(request):
    """Search every council's register in the visitor's language, with the register's filters."""
    locale = Locale.get_active()
    base = DataUsePage.objects.for_listing().filter(locale=locale)
    outcome = engine.run(request, base, locale=locale)
    first_page = request.GET.get("page") in (None, "", "1")
    promoted = []
    if outcome.terms and not outcome.unavailable and first_page:
        promoted = promoted_entries(outcome.terms, locale)
        log_search(outcome, locale)
    response = render(
        request,
        "search/search.html",
        {
            "search": outcome,
            "promoted": promoted,
            "active_filters": outcome.filterset.active_filters(),
            "register_url": _combined_register_url(request, locale),
        },
        status=503 if outcome.unavailable else 200,
    )
    if outcome.unavailable:
        response["Retry-After"] = "300"
    return response


def promoted_entries(terms, locale):
    """Entries editors promoted for these words (Wagtail search promotions), live and in this language."""
    query_string = normalise_query_string(" ".join(terms))
    promotions = (
        SearchPromotion.objects.filter(query__query_string=query_string, page__live=True)
        .filter(page__locale=locale)
        .select_related("page")
        .order_by("sort_order")[:PROMOTIONS]
    )
    return [
        {"title": p.title, "url": p.page.url, "description": p.description or p.page.search_description}
        for p in promotions
    ]


def log_search(outcome, locale):
    """Count the search for editors: the words only, never anything that looks like personal details."""
    query_string = normalise_query_string(" ".join(outcome.terms))
    if not query_string or redact(outcome.query)[1]:
        return
    Query.get(query_string).add_hit()
    if outcome.count == 0:
        SearchWithoutResults.add_hit(query_string, locale.language_code)


def _combined_register_url(request, locale):
    register = RegisterPage.objects.live().filter(organisation__isnull=True, locale=locale).first()
    return register.get_url(request) if register else "/"


SUGGESTIONS = 8


def suggest(request):
    """Entry titles containing every word typed, for the search box's suggestions (JSON)."""
    words = re.findall(r"\w+", request.GET.get("q", "")[:MAX_QUERY_LENGTH])[:6]
    entries = []
    if words and len(" ".join(words)) >= 2:
        titles = DataUsePage.objects.live().public().filter(locale=Locale.get_active())
        # With or without accents: "camerau" suggests "Camerâu …" (the Welsh to bach is hard to type).
        patterns = [engine.accent_insensitive_pattern(word) for word in words]
        for pattern in patterns:
            titles = titles.filter(title__iregex=pattern)
        starts = Case(When(title__iregex="^" + patterns[0], then=Value(0)), default=Value(1))
        entries = titles.select_related("organisation").order_by(starts, "title")[:SUGGESTIONS]
    response = JsonResponse(
        {
            "results": [
                {
                    "title": entry.title,
                    "url": entry.get_url(request),
                    "council": entry.organisation.short_name if entry.organisation else "",
                }
                for entry in entries
            ]
        }
    )
    patch_cache_control(response, public=True, max_age=300)
    return response
