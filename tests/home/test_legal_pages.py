"""The site's own information pages, as the demo ships them: cookies, the accessibility statement and the privacy
notice, in English and Welsh. Each must stay true to what the site does, so these tests use the site as a resident
and as council staff would, and compare what happened with what the pages say."""

import html
import re

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Locale, PageViewRestriction

from datauses.models import DataUsePage, Organisation
from demo.management.commands.load_demo_register import DEMO_EDITOR_USERNAME, DEMO_PASSWORD
from demo.welsh import PO_DIR, export_po_files
from feedback import guards
from feedback.following import CONFIRM_WITHIN
from feedback.forms import FeedbackForm
from feedback.models import FeedbackSubmission, ReplyContact
from feedback.summary import MIN_RESPONSES_TO_SHOW
from home.models import ContentPage

pytestmark = pytest.mark.django_db

SLUGS = ["accessibility-statement", "privacy", "cookies"]
# Set by the admin's own script (wagtailadmin/js/sidebar.js) when someone makes its menu smaller or bigger, so no
# request made here sees it; test_the_admin_script_still_sets_the_cookie_the_page_names checks that it still does.
SET_IN_THE_BROWSER = {"wagtail_sidebar_collapsed"}
# The accessibility statement's sections, as the GOV.UK model statement names them.
REQUIRED_SECTIONS = [
    "Using this website",
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "Disproportionate burden",
    "Content that's not within the scope of the accessibility regulations",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]
WELSH_SECTIONS = ["Gweithdrefn orfodi", "Statws cydymffurfio", "Baich anghymesur", "Cynnwys nad yw'n hygyrch"]


# ---- helpers -----------------------------------------------------------------------------------------------


def page_for(slug, language="en-gb"):
    english = ContentPage.objects.get(slug=slug, locale=Locale.get_default())
    if language == "en-gb":
        return english
    return english.get_translation(Locale.objects.get(language_code=language))


def main_content(response):
    """The page's main content as text for reading: tags kept, entities decoded."""
    assert response.status_code == 200
    page = response.content.decode()
    return html.unescape(page.split('id="main-content"', 1)[1].split("</main>", 1)[0])


def headings(text):
    return re.findall(r'<h2 class="govuk-heading-m">(.*?)</h2>', text)


def sections(text):
    """{heading: the content under it} for the page's level 2 headings."""
    parts = re.split(r'<h2 class="govuk-heading-m">(.*?)</h2>', text)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def described_cookies(text):
    """{cookie name: its description} for each cookie the cookies page describes: its name in bold, then a list."""
    return dict(re.findall(r"<p><b>([\w-]+)</b></p>\s*<ul>(.*?)</ul>", text, re.S))


def lifetime_in_words(morsel):
    """How the cookies page must put a cookie's lifetime, from what the site sent; None for a deletion."""
    max_age = str(morsel["max-age"])
    if not max_age and not morsel["expires"]:
        return "until you close your browser"
    days = int(max_age) / (24 * 60 * 60)
    if days == 0:
        return None
    if 364 <= days <= 366:
        return "1 year"
    if days == 14:
        return "2 weeks"
    raise AssertionError(f"{morsel.key} lasts {days} days: say so on the cookies page, and here")


class Visitor:
    """A browser: keeps its cookies like Client does, and notes every cookie any response set."""

    def __init__(self):
        self.client = Client()
        self.set = {}

    def _note(self, response):
        for name, morsel in response.cookies.items():
            self.set.setdefault(name, []).append(morsel)
        return response

    def get(self, url, data=None, **extra):
        return self._note(self.client.get(url, data, **extra))

    def post(self, url, data=None, **extra):
        return self._note(self.client.post(url, data, **extra))

    def html(self, url):
        response = self.get(url)
        assert response.status_code == 200, url
        return response.content.decode()


def started(page_html, form_action):
    """The signed start time in the form that posts to form_action, as a browser would send it back."""
    form = page_html.split(f'action="{form_action}"', 1)[1]
    return re.search(r'name="started" value="([^"]+)"', form).group(1)


def switcher_link(page_html, language):
    link = re.search(r'<a class="govuk-link" href="(/language/[^"]+)" lang="' + language + '"', page_html).group(1)
    return link.replace("&amp;", "&")


