"""Every public page type in Chromium: zero axe violations, and the register works without JavaScript."""

import datetime

import pytest
from playwright.sync_api import expect

from datauses.models import DataUsePage, DecisionMaking, Status
from tests.browser.conftest import axe_violations
from tests.factories import (
    ContentPageFactory,
    DataCategoryFactory,
    DataUsePageFactory,
    ServiceAreaFactory,
    ServiceOwnerTeamFactory,
    SharingPartnerFactory,
    add_assessment,
    add_category,
    add_risk,
    add_sharing,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site(home_page, combined_register, bristol_register, leeds_register, bristol, locale):
    housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
    transport = ServiceAreaFactory(name="Transport and parking", slug="transport", locale=locale)
    health = DataCategoryFactory(name="Health", slug="health", is_special_category=True, locale=locale)
    police = SharingPartnerFactory(name="Avon and Somerset Police", website="https://www.example.org", locale=locale)
    team = ServiceOwnerTeamFactory(organisation=bristol, name="Repairs Team", locale=locale)
    chatbot = DataUsePageFactory(
        parent=bristol_register,
        title="Housing repairs chatbot",
        service_area=housing,
        owner_team=team,
        uses_algorithm=True,
        decision_making=DecisionMaking.ASSISTED,
        algorithm_description="It reads your message and suggests a repair type.",
        human_review="A repairs officer checks every booking.",
        status=Status.PILOT,
        start_date=datetime.date(2025, 5, 1),
        body=[("callout", {"title": "Talk to a person", "text": "<p>You can always phone us.</p>"})],
    )
    add_category(chatbot, health, reason="Some repairs are urgent for disabled tenants.")
    add_sharing(chatbot, police)
    add_risk(chatbot)
    add_assessment(chatbot)
    DataUsePageFactory(
        parent=leeds_register,
        title="Cameras in bus lanes",
        service_area=transport,
        next_review_due=datetime.date(2021, 1, 1),
        last_reviewed=datetime.date(2020, 1, 1),
    )
    content = ContentPageFactory(
        parent=home_page, slug="accessibility-statement", body=[("paragraph", "<p>We test every page.</p>")]
    )
    return {"chatbot": chatbot, "content": content, "combined": combined_register, "bristol": bristol_register}


def assert_accessible(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert axe_violations(page) == [], url


def test_home_page_has_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, live_server.url + "/")
    expect(page.get_by_role("link", name="Bristol City Council", exact=True)).to_be_visible()


def test_register_pages_have_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, live_server.url + site["combined"].url)
    assert_accessible(page, live_server.url + site["bristol"].url)
    assert_accessible(page, live_server.url + site["combined"].url + "?council=leeds&sharing=no&sort=updated")


def test_entry_page_has_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, live_server.url + site["chatbot"].url)
    expect(page.get_by_role("heading", name="Housing repairs chatbot")).to_be_visible()


def test_overdue_entry_page_has_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, live_server.url + "/leeds/cameras-in-bus-lanes/")
    expect(page.get_by_text("This entry is overdue for review")).to_be_visible()


def test_content_search_and_not_found_pages_have_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, live_server.url + site["content"].url)
    assert_accessible(page, live_server.url + "/search/?q=chatbot")
    page.goto(live_server.url + "/no-such-page/")
    assert axe_violations(page) == []


def test_filters_work_without_javascript_and_the_url_can_be_shared(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + site["combined"].url)
    assert page.locator(".app-card").count() == 2
    page.get_by_label("Leeds (1 entry)", exact=True).check()
    page.get_by_role("button", name="Apply", exact=True).click()
    page.wait_for_url("**council=leeds**")
    titles = page.locator(".app-card__title").all_inner_texts()
    assert titles == ["Cameras in bus lanes"]
    shared_url = page.url
    page.goto(shared_url)
    assert page.get_by_label("Leeds (1 entry)", exact=True).is_checked()
    assert page.locator(".app-card__title").all_inner_texts() == ["Cameras in bus lanes"]


def test_keyboard_user_can_skip_to_the_content(page, live_server, site):
    page.goto(live_server.url + site["combined"].url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**#main-content")
    # Focus moves into the main content, so the next Tab goes to the first link after the navigation.
    page.wait_for_function("document.activeElement && document.activeElement.closest('#main-content') !== null")


def test_open_data_page_has_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, live_server.url + "/open-data/")
    expect(page.get_by_role("table").get_by_text("kinds_of_data", exact=True)).to_be_visible()


def test_downloads_work_without_javascript(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + "/open-data/")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).first.click()
    assert download.value.suggested_filename == "data-use-register.csv"
    with open(download.value.path(), encoding="utf-8-sig") as csv_file:
        assert "Housing repairs chatbot" in csv_file.read()
    # From a register page, the link below the results downloads what the page lists.
    page.goto(live_server.url + site["combined"].url + "?council=leeds")
    with page.expect_download() as download:
        page.locator("#downloads").get_by_role("link", name="a spreadsheet (CSV)").click()
    assert download.value.suggested_filename == "data-use-register-leeds.csv"
    with open(download.value.path(), encoding="utf-8-sig") as csv_file:
        text = csv_file.read()
    assert "Cameras in bus lanes" in text and "Housing repairs chatbot" not in text


