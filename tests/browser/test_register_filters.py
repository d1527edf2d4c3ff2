"""The register's filters on a phone and on a wide screen, with and without JavaScript, on the demo's /bristol/.

On a phone the filters are a closed panel, so the results come first; on a wide screen they are open. The chosen
filters are listed above the results, each with a link that removes it. Zero axe violations in every state.
"""

import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from playwright.sync_api import expect
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from datauses.models import DataCategory, ServiceArea, SharingPartner
from demo.loader import DEMO_DIR, DemoLoader
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
# The first entry must start within the first screenful or so on a phone (it was about 3,600px down).
FIRST_RESULT_WITHIN = 1000


@pytest.fixture
def register_url(live_server, locale):
    """The demo's Bristol register as the demo loader makes it: 13 entries and over 40 filter options.

    Only the terms and Bristol's file are loaded, not the whole demo, so each test makes its own in about a second
    (live_server empties the database after every test, so data cannot be shared across tests here).
    """
    # What the migrations make, in case a transactional test run before this one flushed it away.
    Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    loader = DemoLoader()
    taxonomy = json.loads((DEMO_DIR / "taxonomy.json").read_text(encoding="utf-8"))
    with transaction.atomic(), disable_reference_index_auto_update():
        home = loader.ensure_home()
        loader.ensure_terms(ServiceArea, taxonomy["service_areas"])
        loader.ensure_terms(DataCategory, taxonomy["data_categories"])
        loader.ensure_terms(SharingPartner, taxonomy["partners"])
        loader.load_council(home, json.loads((DEMO_DIR / "bristol.json").read_text(encoding="utf-8")))
    return live_server.url + "/bristol/"


def open_page(browser, size, javascript):
    context = browser.new_context(viewport=size, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def phone(browser):
    context, page = open_page(browser, PHONE, javascript=True)
    yield page
    context.close()


@pytest.fixture
def wide(browser):
    context, page = open_page(browser, WIDE, javascript=True)
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser):
    context, page = open_page(browser, PHONE, javascript=False)
    yield page
    context.close()


@pytest.fixture
def wide_without_js(browser):
    context, page = open_page(browser, WIDE, javascript=False)
    yield page
    context.close()


def details(page):
    return page.locator("details#register-filters")


def is_open(page):
    return details(page).evaluate("el => el.open")


def summary(page):
    return details(page).locator("summary")


def first_filter(page):
    """The first option of the Status filter: one of the controls in the panel."""
    return page.get_by_role("group", name="Status").get_by_role("checkbox").first


def first_card_top(page):
    return page.locator(".app-card").first.bounding_box()["y"]


def axe_violations_without_javascript(browser, url, size, open_filters=False):
    """axe's findings on a page as a browser without JavaScript shows it, the filters closed or opened.

    axe needs timers, and they never run in a context with JavaScript off. So axe checks the same address in a
    context with JavaScript on but every script of the site refused: the Content-Security-Policy allows no inline
    script, so the page is left exactly as it is without JavaScript.
    """
    context = browser.new_context(viewport=size)
    context.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    try:
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(url)
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
        assert not is_open(page)
        assert page.locator("[data-app-filters-ready]").count() == 0
        if open_filters:
            summary(page).click()
            assert is_open(page)
        return axe_violations(page)
    finally:
        context.close()


def test_on_a_phone_the_filters_are_closed_and_the_results_come_first(phone, register_url):
    page = phone
    assert page.goto(register_url).status == 200
    page.wait_for_selector("details#register-filters[data-app-filters-ready]", state="attached")
    assert not is_open(page)
    assert not first_filter(page).is_visible()
    assert summary(page).inner_text().strip() == "Search and filter"
    assert first_card_top(page) < FIRST_RESULT_WITHIN
    assert page.locator("#result-count").inner_text().startswith("Showing 1 to ")
    assert axe_violations(page) == []

    summary(page).click()
    assert is_open(page)
    expect(first_filter(page)).to_be_visible()
    assert axe_violations(page) == []

    # The skip link still takes a keyboard user past the 40-odd controls to the results.
    skip = page.get_by_role("link", name=re.compile(r"^Skip to the \d+ matching entries$"))
    skip.click()
    page.wait_for_url("**#results")
    expect(page.locator("#results")).to_be_focused()