def read_like_a_resident(visitor):
    """Everything a resident can do without signing in: read, search, give views, follow, choose a language."""
    english = Locale.get_default()
    entry = DataUsePage.objects.live().filter(locale=english, organisation__slug="bristol").first()
    welsh_entry = DataUsePage.objects.live().filter(locale__language_code="cy", organisation__slug="cardiff").first()
    for url in ["/", "/register/", "/bristol/", "/search/?q=camera", "/search/suggest/?q=cam", "/you-said-we-did/"]:
        assert visitor.get(url).status_code == 200, url
    for url in ["/recently-changed/", welsh_entry.url, "/cy/", "/cy/search/?q=camera"]:
        assert visitor.get(url).status_code == 200, url
    for slug in SLUGS:
        visitor.html(page_for(slug).url)
    assert visitor.get("/no-such-page/").status_code == 404
    page = visitor.html(entry.url)
    form = visitor.html(f"/feedback/{entry.pk}/")
    answers = {
        "started": started(form, f"/feedback/{entry.pk}/"),
        "comfort": "fairly_uncomfortable",
        "trust": "partly",
        "conditions": ["opt_out"],
        "comment": "Who else sees this?",
        "publish_consent": "on",
        "email": "resident@example.org",
    }
    assert visitor.post(f"/feedback/{entry.pk}/", answers, REMOTE_ADDR="203.0.113.7").status_code == 302
    visitor.html(f"/feedback/{entry.pk}/thanks/")
    problem = {"started": started(page, f"/feedback/{entry.pk}/problem/"), "kind": "unclear", "details": "Long."}
    assert visitor.post(f"/feedback/{entry.pk}/problem/", problem, REMOTE_ADDR="203.0.113.7").status_code == 302
    follow = {"started": started(page, f"/feedback/{entry.pk}/follow/"), "email": "follower@example.org"}
    assert visitor.post(f"/feedback/{entry.pk}/follow/", follow, REMOTE_ADDR="203.0.113.7").status_code == 302
    # The language switcher, both ways, on an entry of a council that offers Welsh and on the cookies page.
    cardiff = welsh_entry.get_translation(english)
    for url, welsh_url in ((cardiff.url, welsh_entry.url), (page_for("cookies").url, "/cy/cwcis/")):
        to_welsh = visitor.get(switcher_link(visitor.html(url), "cy"))
        assert to_welsh.status_code == 302 and to_welsh["Location"] == welsh_url
        back = visitor.get(switcher_link(visitor.html(welsh_url), "en-GB"))
        assert back.status_code == 302 and back["Location"] == url
    return entry


