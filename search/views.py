"""The register's search page. A first version; ranking and facets come with the search work."""

import re

from django.core.paginator import Paginator
from django.shortcuts import render
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
