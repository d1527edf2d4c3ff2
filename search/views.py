"""The register's search page. A first version; ranking and facets come with the search work."""

import re

from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from wagtail.models import Locale

from datauses.models import DataUsePage

MAX_QUERY_LENGTH = 200


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    # Search engines give quotes and symbols special meanings; people rarely mean them, so keep words only.
    terms = " ".join(re.findall(r"\w+", query))
    results = DataUsePage.objects.none()
    if terms:
        entries = DataUsePage.objects.live().public().filter(locale=Locale.get_active())
        results = entries.search(terms)
    paginator = Paginator(results, 20)
    page_obj = paginator.get_page(request.GET.get("page"))
    # Load this page's entries with what their cards need in one query, keeping the search's order.
    hits = [hit.pk for hit in page_obj.object_list]
    cards = DataUsePage.objects.for_listing().in_bulk(hits)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "paginator": paginator,
            "results": [cards[pk] for pk in hits if pk in cards],
        },
    )


SUGGESTIONS = 8


def suggest(request):
    """Entry titles containing every word typed, for the search box's suggestions (JSON)."""
    words = re.findall(r"\w+", request.GET.get("q", "")[:MAX_QUERY_LENGTH])[:6]
    entries = []
    if words and len(" ".join(words)) >= 2:
        titles = DataUsePage.objects.live().public().filter(locale=Locale.get_active())
        for word in words:
            titles = titles.filter(title__icontains=word)
        starts = Case(When(title__istartswith=words[0], then=Value(0)), default=Value(1))
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
