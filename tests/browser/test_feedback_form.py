"""Giving feedback in Chromium: the form, its error state and its confirmation have no axe violations."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import FeedbackSubmission
from tests.browser.conftest import axe_violations
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def entry(bristol_register):
    page = DataUsePageFactory(parent=bristol_register, title="Sensors in communal bins")
    page.save_revision().publish()
    return page


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_resident_gives_feedback_and_sees_what_happens_next(browser, live_server, entry, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + entry.url)
    if javascript:  # axe itself needs JavaScript; the no-JS run checks the form still works
        assert axe_violations(page) == []
    page.get_by_label("Fairly uncomfortable").check()
    page.get_by_label("Partly").check()
    page.get_by_label("Independent oversight").check()
    page.get_by_label("What worries you, or what would help?").fill("Who checks the sensors? Ring 07700 900123.")
    page.get_by_label("You may publish my comment without my name").check()
    page.get_by_role("button", name="Send your views").click()
    page.wait_for_url("**/thanks/")
    expect(page.get_by_role("heading", name="Thank you for your views")).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    if javascript:
        assert axe_violations(page) == []
    submission = FeedbackSubmission.objects.get()
    assert submission.comfort == "fairly_uncomfortable"
    assert submission.conditions == ["oversight"]
    assert submission.comment == "Who checks the sensors? Ring [phone number removed]."
    context.close()


def test_error_state_is_accessible_and_keeps_the_answers(page, live_server, entry):
    page.goto(live_server.url + entry.url)
    page.get_by_label("What worries you, or what would help?").fill("I forgot to choose an answer.")
    page.get_by_role("button", name="Send your views").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert page.get_by_label("What worries you, or what would help?").input_value() == "I forgot to choose an answer."
    assert axe_violations(page) == []
    page.get_by_role("link", name="Select how comfortable you are with the council using data in this way").click()
    page.get_by_label("Very comfortable").check()
    page.get_by_role("button", name="Send your views").click()
    page.wait_for_url("**/thanks/")
    assert FeedbackSubmission.objects.get().comment == "I forgot to choose an answer."


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_double_click_on_send_makes_one_record(browser, live_server, entry, javascript):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    page.goto(live_server.url + entry.url)
    page.get_by_label("Not sure").first.check()
    page.get_by_role("button", name="Send your views").dblclick()
    # Without JavaScript the second click starts a second submission that replaces the first navigation, so
    # wait for where the browser ends up rather than for one navigation (which the second aborts).
    expect(page).to_have_url(re.compile(r"/thanks/$"), timeout=15_000)
    assert FeedbackSubmission.objects.count() == 1


def test_entry_with_a_full_feedback_summary_has_no_accessibility_violations(page, live_server, entry):
    for n, comfort in enumerate(["very_comfortable", "not_sure", "very_uncomfortable"] * 4):
        FeedbackSubmissionFactory(
            entry=entry,
            comfort=comfort,
            conditions=["opt_out"],
            comment=f"Published comment {n}",
            publish_consent=True,
            approved_for_publication=True,
        )
    page.goto(live_server.url + entry.url)
    expect(page.get_by_text("How comfortable people are with this use of data (12 responses)")).to_be_visible()
    assert axe_violations(page) == []
