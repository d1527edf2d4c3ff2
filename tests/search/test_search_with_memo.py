"""With the memo on (base.memo, as production runs with Redis), a search's matches are filtered and counted in the
process from each entry's filter values (datauses.listing.facts) instead of by the database. Residents must not be
able to tell: the same results, order, counts, pages and "Did you mean" as without the memo, in fewer queries.
Run on the demo register (three councils, English and Welsh)."""

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from datauses.models import DataCategory, DataUsePage, RegisterPage, ServiceArea
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    # What differs on every request: the feedback forms' signed start times (none on these pages) and nonces.
    return re.sub(r'(nonce|value)="[A-Za-z0-9_:\-+/=]{20,}"', "", response.content.decode())


def searches():
    """Searches and filters of every kind, on the search page and on registers."""
    kinds = list(DataCategory.objects.order_by("slug").values_list("slug", flat=True).distinct()[:2])
    area = ServiceArea.objects.order_by("slug").values_list("slug", flat=True).first()
    bristol = RegisterPage.objects.get(locale__language_code="en-gb", organisation__slug="bristol").url
    combined = RegisterPage.objects.get(locale__language_code="en-gb", organisation__isnull=True).url
    cardiff_welsh = RegisterPage.objects.get(locale__language_code="cy", organisation__slug="cardiff").url
    return [
        "/search/?q=data",
        "/search/?q=cameras",
        "/search/?q=school+meals",
        "/search/?q=data&council=bristol&council=leeds",
        "/search/?q=data&status=in_use&automated=no",
        f"/search/?q=data&data={kinds[0]}&data={kinds[1]}&sharing=yes",
        f"/search/?q=data&service_area={area}&council=cardiff",
        "/search/?q=data&lawful_basis=public_task&status=in_use&automated=yes&sharing=no",
        "/search/?q=camrea",  # "Did you mean cameras?"
        "/search/?q=data&sort=updated",
        "/search/?q=data&page=2",
        "/search/?q=zzqx+cameras",  # no entry has both: entries with either word
        f"{bristol}?q=data&status=pilot",
        f"{bristol}?q=information",
        f"{combined}?q=data&council=leeds",
        f"{cardiff_welsh}?q=data",
        "/cy/search/?q=data",
    ]


@override_settings(SITE_MEMO=True, PAGE_CACHE_SECONDS=0, REGISTER_PAGE_SIZE=5)
def test_a_search_with_the_memo_shows_what_it_shows_without(client, demo):
    urls = searches()
    with override_settings(SITE_MEMO=False):
        worked_out = {url: page(client, url) for url in urls}
    for url in urls:
        # The first time the entries' filter values are worked out and kept; the second, the page is remembered.
        assert page(client, url) == worked_out[url], url
        assert page(client, url) == worked_out[url], url
    # The searches are not all alike: some filters leave nothing, some pages differ.
    assert len(set(worked_out.values())) == len(urls)
    assert "Did you mean" in worked_out["/search/?q=camrea"]


@override_settings(SITE_MEMO=True, PAGE_CACHE_SECONDS=0)
def test_a_new_search_needs_few_queries_with_the_memo(client, demo):
    client.get("/search/", {"q": "cameras"})  # the filter values and the menus are kept from here on

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", params).status_code == 200
        return len(captured)

    remembered = queries({"q": "school meals", "status": "in_use"})
    with override_settings(SITE_MEMO=False):
        worked_out = queries({"q": "parking permits", "status": "in_use"})
    # Left with the memo: the visitor's language, .public()'s view restrictions, the ranking, the cards not
    # shown before, and the search log (2: the words and today's count, each one upsert). No promotions are
    # asked for: no page is promoted for these words.
    assert remembered == 6
    assert worked_out > remembered + 10


@override_settings(SITE_MEMO=True, PAGE_CACHE_SECONDS=0)
def test_a_promotion_shows_at_once_and_goes_at_once(client, demo, django_capture_on_commit_callbacks):
    entry = DataUsePage.objects.live().filter(locale__language_code="en-gb").order_by("pk").first()
    assert "Recommended by the council" not in page(client, "/search/?q=bins")  # the promoted words are kept
    with django_capture_on_commit_callbacks(execute=True):
        promotion = SearchPromotion.objects.create(
            query=Query.get("bins"), page=entry, description="Recommended by the council"
        )
    assert "Recommended by the council" in page(client, "/search/?q=bins")
    assert "Recommended by the council" not in page(client, "/search/?q=cameras")
    with django_capture_on_commit_callbacks(execute=True):
        promotion.delete()
    assert "Recommended by the council" not in page(client, "/search/?q=bins")


@override_settings(SITE_MEMO=True, PAGE_CACHE_SECONDS=0)
def test_title_suggestions_are_remembered_and_a_new_entry_is_suggested_at_once(
    client, demo, django_capture_on_commit_callbacks
):
    def suggested(typed):
        return [result["title"] for result in client.get("/search/suggest/", {"q": typed}).json()["results"]]

    assert suggested("trampoli") == []
    with CaptureQueriesContext(connection) as captured:
        assert suggested("TRAMPOLI") == []  # the same letters in capitals: remembered
    assert len(captured) == 1  # the visitor's language only
    bristol = RegisterPage.objects.get(locale__language_code="en-gb", organisation__slug="bristol")
    entry = DataUsePageFactory(parent=bristol, title="Trampoline park safety checks", live=False)
    with django_capture_on_commit_callbacks(execute=True):
        entry.save_revision().publish()
    assert suggested("trampoli") == ["Trampoline park safety checks"]
