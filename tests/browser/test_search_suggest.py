"""The header search box in Chromium: suggestions as you type, by keyboard and by screen reader, and the plain form."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db(transaction=True)

SUGGEST_URL = "**/search/suggest/?q=*"


@pytest.fixture
def entries(home_page, bristol_register, leeds_register):
    return {
        "cameras": DataUsePageFactory(parent=leeds_register, title="Cameras in bus lanes"),
        "traffic": DataUsePageFactory(parent=bristol_register, title="Traffic cameras at junctions"),
        "bins": DataUsePageFactory(parent=bristol_register, title="Sensors in communal bins"),
    }


def header_search(page):
    return page.get_by_role("banner").get_by_role("search", name="Search the register")


def status(page):
    return header_search(page).get_by_role("status")


def suggestions(page):
    return page.get_by_role("listbox", name="Suggested entries")


def type_in_search_box(page, live_server, text, path="/"):
    page.goto(live_server.url + path)
    box = header_search(page).locator("input[name=q]")
    assert box.get_attribute("role") == "combobox", "search-suggest.js is not on the page (see templates/base.html)"
    box.press_sequentially(text)
    return box


def let_the_page_catch_up(page):
    """Wait for two animation frames, so the page has run the callbacks an answer queued and drawn the result."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def test_typing_shows_matching_entry_titles_with_their_council(page, live_server, entries):
    type_in_search_box(page, live_server, "cam")
    options = suggestions(page).get_by_role("option")
    options.first.wait_for()
    assert options.all_text_contents() == ["Cameras in bus lanes, Leeds", "Traffic cameras at junctions, Bristol"]
    expect(suggestions(page).get_by_role("option", name="Cameras in bus lanes")).to_be_visible()


def test_combobox_has_the_aria_attributes_and_announces_the_count(page, live_server, entries):
    box = type_in_search_box(page, live_server, "")
    listbox_id = box.get_attribute("aria-controls")
    assert box.get_attribute("aria-autocomplete") == "list"
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(f"#{listbox_id}").get_attribute("role") == "listbox"
    assert status(page).get_attribute("aria-live") == "polite"

    box.press_sequentially("cam")
    suggestions(page).wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-activedescendant") is None
    assert status(page).inner_text() == "2 suggestions available. Use up and down arrows to choose."

    box.press("ArrowDown")
    first = suggestions(page).get_by_role("option").first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert box.evaluate("el => el === document.activeElement"), "focus stays in the box"


def test_one_suggestion_is_announced_in_the_singular(page, live_server, entries):
    type_in_search_box(page, live_server, "bins")
    suggestions(page).wait_for()
    assert status(page).inner_text() == "1 suggestion available. Use up and down arrows to choose."


def test_no_matches_are_announced_and_the_list_stays_closed(page, live_server, entries):
    box = type_in_search_box(page, live_server, "zebra")
    expect(status(page)).to_have_text("No suggestions")
    assert box.get_attribute("aria-expanded") == "false"
    assert not suggestions(page).is_visible()


def test_arrow_down_and_enter_open_the_suggested_entry(page, live_server, entries):
    box = type_in_search_box(page, live_server, "cam")
    suggestions(page).wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/leeds/cameras-in-bus-lanes/")
    expect(page.get_by_role("heading", name="Cameras in bus lanes")).to_be_visible()


def test_arrow_keys_move_through_the_suggestions_and_wrap(page, live_server, entries):
    box = type_in_search_box(page, live_server, "cam")
    options = suggestions(page).get_by_role("option")
    options.first.wait_for()
    box.press("ArrowUp")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(0).get_attribute("id")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/bristol/traffic-cameras-at-junctions/")


def test_clicking_a_suggestion_opens_the_entry(page, live_server, entries):
    type_in_search_box(page, live_server, "cam")
    suggestions(page).get_by_role("option", name="Traffic cameras at junctions").click()
    page.wait_for_url("**/bristol/traffic-cameras-at-junctions/")


def test_escape_closes_the_list_and_keeps_the_text(page, live_server, entries):
    box = type_in_search_box(page, live_server, "cam")
    suggestions(page).wait_for()
    box.press("ArrowDown")
    box.press("Escape")
    assert not suggestions(page).is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-activedescendant") is None
    assert box.input_value() == "cam"
    box.press("ArrowDown")  # opens the list again
    expect(suggestions(page)).to_be_visible()


def test_enter_without_choosing_a_suggestion_searches_as_before(page, live_server, entries):
    box = type_in_search_box(page, live_server, "cam")
    suggestions(page).wait_for()
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=cam$"))


@pytest.mark.parametrize("path", ["/", "/leeds/cameras-in-bus-lanes/"], ids=["service-brand", "council-brand"])
def test_open_suggestions_have_no_accessibility_violations(page, live_server, entries, path):
    box = type_in_search_box(page, live_server, "cam", path)
    suggestions(page).wait_for()
    box.press("ArrowDown")
    assert axe_violations(page) == []


def test_typing_a_word_asks_for_suggestions_once(page, live_server, entries):
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/search/suggest/" in request.url else None)
    type_in_search_box(page, live_server, "camera")
    suggestions(page).wait_for()
    assert [url.rsplit("?", 1)[1] for url in asked] == ["q=camera"]


def test_a_late_answer_to_an_earlier_query_is_ignored(page, live_server, entries):
    held = []

    def hold_the_first_answer(route):
        if route.request.url.endswith("q=ca"):
            held.append(route)
        else:
            route.continue_()

    page.route(SUGGEST_URL, hold_the_first_answer)
    with page.expect_request(lambda request: request.url.endswith("q=ca")):  # past the typing pause
        box = type_in_search_box(page, live_server, "ca")
    box.press_sequentially("mera")
    suggestions(page).wait_for()
    assert len(held) == 1
    stale = {"results": [{"title": "An out-of-date suggestion", "url": "/leeds/", "council": "Leeds"}]}
    if held[0].request.failure is None:  # the page is still waiting for it: answer, and let the page handle it
        with page.expect_event("requestfinished", lambda request: request == held[0].request):
            held[0].fulfill(status=200, content_type="application/json", body=json.dumps(stale))
        let_the_page_catch_up(page)
    # else the page had already given up on it (aborted it): also fine, nothing can arrive late
    assert suggestions(page).get_by_role("option").all_text_contents() == [
        "Cameras in bus lanes, Leeds",
        "Traffic cameras at junctions, Bristol",
    ]


def test_when_suggestions_fail_the_search_form_still_works(page, live_server, entries):
    page.route(SUGGEST_URL, lambda route: route.fulfill(status=500, body="Server error"))
    with page.expect_response(SUGGEST_URL) as answer:
        box = type_in_search_box(page, live_server, "cameras")
    assert answer.value.status == 500
    let_the_page_catch_up(page)
    assert not suggestions(page).is_visible()
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=cameras$"))


def test_without_javascript_the_header_form_goes_to_the_search_results(page_without_js, live_server, entries):
    page = page_without_js
    page.goto(live_server.url + "/")
    box = header_search(page).get_by_role("searchbox", name="Search the register")
    assert box.get_attribute("role") is None
    box.fill("cameras")
    header_search(page).get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search/\?q=cameras$"))
    expect(page.get_by_role("link", name="Cameras in bus lanes")).to_be_visible()
