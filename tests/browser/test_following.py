"""A resident follows an entry in Chromium: the form on the entry page, 'Check your email', the confirm link from
the email (sent to a real SMTP server on loopback), then unsubscribing. No axe violations on any of these pages,
and all of it works without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from feedback.models import Follower
from tests.browser.conftest import axe_violations
from tests.factories import DataUsePageFactory
from tests.feedback.conftest import MailServer

pytestmark = pytest.mark.django_db(transaction=True)

CONFIRM_LINK = re.compile(r"https?://[^\s/]+(/feedback/follow/confirm/[\w-]+/)")


@pytest.fixture
def inbox():
    """A mail server on loopback, as in the feedback tests; the live server's requests send to it."""
    server = MailServer()
    server.start()
    with server.settings():
        yield server.inbox
    server.stop()


@pytest.fixture
def entry(bristol_register):
    page = DataUsePageFactory(parent=bristol_register, title="Sensors in communal bins")
    page.save_revision().publish()
    return page


def check_accessibility(page, javascript):
    if javascript:  # axe itself needs JavaScript; the run without it checks the pages still work
        assert axe_violations(page) == []


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_resident_follows_an_entry_confirms_from_the_email_then_unsubscribes(
    browser,
    live_server,
    entry,
    inbox,
    javascript,
):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + entry.url)
    expect(page.get_by_role("heading", name="Get emails about this entry")).to_be_visible()
    check_accessibility(page, javascript)

    # A mistake first: the error is shown, with a link to the field.
    page.get_by_label("Email address", exact=True).fill("resident at example.org")
    page.get_by_role("button", name="Get emails").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_accessibility(page, javascript)
    page.get_by_role("link", name="Enter an email address in the correct format, like name@example.com").click()
    page.get_by_label("Email address", exact=True).fill("resident@example.org")
    page.get_by_role("button", name="Get emails").click()

    page.wait_for_url("**/follow/sent/")
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    check_accessibility(page, javascript)
    assert Follower.objects.get().confirmed_at is None

    [(recipients, message)] = inbox.messages
    assert recipients == ["resident@example.org"]
    confirm = CONFIRM_LINK.search(message.get_payload(decode=True).decode()).group(1)
    page.goto(live_server.url + confirm)
    expect(page.get_by_role("heading", name="Confirm that you want emails about this entry")).to_be_visible()
    check_accessibility(page, javascript)
    page.get_by_role("button", name="Yes, send me emails").click()
    expect(page.get_by_role("heading", name="You are now following this entry")).to_be_visible()
    check_accessibility(page, javascript)
    assert Follower.objects.get().confirmed_at is not None

    page.get_by_role("link", name="unsubscribe now").click()
    expect(page.get_by_role("heading", name="Stop getting emails about this entry")).to_be_visible()
    check_accessibility(page, javascript)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You have unsubscribed")).to_be_visible()
    check_accessibility(page, javascript)
    assert not Follower.objects.exists()
    assert context.cookies() == []  # nothing on the way set a cookie
    context.close()