def work_like_council_staff(visitor, entry):
    """A council editor signs in as in production (lock-out after wrong passwords, a code from an app), works and
    signs out, then signs in again ticking 'Remember me'."""
    with override_settings(DEBUG=True):
        call_command("load_demo_register", "--demo-login", verbosity=0)
    with override_settings(
        AXES_ENABLED=True, STAFF_TWO_FACTOR=True, OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0
    ):
        visitor.html("/admin/login/")
        wrong = {"username": DEMO_EDITOR_USERNAME, "password": "not the password"}
        assert visitor.post("/admin/login/", wrong).status_code == 200
        signed_in = visitor.post("/admin/login/", {"username": DEMO_EDITOR_USERNAME, "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        set_up = visitor.get("/admin/")["Location"]
        assert set_up.startswith("/admin/two-factor/set-up/")
        visitor.html(set_up)
        device = TOTPDevice.objects.get(user__username=DEMO_EDITOR_USERNAME, confirmed=False)
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        confirmed = visitor.post("/admin/two-factor/set-up/", {"code": code, "next": "/admin/"})
        visitor.html(confirmed["Location"])  # the backup codes, shown once
        explorer = f"/admin/pages/{entry.get_parent().pk}/"
        for url in ["/admin/", f"/admin/pages/{entry.pk}/edit/", "/admin/feedback/inbox/", explorer]:
            visitor.html(url)
        visitor.html(entry.url)  # the public page, with the admin's user bar
        assert visitor.post("/admin/logout/").status_code == 302
        visitor.html("/admin/login/")  # shows "signed out" from the messages cookie

        again = {"username": DEMO_EDITOR_USERNAME, "password": DEMO_PASSWORD, "remember": "on"}
        assert visitor.post("/admin/login/", again).status_code == 302
        verify = visitor.get("/admin/")["Location"]
        assert verify.startswith("/admin/two-factor/")
        backup_code = StaticToken.objects.filter(device__user__username=DEMO_EDITOR_USERNAME).first().token
        assert visitor.post(verify, {"code": backup_code, "next": "/admin/"}).status_code == 302
        visitor.html("/admin/")


# ---- cookies -----------------------------------------------------------------------------------------------


def test_the_cookies_page_names_every_cookie_the_site_sets_and_no_other(demo):
    resident = Visitor()
    entry = read_like_a_resident(resident)
    staff = Visitor()
    work_like_council_staff(staff, entry)

    text = main_content(Client().get(page_for("cookies").url))
    described = described_cookies(text)
    by_section = {heading: set(described_cookies(content)) for heading, content in sections(text).items()}
    # What residents get, and what staff get, each under its own heading.
    assert set(resident.set) == {"language"}
    assert by_section["If you read the register"] == set(resident.set)
    assert by_section["If you work for a council and sign in"] == set(staff.set) | SET_IN_THE_BROWSER
    assert set(staff.set) >= {"sessionid", "csrftoken", "messages"}
    # Every cookie set is on the page, with how long it lasts; the page names nothing the site never sets.
    missing = (set(resident.set) | set(staff.set)) - set(described)
    assert not missing, f"set by the site but not on the cookies page: {sorted(missing)}"
    assert set(described) == set(resident.set) | set(staff.set) | SET_IN_THE_BROWSER
    for name, morsels in [*resident.set.items(), *staff.set.items()]:
        for morsel in morsels:
            words = lifetime_in_words(morsel)
            assert words is None or words in described[name], (name, words, described[name])


def test_a_reader_who_types_a_pages_password_gets_only_the_cookies_the_page_describes(demo):
    entry = DataUsePage.objects.live().filter(locale=Locale.get_default()).first()
    PageViewRestriction.objects.create(page=entry, restriction_type=PageViewRestriction.PASSWORD, password="open")
    reader = Visitor()
    form = reader.html(entry.url)
    action = re.search(r'action="(/_util/authenticate_with_password/[^"]+)"', form).group(1)
    assert reader.post(action, {"password": "open", "return_url": entry.url}).status_code == 302
    assert entry.title in reader.html(entry.url)
    assert set(reader.set) == {"csrftoken", "sessionid"}
    text = main_content(Client().get(page_for("cookies").url))
    reader_section = sections(text)["If you read the register"]
    assert "password" in reader_section and "csrftoken" in reader_section and "sessionid" in reader_section
    assert lifetime_in_words(reader.set["sessionid"][0]) in described_cookies(text)["sessionid"]


def test_the_admin_script_still_sets_the_cookie_the_page_names():
    script = finders.find("wagtailadmin/js/sidebar.js")
    assert script, "Wagtail's admin sidebar script"
    with open(script, encoding="utf-8") as source:
        assert '"wagtail_sidebar_collapsed"' in source.read()


# ---- accessibility statement ---------------------------------------------------------------------------------


def test_the_accessibility_statement_has_every_section_the_regulations_ask_for(client, demo):
    text = main_content(client.get(page_for("accessibility-statement").url))
    found = headings(text)
    assert [heading for heading in found if heading in REQUIRED_SECTIONS] == REQUIRED_SECTIONS
    words = " ".join(re.sub(r"<[^>]+>", " ", text).split())
    for fact in [
        "Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018",
        "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 AA standard",
        "contact the council that wrote the entry",
        "Equality and Human Rights Commission (EHRC)",
        "Equality Advisory and Support Service (EASS)",
        "Equality Commission for Northern Ireland (ECNI)",
        "not claiming",  # no disproportionate burden
        "PDF",
        "axe-core",
        "only a keyboard",
        "JavaScript turned off",
        "390 pixels wide",
        "1280 pixels wide",
        "prepared on 1 December 2026",
        "last reviewed on 1 December 2026",
        "review it again by 1 December 2027",
    ]:
        assert fact in words, fact
    assert 'href="https://www.equalityadvisoryservice.com/"' in text and 'href="https://www.equalityni.org/"' in text


def test_the_contact_details_the_statement_points_to_are_on_every_entry(client, demo):
    text = main_content(client.get(page_for("accessibility-statement").url))
    assert "under 'Who is responsible' at the end of each entry" in text
    for entry in DataUsePage.objects.live().filter(locale=Locale.get_default())[:6]:
        page = client.get(entry.url).content.decode()
        assert '<h2 class="govuk-heading-l" id="contact">Who is responsible</h2>' in page, entry.url
        assert "Is something on this page wrong or unclear?" in page, entry.url


# ---- privacy notice --------------------------------------------------------------------------------------------

# What the feedback form asks, and the words the privacy notice uses for it.
FORM_FIELDS_IN_WORDS = {
    "comfort": "how comfortable you are with the council using data in this way",
    "trust": "whether you trust the council to use the data responsibly",
    "conditions": "what would make you more comfortable",
    "comment": "what worries you, or what would help, in your own words",
    "publish_consent": "whether we may publish your comment without your name",
    "email": "your email address, only if you would like a reply",
}


def test_the_privacy_notice_names_everything_the_feedback_form_keeps(client, demo):
    words = " ".join(re.sub(r"<[^>]+>", " ", main_content(client.get(page_for("privacy").url))).split())
    asked = set(FeedbackForm.base_fields) - {"website", "started"}  # the spam checks, not answers
    assert asked == set(FORM_FIELDS_IN_WORDS), "a new question on the feedback form: say so in the privacy notice"
    for field, description in FORM_FIELDS_IN_WORDS.items():
        assert description in words, field
    for kept in ["date and time you sent the form", "language of the page you were reading", "version of the entry"]:
        assert kept in words, kept
    default_months = Organisation._meta.get_field("feedback_retention_months").default
    assert f"we delete them {default_months} months after you send them" in words
    assert "Each council decides how long it keeps comments, problem reports and email addresses" in words
    assert f"Once at least {MIN_RESPONSES_TO_SHOW} people have answered" in words
    assert f"within {CONFIRM_WITHIN.days} days" in words
    assert guards.RATE_WINDOW_SECONDS == 60 * 60 and "for up to an hour" in words
    for fact in [
        "the service team responsible for the entry",
        "the council's data protection officers",
        "the council's editors of the register",
        "removes them before your comment is saved",
        "We never publish your email address",
        "'public task'",
        "the right of access",
        "the right to erasure",
        "complain to the Information Commissioner's Office (ICO)",
        "We do not keep it with anything you send us",
        "We do not use cookies to track you",
        "after 90 days",
    ]:
        assert fact in words, fact
    assert settings.WAGTAILSEARCH_HITS_MAX_AGE == 90  # "We delete the counts after 90 days"


def test_feedback_is_kept_as_the_privacy_notice_says(client, demo):
    """Personal details are removed before saving, the address is kept apart, the IP address is kept nowhere."""
    entry = DataUsePage.objects.live().filter(locale=Locale.get_default()).first()
    form = client.get(f"/feedback/{entry.pk}/").content.decode()
    answers = {
        "started": started(form, f"/feedback/{entry.pk}/"),
        "comfort": "not_sure",
        "comment": "Ring me on 07700 900123 or write to jo@example.org.",
        "email": "reply@example.org",
    }
    assert client.post(f"/feedback/{entry.pk}/", answers, REMOTE_ADDR="198.51.100.23").status_code == 302
    submission = FeedbackSubmission.objects.latest("pk")
    assert "07700" not in submission.comment and "jo@example.org" not in submission.comment
    assert submission.language == "en-gb" and submission.created_at
    assert "reply@example.org" not in str(model_to_dict(submission))
    assert ReplyContact.objects.get(submission=submission).email == "reply@example.org"
    stored = [model_to_dict(row) for row in (submission, *ReplyContact.objects.filter(submission=submission))]
    assert "198.51.100.23" not in str(stored)
    cached = [key for store in caches.all(initialized_only=True) for key in getattr(store, "_cache", {})]
    assert cached and not any("198.51.100.23" in str(key) for key in cached)


# ---- in Welsh ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "address"),
    [("accessibility-statement", "/cy/hygyrchedd/"), ("privacy", "/cy/preifatrwydd/"), ("cookies", "/cy/cwcis/")],
)
def test_each_page_is_in_welsh(client, demo, slug, address):
    english, welsh = page_for(slug), page_for(slug, "cy")
    assert welsh.live and welsh.alias_of_id is None and welsh.url == address
    response = client.get(address)
    page = response.content.decode()
    assert '<html lang="cy"' in page
    assert 'id="untranslated"' not in page and 'id="partly-translated"' not in page
    text = main_content(response)
    english_text = main_content(client.get(english.url))
    assert welsh.title != english.title and welsh.title in text
    english_headings, welsh_headings = headings(english_text), headings(text)
    assert len(welsh_headings) == len(english_headings)
    assert not set(welsh_headings) & set(english_headings)
    # The same cookies, under the same names.
    assert set(described_cookies(text)) == set(described_cookies(english_text))
    if slug == "accessibility-statement":
        assert set(WELSH_SECTIONS) <= set(welsh_headings)


def test_the_welsh_translations_cover_every_string_of_the_english_pages(demo, tmp_path):
    """The PO files in demo/cy match the English pages as they are now: change one, and the other must follow."""
    export_po_files(tmp_path)
    for slug in SLUGS:
        name = f"contentpage-{slug}.po"
        fresh, stored = polib.pofile(str(tmp_path / name)), polib.pofile(str(PO_DIR / name))
        assert {(e.msgctxt, e.msgid) for e in stored} == {(e.msgctxt, e.msgid) for e in fresh}, name
        assert stored.percent_translated() == 100, name
        assert all(entry.msgstr for entry in stored), name


def test_the_footer_links_to_the_three_pages_in_both_languages(client, demo):
    for home, language in (("/", "en-gb"), ("/cy/", "cy")):
        footer = client.get(home).content.decode().split('class="govuk-footer"', 1)[1]
        for slug in SLUGS:
            page = page_for(slug, language)
            assert f'href="{page.url}">{html.escape(page.title)}</a>' in footer, (language, slug)
