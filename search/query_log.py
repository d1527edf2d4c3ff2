"""What people search for, kept for editors: Wagtail's query counts and our log of searches that found nothing."""

from django.db import connection
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion
from wagtail.search.utils import normalise_query_string

from base import memo
from base.redaction import redact

from .models import SearchWithoutResults


def log_search(query, terms, count, language_code):
    """Count a search: the words only, never anything that looks like personal details."""
    query_string = normalise_query_string(" ".join(terms))
    if not query_string or redact(query)[1]:
        return
    _count_hit(query_string)
    if count == 0:
        SearchWithoutResults.add_hit(query_string, language_code)


def _count_hit(query_string):
    """Query.get(query_string).add_hit() in two statements, whether or not the words were searched before
    (Wagtail's own takes up to nine, with savepoints, for words searched for the first time today)."""
    query = Query.objects.bulk_create(
        [Query(query_string=query_string)],
        update_conflicts=True,
        unique_fields=["query_string"],
        update_fields=["query_string"],
    )[0]
    table = connection.ops.quote_name(QueryDailyHits._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query_id, date, hits) VALUES (%s, %s, 1) "  # noqa: S608 (our table's name)
            f"ON CONFLICT (query_id, date) DO UPDATE SET hits = {table}.hits + 1",
            [query.pk, timezone.now().date()],
        )


def promoted_pages(terms, locale, limit, request=None):
    """Pages editors promoted for these words (Wagtail search promotions), live and in this language.

    With the request, the words any page is promoted for are remembered until a promotion or a page changes
    (base.memo), so a search for other words asks nothing more."""
    query_string = normalise_query_string(" ".join(terms))
    promoted = memo.shared(request, ("promoted-words",), _promoted_words)
    if query_string not in promoted:
        return []
    promotions = (
        SearchPromotion.objects.filter(query__query_string=query_string, page__live=True)
        .filter(page__locale=locale)
        .select_related("page")
        .order_by("sort_order")[:limit]
    )
    return [
        {"title": p.title, "url": p.page.url, "description": p.description or p.page.search_description}
        for p in promotions
    ]


def _promoted_words():
    return frozenset(SearchPromotion.objects.values_list("query__query_string", flat=True))
