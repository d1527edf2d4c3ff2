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
    assert "Cameras that read number plates" in html
    assert "Cameras in a draft" not in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize("query", ["", " ", "x" * 5000, "'; DROP TABLE x; --", "AND OR NOT", '"', "\u2603" * 50])
def test_any_search_query_gives_a_normal_page(client, bristol_register, query):
    DataUsePageFactory(parent=bristol_register)
    response = client.get("/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200
