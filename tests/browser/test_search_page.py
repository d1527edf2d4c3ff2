"""The search page in Chromium: results, facets, suggestions and no results, with zero axe violations."""

import pytest

from tests.browser.conftest import axe_violations
from tests.browser.test_public_pages import site  # noqa: F401 - the same small register

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "query",
    [
        "?q=cameras",  # results with highlighted extracts and facet counts
        "?q=camras",  # "Did you mean"
        "?q=xylophone",  # nothing found: next steps
        "?q=cameras&council=leeds&sort=title",  # a query with filters
        "",  # no query yet
    ],
)
def test_search_pages_have_no_accessibility_violations(page, live_server, site, query):  # noqa: F811
    response = page.goto(live_server.url + "/search/" + query)
    assert response.status == 200
    assert axe_violations(page) == []


def test_register_search_has_no_accessibility_violations(page, live_server, site):  # noqa: F811
    response = page.goto(live_server.url + site["combined"].url + "?q=chatbot&data=health")
    assert response.status == 200
    assert page.locator(".app-card__title").all_inner_texts() == ["Housing repairs chatbot"]
    assert axe_violations(page) == []


def test_searching_and_filtering_works_without_javascript(page_without_js, live_server, site):  # noqa: F811
    page = page_without_js
    page.goto(live_server.url + "/")
    page.get_by_role("search", name="Search the register").get_by_label("Search the register").fill("camera")
    page.get_by_role("search", name="Search the register").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=camera")
    assert page.locator(".app-card__title").all_inner_texts() == ["Cameras in bus lanes"]
    assert page.get_by_role("status").inner_text().startswith("Showing 1 to 1 of 1 entry matching ‘camera’")
    # Each option says how many results it would leave.
    assert page.get_by_label("Leeds (1 entry)", exact=True).count() == 1
    assert page.get_by_label("Bristol (0 entries)", exact=True).count() == 1

    page.get_by_label("Words to search for").fill("housing repairs")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.wait_for_url("**q=housing+repairs**")
    assert page.locator(".app-card__title").all_inner_texts() == ["Housing repairs chatbot"]
    assert page.locator(".app-card mark").first.inner_text().lower() in {"housing", "repairs"}

    page.goto(live_server.url + "/search/?q=chatbt")
    page.get_by_role("link", name="chatbot").click()
    page.wait_for_url("**/search/?q=chatbot")
    assert page.locator(".app-card__title").all_inner_texts() == ["Housing repairs chatbot"]
