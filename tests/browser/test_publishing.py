"""Issue 15 in Chromium: a comms officer sends an incomplete entry for sign-off and reads what is missing; residents
read an entry with glossary terms and its changes, and the "Recently changed" pages, with zero axe violations and
without JavaScript."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from datauses.councils import add_council
from datauses.models import DataUseCategory, GlossaryTerm
from tests.browser.conftest import axe_violations
from tests.browser.test_translation_editor import submit_translation_permission
from tests.factories import DataCategoryFactory, DataUsePageFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long enough password"


@pytest.fixture
def bristol_council(home_page, bristol):
    submit_translation_permission()
    return add_council(bristol.slug, bristol.name, short_name="Bristol", parent=home_page)


def log_in(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_editor_sends_an_incomplete_entry_for_sign_off_and_reads_what_is_missing(
    page, live_server, bristol_council, locale, django_user_model
):
    editor = django_user_model.objects.create_user("bristol-editor", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Bristol editors"))
    entry = DataUsePageFactory(
        parent=bristol_council.register, title="School nurse records", live=False, first_published_at=None
    )
    health = DataCategoryFactory(name="Health", is_special_category=True, locale=locale)
    DataUseCategory.objects.create(page=entry, category=health, reason="To see who needs a check-up.", locale=locale)
    entry.save_revision()

    log_in(page, live_server, "bristol-editor")
    page.goto(f"{live_server.url}/admin/pages/{entry.pk}/edit/")
    # Editors cannot publish: their way to go live is the council's sign-off.
    assert page.get_by_role("button", name="Publish").count() == 0
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Bristol sign-off").click()

    page.get_by_text("Choose an Article 9 condition").first.wait_for(state="attached")
    assert "this entry uses special category data (Health)" in page.content()
    page.get_by_role("tab", name="Law, decisions and risks").click()
    expect(page.get_by_text("Choose an Article 9 condition").first).to_be_visible()
    assert not entry.__class__.objects.get(pk=entry.pk).workflow_in_progress


@pytest.fixture
def entry_with_terms_and_changes(bristol_council, locale):
    GlossaryTerm.objects.create(
        term="personal data",
        explanation="Information about a person who can be identified, like your name or address.",
        locale=locale,
    )
    entry = DataUsePageFactory(
        parent=bristol_council.register,
        title="Parking permits",
        purpose="We use personal data to give you a permit.\n\nThe personal data is kept safe.",
    )
    for note in ("Added the sharing with the DVLA.", "We now keep the data for one year, not two."):
        entry.change_note = note
        entry.save_revision().publish()
    return entry


def test_entry_with_glossary_terms_and_change_notes_passes_axe(page, live_server, entry_with_terms_and_changes):
    entry = entry_with_terms_and_changes
    page.goto(live_server.url + entry.url)
    changes = page.locator("#changes + ol").inner_text()
    assert changes.index("We now keep the data for one year") < changes.index("Added the sharing with the DVLA")
    expect(page.locator("#glossary").get_by_text("like your name or address")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("a.app-glossary-term").first.click()
    assert page.url.endswith("#glossary-personal-data")


def test_glossary_and_changes_work_without_javascript(page_without_js, live_server, entry_with_terms_and_changes):
    entry = entry_with_terms_and_changes
    page_without_js.goto(live_server.url + entry.url)
    assert page_without_js.locator("a.app-glossary-term").count() == 1  # only the first use is explained
    page_without_js.locator("a.app-glossary-term").click()
    assert page_without_js.url.endswith("#glossary-personal-data")
    page_without_js.get_by_role("link", name="Recent changes to all of Bristol's entries").click()
    assert "We now keep the data for one year, not two." in page_without_js.locator("#changes").inner_text()


@pytest.mark.parametrize("address", ["/recently-changed/", "/recently-changed/bristol/", "/cy/recently-changed/"])
def test_recently_changed_pages_pass_axe(page, live_server, entry_with_terms_and_changes, address):
    page.goto(live_server.url + address)
    assert page.get_by_role("heading", level=1).inner_text() in ("Recently changed", "Newidiwyd yn ddiweddar")
    assert axe_violations(page) == []
