"""The Welsh register, entry and feedback form, and a right-to-left (Urdu) page, in Chromium with axe."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.browser.conftest import axe_violations
from tests.factories import (
    DataCategoryFactory,
    DataUsePageFactory,
    ServiceAreaFactory,
    add_category,
    translate,
    urdu_added,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def welsh_site(home_page, combined_register, bristol_register, locale):
    welsh = Locale.objects.create(language_code="cy")
    housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
    health = DataCategoryFactory(name="Health", slug="health", locale=locale)
    entry = DataUsePageFactory(
        parent=bristol_register, title="Housing repairs", summary="We book repairs.", service_area=housing
    )
    add_category(entry, health, reason="Some repairs are urgent.")
    translate(housing, welsh, name="Tai")
    translate(health, welsh, name="Iechyd")
    translate(bristol_register.organisation, welsh, name="Cyngor Dinas Bryste", short_name="Bryste")
    translate(home_page, welsh, title="Cofrestr Defnyddio Data")
    register = translate(combined_register, welsh, title="Cofrestr pob cyngor")
    translate(bristol_register, welsh, title="Cofrestr Bryste")
    welsh_entry = translate(
        entry,
        welsh,
        title="Atgyweirio tai",
        summary="Rydym yn trefnu atgyweiriadau.",
        **{f"data_categories.{entry.data_categories.get().translation_key}.reason": "Mae rhai atgyweiriadau yn frys."},
    )
    return {"register": register, "entry": welsh_entry, "english": entry}


def test_welsh_register_entry_and_feedback_form_have_no_accessibility_violations(page, live_server, welsh_site):
    response = page.goto(live_server.url + welsh_site["register"].url)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.get_by_text("Atgyweirio tai").first).to_be_visible()
    assert axe_violations(page) == []

    page.goto(live_server.url + welsh_site["entry"].url)
    assert page.locator("h1").inner_text() == "Atgyweirio tai"
    assert axe_violations(page) == []

    # The feedback form, shown again with an error message when nothing is chosen.
    form = page.locator("form[action*='/cy/feedback/']").first
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/cy/feedback/*/")
    assert page.locator("html").get_attribute("lang") == "cy"
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert axe_violations(page) == []


def test_the_switcher_takes_a_reader_to_the_welsh_page_and_back(page, live_server, welsh_site):
    page.goto(live_server.url + welsh_site["english"].url)
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url(live_server.url + welsh_site["entry"].url)
    assert page.locator("h1").inner_text() == "Atgyweirio tai"
    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + welsh_site["english"].url)
    assert page.locator("h1").inner_text() == "Housing repairs"
    # The choice is remembered: the English page stays English even for a browser that prefers Welsh.
    page.set_extra_http_headers({"Accept-Language": "cy"})
    page.goto(live_server.url + welsh_site["english"].url)
    assert page.locator("h1").inner_text() == "Housing repairs"


@pytest.fixture
def urdu_site(home_page, combined_register, bristol_register, locale):
    with urdu_added() as urdu:
        housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
        entry = DataUsePageFactory(parent=bristol_register, title="Housing repairs", service_area=housing)
        translate(housing, urdu, name="رہائش")
        translate(bristol_register.organisation, urdu, name="برسٹل سٹی کونسل", short_name="برسٹل")
        translate(home_page, urdu, title="ڈیٹا کے استعمال کا رجسٹر")
        register = translate(combined_register, urdu, title="تمام کونسلوں کا رجسٹر")
        translate(bristol_register, urdu, title="برسٹل کا رجسٹر")
        translate(entry, urdu, title="گھروں کی مرمت", summary="ہم مرمت کا وقت طے کرتے ہیں۔")
        yield register


def test_a_right_to_left_page_is_laid_out_right_to_left(page, live_server, urdu_site):
    response = page.goto(live_server.url + urdu_site.url)
    assert response.status == 200
    html = page.locator("html")
    assert html.get_attribute("lang") == "ur" and html.get_attribute("dir") == "rtl"
    # The filters, first in the page, sit on the right; the results to their left.
    filters = page.locator(".govuk-grid-column-one-third").first.bounding_box()
    results = page.locator("#results").bounding_box()
    assert filters["x"] > results["x"]
    # A tick box sits to the right of its label.
    box = page.locator(".govuk-checkboxes__input").first.bounding_box()
    label = page.locator(".govuk-checkboxes__label").first.bounding_box()
    assert box["x"] > label["x"]
    expect(page.get_by_text("گھروں کی مرمت").first).to_be_visible()
    assert axe_violations(page) == []
