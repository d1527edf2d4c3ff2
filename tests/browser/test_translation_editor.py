"""A comms officer translates an entry and a term field by field in wagtail-localize's editor, in Chromium."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from playwright.sync_api import expect
from wagtail.models import GroupPagePermission, Locale
from wagtail_localize.models import LocaleSynchronization

from tests.factories import DataUsePageFactory, ServiceAreaFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long enough password"


def submit_translation_permission():
    """wagtail-localize's migration makes it, but a transactional test's flush of the database removes it."""
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtail_localize", model="translation")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
    )
    return permission


@pytest.fixture
def comms_officer(django_user_model, home_page):
    group = Group.objects.create(name="Comms officers")
    group.permissions.add(Permission.objects.get(codename="access_admin"), submit_translation_permission())
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home_page.get_parent(), permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("comms", password=PASSWORD)
    user.groups.add(group)
    return user


@pytest.fixture
def entry(bristol_register, locale):
    """An English entry, with Welsh following English as on a real install: an untranslated Welsh copy of each page."""
    housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
    entry = DataUsePageFactory(
        parent=bristol_register, title="Housing repairs", summary="We book repairs.", service_area=housing
    )
    LocaleSynchronization.objects.create(locale=Locale.objects.create(language_code="cy"), sync_from=locale)
    return entry


def welsh_url(live_server, page):
    return live_server.url + page.get_translation(Locale.objects.get(language_code="cy")).url


def log_in(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("comms")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


def start_welsh_translation(page):
    page.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("button", name="Publish in Cymraeg").wait_for()


def translate_field(page, field, text):
    segment = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=field, exact=True))
    segment.get_by_role("button", name="Translate").click()
    segment.get_by_role("textbox").fill(text)
    segment.get_by_role("button", name="Save").click()
    segment.get_by_text("Translated manually").wait_for()


def publish_in_welsh(page, name):
    page.get_by_role("button", name="Publish in Cymraeg").click()
    page.get_by_role("status").get_by_text(f"Published '{name}' in Cymraeg").wait_for()


def test_a_comms_officer_translates_an_entry_into_welsh_and_publishes_it(page, live_server, comms_officer, entry):
    url = welsh_url(live_server, entry)
    page.goto(url)
    expect(page.locator("#untranslated")).to_be_visible()

    log_in(page, live_server)
    page.goto(live_server.url + f"/admin/pages/{entry.pk}/edit/")
    page.get_by_role("navigation", name="Actions", exact=True).get_by_role("button", name="Actions").click()
    page.get_by_role("link", name="Translate this page").click()
    start_welsh_translation(page)
    translate_field(page, "Title", "Atgyweirio tai")
    translate_field(page, "Summary", "Rydym yn trefnu atgyweiriadau.")
    publish_in_welsh(page, "Atgyweirio tai")
    assert live_server.url + page.get_by_role("link", name="Visit the live page").get_attribute("href") == url

    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "cy"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Atgyweirio tai"
    assert heading.get_attribute("lang") is None
    expect(page.get_by_text("Rydym yn trefnu atgyweiriadau.")).to_be_visible()
    assert page.locator("#untranslated").count() == 0
    # Published with only two fields translated: the page says the rest is still in English.
    expect(page.locator("#partly-translated")).to_be_visible()


def test_a_term_translated_in_the_editor_is_named_in_welsh_in_the_welsh_filters(
    page, live_server, comms_officer, entry
):
    comms_officer.groups.get().permissions.add(
        *Permission.objects.filter(codename__in=["view_servicearea", "change_servicearea"])
    )
    register = welsh_url(live_server, entry.get_parent())
    page.goto(register)
    service_areas = page.get_by_role("group", name="Maes gwasanaeth")
    expect(service_areas.get_by_role("checkbox", name=re.compile(r"^Housing\b"))).to_be_visible()

    log_in(page, live_server)
    page.get_by_role("button", name="Register settings").click()
    page.get_by_role("link", name="Service areas").click()
    page.get_by_role("button", name="More options for 'Housing'").click()
    page.get_by_role("link", name="Translate 'Housing'").click()
    start_welsh_translation(page)
    translate_field(page, "Name", "Tai")
    publish_in_welsh(page, "Tai")

    page.goto(register)
    assert page.locator("html").get_attribute("lang") == "cy"
    tai = service_areas.get_by_role("checkbox", name=re.compile(r"^Tai\b"))
    expect(tai).to_be_visible()
    assert tai.get_attribute("value") == "housing"
    assert service_areas.get_by_role("checkbox", name=re.compile(r"^Housing\b")).count() == 0