def publish_twice(entry):
    """Two published versions of ``entry``, the second with a new summary and a change note."""
    DataUsePage.objects.get(pk=entry.pk).save_revision().publish()
    page = DataUsePage.objects.get(pk=entry.pk)
    page.summary = "A chatbot that books repairs and now also answers questions about rent."
    page.change_note = "It now answers questions about rent too."
    page.save_revision().publish()
    return page


def test_versions_page_has_no_accessibility_violations(page, live_server, site):
    entry = publish_twice(site["chatbot"])
    assert_accessible(page, f"{live_server.url}/entries/{entry.reference}/versions/")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="Summary")).to_be_visible()
    expect(table.get_by_text("now also answers questions about rent")).to_be_visible()


def test_versions_can_be_compared_without_javascript(page_without_js, live_server, site):
    entry = publish_twice(site["chatbot"])
    page = page_without_js
    page.goto(live_server.url + entry.url)
    page.get_by_role("link", name="Every published version of this entry, and what changed").click()
    page.get_by_label("Earlier version").select_option("2")
    page.get_by_label("Later version").select_option("2")
    page.get_by_role("button", name="Compare").click()
    assert "from=2&to=2" in page.url
    expect(page.get_by_text("You chose the same version twice.")).to_be_visible()
    page.get_by_label("Earlier version").select_option("1")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="What changed from version 1 to version 2")).to_be_visible()


def test_alerts_page_has_no_accessibility_violations(page, live_server, site):
    assert_accessible(page, f"{live_server.url}/feedback/alerts/?council=bristol")
    assert page.get_by_label("Council").input_value() == "bristol"


def test_alerts_can_be_asked_for_without_javascript(page_without_js, live_server, site):
    page = page_without_js
    page.goto(live_server.url + site["bristol"].url)
    page.get_by_role("link", name="Get an email when entries like these are published or changed").click()
    page.get_by_label("Once a day, if anything was published").check()
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_role("button", name="Get alerts").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()


def with_feedback(site):
    """Feedback enough for the insight pages: 12 on the chatbot, and 11 on the Leeds entry (1 of them this month,
    which is withheld)."""
    from feedback import insight, tallies
    from tests.factories import FeedbackSubmissionFactory

    earlier = datetime.datetime(2026, 9, 15, 12, tzinfo=datetime.UTC)
    leeds = DataUsePage.objects.get(title="Cameras in bus lanes")
    for n in range(12):
        FeedbackSubmissionFactory(entry=site["chatbot"], comfort="fairly_comfortable" if n % 3 else "not_sure")
    for n in range(11):
        FeedbackSubmissionFactory(
            entry=leeds, comfort="very_uncomfortable", trust="no", created_at=earlier if n else None
        )
    tallies.recount_everything()
    insight.refresh()


@pytest.mark.parametrize(
    "address",
    [
        "/what-residents-told-us/",
        "/cy/what-residents-told-us/",
        "/what-residents-told-us/bristol/",
        "/what-residents-told-us/report/2026-09/",
        "/cy/what-residents-told-us/leeds/report/2026-09/",
    ],
)
def test_insight_pages_have_no_accessibility_violations(page, live_server, site, address):
    with_feedback(site)
    assert_accessible(page, live_server.url + address)
    if "report" not in address:
        assert page.locator("svg[role=img]").count() >= 3


def test_insight_pages_and_their_downloads_work_without_javascript(page_without_js, live_server, site):
    with_feedback(site)
    page = page_without_js
    page.goto(live_server.url + "/what-residents-told-us/")
    chart = page.locator("#chart-by-council-title")
    assert chart.count() == 1
    by_council = page.locator("#table-total").inner_text()
    assert "Bristol City Council" in by_council and "Leeds City Council" in by_council
    assert "Not shown" in page.locator("#table-month").inner_text()
    page.get_by_role("link", name="Leeds City Council").last.click()
    page.wait_for_url("**/what-residents-told-us/leeds/")
    expect(page.get_by_role("heading", name="What residents told us")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="All the figures as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename == "what-residents-told-us.csv"
    with open(download.value.path(), encoding="utf-8-sig") as csv_file:
        text = csv_file.read()
    assert "leeds,total,all,All responses,yes,11," in text
    # And in Welsh, still without JavaScript.
    page.goto(live_server.url + "/cy/what-residents-told-us/")
    expect(page.get_by_role("heading", name="Beth ddywedodd trigolion wrthym", exact=True)).to_be_visible()
    assert page.locator("#table-total tbody tr").count() == 2


def test_feedback_form_with_the_about_you_questions_has_no_accessibility_violations(page, live_server, site):
    organisation = site["chatbot"].organisation
    organisation.about_you_questions = ["age_band", "uses_service", "postcode_district"]
    organisation.save()
    assert_accessible(page, live_server.url + site["chatbot"].url)
    expect(page.get_by_role("group", name="About you (optional)")).to_be_visible()
    page.get_by_label("25 to 34").check()
    page.get_by_label("The first half of your postcode (optional)").fill("BS1 5TR")
