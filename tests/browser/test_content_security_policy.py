"""The Content-Security-Policy in Chromium: every public page type keeps to it, and the admin works within its own.

Violations are caught in the page (securitypolicyviolation events, in every frame) and in the console, which also
reports what is blocked before any script can listen. The policy is never bypassed here."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect
from wagtail.models import Locale

from tests.factories import (
    DataUsePageFactory,
    FeedbackSubmissionFactory,
    ServiceAreaFactory,
    add_risk,
    translate,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long enough password"
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
"""


class Watched:
    """A page whose Content-Security-Policy violations are collected, however they show."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.context.add_init_script(LISTEN)
        page.on("console", self.on_console)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(message.text)

    def violations(self):
        found = []
        for frame in self.page.frames:
            found += frame.evaluate("window.__cspViolations ? window.__cspViolations.splice(0) : []")
        found += self.console
        self.console = []
        return found

    def open(self, url, status=200):
        response = self.page.goto(url)
        assert response.status == status, url
        header = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in header, url
        self.page.wait_for_load_state("networkidle")
        return header


@pytest.fixture
def watched(page):
    return Watched(page)


@pytest.fixture
def site(home_page, combined_register, bristol_register, locale):
    housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
    entry = DataUsePageFactory(
        parent=bristol_register, title="Housing repairs chatbot", summary="We book repairs.", service_area=housing
    )
    add_risk(entry)
    # Enough answers for the summary and its bars: 4 of 10 very comfortable, 6 not sure.
    for comfort in ["very_comfortable"] * 4 + ["not_sure"] * 6:
        FeedbackSubmissionFactory(entry=entry, comfort=comfort)
    welsh = Locale.objects.create(language_code="cy")
    translate(housing, welsh, name="Tai")
    translate(bristol_register.organisation, welsh, name="Cyngor Dinas Bryste", short_name="Bryste")
    translate(home_page, welsh, title="Cofrestr Defnyddio Data")
    welsh_register = translate(combined_register, welsh, title="Cofrestr pob cyngor")
    translate(bristol_register, welsh, title="Cofrestr Bryste")
    welsh_entry = translate(entry, welsh, title="Atgyweirio tai")
    return {
        "entry": entry,
        "combined": combined_register,
        "bristol": bristol_register,
        "welsh_register": welsh_register,
        "welsh_entry": welsh_entry,
    }


def test_public_pages_keep_to_a_policy_with_nothing_inline(watched, live_server, site):
    urls = [
        "/",
        site["combined"].url,
        site["bristol"].url,
        site["combined"].url + "?council=bristol&sort=updated",
        site["entry"].url,
        "/search/?q=repairs",
        "/cy/",
        site["welsh_register"].url,
        site["welsh_entry"].url,
    ]
    for url in urls:
        header = watched.open(live_server.url + url)
        assert "unsafe" not in header and "frame-ancestors 'none'" in header, url
        assert watched.violations() == [], url
    watched.open(live_server.url + "/no-such-page/", status=404)
    assert watched.violations() == []
    watched.open(live_server.url + "/cy/no-such-page/", status=404)
    assert watched.violations() == []


def test_the_brand_colour_and_the_bars_still_show_without_inline_style(watched, live_server, site):
    page = watched.page
    watched.open(live_server.url + site["entry"].url)
    header_colour = page.locator(".app-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(29, 79, 145)"  # Bristol's #1d4f91, from /brand-colour/1d4f91.css
    bar = page.locator("#comfort-spread .app-bar--40")
    inner_width = (
        "el => { const s = getComputedStyle(el); "
        "return el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    ratio = bar.evaluate("el => el.getBoundingClientRect().width") / bar.locator("xpath=..").evaluate(inner_width)
    assert ratio == pytest.approx(0.4, abs=0.02)
    assert watched.violations() == []


def test_feedback_form_its_error_and_thanks_keep_to_the_policy(watched, live_server, site):
    page = watched.page
    watched.open(live_server.url + site["entry"].url)
    page.get_by_role("button", name="Send your views").click()
    page.get_by_text("There is a problem").wait_for()
    assert watched.violations() == []
    page.get_by_label("Very comfortable").check()
    page.get_by_role("button", name="Send your views").click()
    page.wait_for_url("**/thanks/")
    expect(page.get_by_role("heading", name="Thank you for your views")).to_be_visible()
    assert watched.violations() == []


def test_search_suggestions_keep_to_the_policy(watched, live_server, site):
    page = watched.page
    watched.open(live_server.url + "/")
    with page.expect_response(re.compile(r"/search/suggest/")):
        page.get_by_role("combobox").first.press_sequentially("repa")
    page.get_by_role("option").first.wait_for()
    assert watched.violations() == []


@pytest.fixture
def editor(django_user_model, site):
    group = Group.objects.create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_superuser=True)


def sign_in(page, live_server):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_the_admin_works_within_its_policy(watched, live_server, site, editor):
    page = watched.page
    sign_in(page, live_server)
    assert watched.violations() == []

    # The page editor: an inline panel's "Add", a chooser and the live preview in its frame all work.
    header = watched.open(live_server.url + f"/admin/pages/{site['entry'].pk}/edit/")
    assert "script-src 'self' 'unsafe-inline'" in header and "'unsafe-eval'" not in header
    risks = page.locator("[id^='inline_child_risks-']:not([id*='__prefix__'])")
    before = risks.count()
    page.locator("button", has_text="Add Risk").first.dispatch_event("click")
    page.wait_for_function(
        f"document.querySelectorAll(\"[id^='inline_child_risks-']:not([id*='__prefix__'])\").length > {before}"
    )
    page.locator("#id_service_area").locator("xpath=..").locator("[data-chooser-action-choose]").dispatch_event("click")
    chooser = page.get_by_role("dialog")
    chooser.get_by_text("Housing").first.wait_for()
    chooser.get_by_role("button", name="Close").click()
    chooser.wait_for(state="hidden")
    with page.expect_response(lambda r: "/edit/preview/" in r.url and r.request.method == "GET"):
        page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("iframe[title]").first
    preview.get_by_role("heading", name="Housing repairs chatbot").wait_for()
    assert watched.violations() == []

    for url in (
        "/admin/",
        f"/admin/pages/{site['welsh_entry'].pk}/edit/",  # wagtail-localize's translation editor
        f"/admin/snippets/datauses/organisation/edit/{site['bristol'].organisation.pk}/",
        "/admin/feedback/inbox/",
        "/admin/feedback/sentiment/",
    ):
        watched.open(live_server.url + url)
        assert watched.violations() == [], url
    # The sentiment view's bars get their widths from css/admin.css.
    assert page.locator(".app-admin-bar--40").evaluate("el => el.getBoundingClientRect().width") > 0

    # Wagtail's user bar on a public page, for someone signed in.
    watched.open(live_server.url + site["entry"].url)
    page.locator("wagtail-userbar").wait_for(state="attached")
    assert watched.violations() == []
