"""The search page (every council's register at once) and the search box's title suggestions."""

import re

from django.db.models import Case, Value, When
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from wagtail.models import Locale

from base import memo
from search.query_log import log_search, promoted_pages
from search.text import MAX_QUERY_LENGTH, accent_insensitive_pattern

from . import listing
from .models import DataUsePage, RegisterPage

PROMOTIONS = 3
SUGGESTIONS = 8


def search(request):
    """Search every council's register in the visitor's language, with the register's filters."""
    locale = Locale.get_active()
    base = DataUsePage.objects.for_listing().filter(locale=locale)
    outcome = listing.run(request, base, locale=locale, memo_key=("search", listing.site_pk(request)))
    first_page = request.GET.get("page") in (None, "", "1")
    promoted = []
    if outcome.terms and not outcome.unavailable and first_page:
        promoted = promoted_pages(outcome.terms, locale, PROMOTIONS, request)
        log_search(outcome.query, outcome.terms, outcome.count, locale.language_code)
    response = render(
        request,
        "search/search.html",
        {
            "search": outcome,
            "promoted": promoted,
            "active_filters": outcome.filterset.active_filters(),
            "register_url": memo.remember(
                request,
                ("combined-register-url", locale.pk, listing.site_pk(request)),
                lambda: _combined_register_url(request, locale),
            ),
        },
        status=503 if outcome.unavailable else 200,
    )
    if outcome.unavailable:
        response["Retry-After"] = "300"
    return response


def _combined_register_url(request, locale):
    register = RegisterPage.objects.live().filter(organisation__isnull=True, locale=locale).first()
    return register.get_url(request) if register else "/"


# Title suggestions kept for each language and site, at most this many each (a few hundred bytes each).
MAX_KEPT_SUGGESTIONS = 2000


def suggest(request):
    """Entry titles containing every word typed, for the search box's suggestions (JSON).

    With the memo, the suggestions for what was typed are kept in the process until anything is published:
    people type the same first letters again and again."""
    words = re.findall(r"\w+", request.GET.get("q", "")[:MAX_QUERY_LENGTH])[:6]
    results = []
    if words and len(" ".join(words)) >= 2:
        locale = Locale.get_active()
        store = memo.kept(request, ("suggestions", locale.pk, listing.site_pk(request)), MAX_KEPT_SUGGESTIONS)
        typed = tuple(word.casefold() for word in words)
        results = store.get(typed) if store is not None else None
        if results is None:
            results = _suggestions(request, words, locale)
            if store is not None:
                store.update({typed: results})
    response = JsonResponse({"results": results})
    patch_cache_control(response, public=True, max_age=300)
    return response


def _suggestions(request, words, locale):
    titles = DataUsePage.objects.live().public().filter(locale=locale)
    # With or without accents: "camerau" suggests "Camerâu …" (the Welsh to bach is hard to type).
    patterns = [accent_insensitive_pattern(word) for word in words]
    for pattern in patterns:
        titles = titles.filter(title__iregex=pattern)
    starts = Case(When(title__iregex="^" + patterns[0], then=Value(0)), default=Value(1))
    entries = titles.select_related("organisation").order_by(starts, "title")[:SUGGESTIONS]
    return [
        {
            "title": entry.title,
            "url": entry.get_url(request),
            "council": entry.organisation.short_name if entry.organisation else "",
        }
        for entry in entries
    ]
