"""The search page finds published entries and copes with any query."""

import pytest

from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_published_entries_only(client, bristol_register):
    DataUsePageFactory(parent=bristol_register, title="Cameras that read number plates")
    DataUsePageFactory(parent=bristol_register, title="Cameras in a draft", live=False)
    response = client.get("/search/", {"q": "cameras"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>Cameras</mark> that read number plates" in html
    assert "in a draft" not in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("query", ["", " ", "x" * 5000, "'; DROP TABLE x; --", "AND OR NOT", '"', "\u2603" * 50])
def test_any_search_query_gives_a_normal_page(client, bristol_register, query):
    DataUsePageFactory(parent=bristol_register)
    response = client.get("/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200


def test_search_page_uses_a_fixed_number_of_queries(client, bristol_register, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SharingPartnerFactory, add_sharing

    DataUsePageFactory(parent=bristol_register, title="Cameras one")
    client.get("/search/", {"q": "cameras"})
    with CaptureQueriesContext(connection) as small:
        client.get("/search/", {"q": "cameras"})
    for n in range(12):
        page = DataUsePageFactory(parent=bristol_register, title=f"Cameras {n}")
        add_sharing(page, SharingPartnerFactory(locale=page.locale))
    client.get("/search/", {"q": "cameras"})  # new entries: the spelling vocabulary is rebuilt once
    with CaptureQueriesContext(connection) as large:
        html = client.get("/search/", {"q": "cameras"}).content.decode()
    assert html.count('class="app-card"') == 13
    assert "Shares data with other organisations" in html
    assert len(large.captured_queries) == len(small.captured_queries)
    # Page furniture (12), filter choices (3), search and cards (3), facet counts (2), promotions,
    # the search log and the spelling vocabulary's version (5).
    with django_assert_max_num_queries(25):
        client.get("/search/", {"q": "cameras"})


def test_the_query_is_shown_back_without_control_or_direction_characters(client, bristol_register):
    DataUsePageFactory(parent=bristol_register, title="Cameras that read number plates")
    response = client.get("/search/", {"q": "cam\u202eeras\x00 <b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="cameras &lt;b&gt;"' in html
    assert "\u202e" not in html and "\x00" not in html
