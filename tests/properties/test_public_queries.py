"""Property tests for every public query parameter: the register pages, the search page and its title
suggestions, in English and Welsh. Whatever the query string holds, the page answers without a server error
and shows nothing unescaped."""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.properties.strategies import assert_escaped, few, hostile_text

pytestmark = pytest.mark.django_db

FILTERS = ["council", "service_area", "data", "lawful_basis", "status", "automated", "sharing", "sort"]
KNOWN_VALUES = ["housing", "health", "bristol", "leeds", "yes", "no", "title", "updated", "public_task", "live"]

keys = st.sampled_from(["q", "page", *FILTERS]) | st.text(max_size=10)
values = (
    st.sampled_from(KNOWN_VALUES)
    | hostile_text
    | st.integers(min_value=-(10**20), max_value=10**20).map(str)
    | st.sampled_from(["0", "-1", "1e9", "last", "9" * 400, "2.5", " 1", "١"])
)
# A list of pairs, so keys repeat (?status=live&status=<script>...) as a browser or a bot may send them.
query_strings = st.lists(st.tuples(keys, values), max_size=8).map(urlencode)
# Percent-escapes that are not UTF-8, half an escape, and separators in odd places.
# PostgreSQL refuses NUL in text, so a NUL must never reach a query, whichever parameter carries it.
NUL_EVERYWHERE = "&".join(f"{key}=%00" for key in ["q", "page", *FILTERS])
raw_query_strings = st.sampled_from(["q=%ff%fe", "q=%", "q=%zz&page=%00", "&&==&q", "q=%E2%80%AE", "page=%C0%AF"])


def check(response):
    assert response.status_code < 500, response.status_code
    assert_escaped(response)


@pytest.mark.parametrize(("language", "kind"), [("english", "register"), ("english", "council"), ("welsh", "register")])
def test_register_pages_answer_any_filter_sort_or_page(client, site, clear_cache, language, kind):
    url = site[language][kind].url

    @few(20)
    @given(query=query_strings | raw_query_strings)
    @example(query=NUL_EVERYWHERE)
    def visit(query):
        clear_cache()
        check(client.get(f"{url}?{query}"))

    visit()


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_search_answers_any_query_filters_and_page(client, site, clear_cache, prefix):
    @few(25)
    @given(q=hostile_text, query=query_strings | raw_query_strings)
    @example(q="cameras\x00", query=NUL_EVERYWHERE)
    def visit(q, query):
        clear_cache()
        check(client.get(f"{prefix}/search/?{urlencode({'q': q})}&{query}"))

    visit()


@pytest.mark.parametrize("prefix", ["", "/cy"])
def test_title_suggestions_are_always_json(client, site, prefix):
    @few(25)
    @given(q=hostile_text | st.sampled_from(["ca", "cam", "Camerâu", "hous rep", "a" * 200]))
    @example(q="hous\x00ing")
    def suggest(q):
        response = client.get(f"{prefix}/search/suggest/", {"q": q})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        results = json.loads(response.content)["results"]
        assert isinstance(results, list)

    suggest()


def test_searching_for_an_entry_still_finds_it_with_a_payload_beside_it(client, site):
    response = client.get("/search/", {"q": "repairs <script>xq7()</script>", "status": "<xq7>"})
    assert response.status_code == 200
    assert_escaped(response)
    assert "&lt;script&gt;xq7()&lt;/script&gt;" in response.content.decode()