def test_on_a_wide_screen_the_filters_are_open_and_close_on_a_narrow_one(wide, register_url):
    page = wide
    page.goto(register_url)
    page.wait_for_selector("details#register-filters[data-app-filters-ready]", state="attached")
    assert is_open(page)
    expect(first_filter(page)).to_be_visible()
    assert axe_violations(page) == []

    # Made narrow (a tablet turned, a window dragged), the panel the script opened closes again, and back.
    page.set_viewport_size(PHONE)
    expect(details(page)).to_have_js_property("open", False)
    page.set_viewport_size(WIDE)
    expect(details(page)).to_have_js_property("open", True)

    # A resident may close it on a wide screen too.
    summary(page).click()
    assert not is_open(page)
    assert not first_filter(page).is_visible()
    assert axe_violations(page) == []


def test_without_javascript_a_phone_opens_the_filters_and_removes_them_one_by_one(
    phone_without_js, browser, register_url
):
    page = phone_without_js
    page.goto(register_url)
    assert not is_open(page)
    assert not first_filter(page).is_visible()
    assert first_card_top(page) < FIRST_RESULT_WITHIN
    assert axe_violations_without_javascript(browser, page.url, PHONE) == []
    assert axe_violations_without_javascript(browser, page.url, PHONE, open_filters=True) == []
    everything = page.locator("#result-count").inner_text()

    summary(page).click()
    assert is_open(page)
    expect(first_filter(page)).to_be_visible()
    page.get_by_role("group", name="Status").get_by_role("checkbox", name=re.compile(r"^In use ")).check()
    automated = page.get_by_role("group", name="Uses automated decisions or AI")
    automated.get_by_role("radio", name=re.compile(r"^No ")).check()
    page.get_by_label("Sort by").select_option("updated")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.wait_for_url(re.compile(r"status=in_use"))

    # The panel is closed again and says how many filters are on; the results come first, headed by the count
    # and the chosen filters.
    assert not is_open(page)
    assert summary(page).inner_text().strip() == "Search and filter (2 filters applied)"
    chosen = page.locator("#active-filters")
    assert page.locator("#result-count").bounding_box()["y"] < chosen.bounding_box()["y"] < first_card_top(page)
    assert chosen.bounding_box()["y"] < FIRST_RESULT_WITHIN
    assert page.locator("#result-count").inner_text() != everything
    remove_status = chosen.get_by_role("link", name="Remove filter Status: In use", exact=True)
    remove_automated = chosen.get_by_role("link", name="Remove filter Uses automated decisions or AI: No", exact=True)
    expect(remove_status).to_be_visible()
    expect(remove_automated).to_be_visible()
    expect(chosen.get_by_role("link", name="Clear all filters")).to_be_visible()
    assert axe_violations_without_javascript(browser, page.url, PHONE) == []

    # Removing one filter keeps the other and the sort order, and goes back to the first page.
    remove_status.click()
    page.wait_for_url(lambda url: "status=" not in url)
    assert "automated=no" in page.url and "sort=updated" in page.url
    assert summary(page).inner_text().strip() == "Search and filter (1 filter applied)"
    assert page.locator("#active-filters").get_by_role("link", name=re.compile("^Remove filter")).count() == 1
    expect(remove_automated).to_be_visible()

    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_url(lambda url: "automated=" not in url)
    assert "sort=updated" in page.url
    assert page.locator("#active-filters").count() == 0
    assert page.locator("#result-count").inner_text() == everything
    assert summary(page).inner_text().strip() == "Search and filter"


def test_without_javascript_a_wide_screen_shows_the_filters_of_the_closed_panel(wide_without_js, browser, register_url):
    page = wide_without_js
    page.goto(register_url)
    assert not is_open(page)
    expect(first_filter(page)).to_be_visible()
    assert axe_violations_without_javascript(browser, page.url, WIDE) == []
    assert axe_violations_without_javascript(browser, page.url, WIDE, open_filters=True) == []

    summary(page).click()
    assert is_open(page)
    expect(first_filter(page)).to_be_visible()
    first_filter(page).check()
    page.get_by_role("button", name="Apply", exact=True).click()
    page.wait_for_url(re.compile(r"status="))
    assert page.locator("#active-filters").get_by_role("link", name=re.compile("^Remove filter Status: ")).count() == 1
    assert axe_violations_without_javascript(browser, page.url, WIDE) == []
