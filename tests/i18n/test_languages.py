"""English and Welsh: every page in both, the switcher, the browser's preference, untranslated pages,
translated terms in the filters, and feedback from Welsh pages counted with the English."""

import re

import pytest
from django.test import override_settings
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.models import Locale
from wagtail_localize.synctree import synchronize_tree

from feedback.models import FeedbackSubmission
from feedback.summary import summarise
from tests.factories import (
    BRISTOL,
    ContentPageFactory,
    DataUsePageFactory,
    FeedbackSubmissionFactory,
    LocaleFactory,
    OrganisationFactory,
    RegisterPageFactory,
    ServiceAreaFactory,
    add_home_page,
    fresh,
    started_token,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def welsh_site(module_transaction, django_db_blocker):
    """An English site with one entry and a content page, and all of it translated into Welsh: made once."""
    with django_db_blocker.unblock():
        locale = LocaleFactory()
        welsh = Locale.objects.create(language_code="cy")
        home = add_home_page(locale)
        combined = RegisterPageFactory(parent=home, slug="register", title="All councils' register")
        bristol = OrganisationFactory(**BRISTOL, locale=locale)
        bristol_register = RegisterPageFactory(parent=home, slug="bristol", organisation=bristol)
        housing = ServiceAreaFactory(name="Housing", slug="housing", locale=locale)
        entry = DataUsePageFactory(
            parent=bristol_register, title="Housing repairs", summary="We book repairs.", service_area=housing
        )
        about = ContentPageFactory(parent=home, slug="accessibility", title="Accessibility statement")
        translate(housing, welsh, name="Tai")
        translate(bristol, welsh, name="Cyngor Dinas Bryste", short_name="Bryste")
        pages = {
            "home": (home, translate(home, welsh, title="Cofrestr Defnyddio Data")),
            "register": (combined, translate(combined, welsh, title="Cofrestr pob cyngor")),
            "council": (bristol_register, translate(bristol_register, welsh, title="Cofrestr Bryste")),
            "entry": (entry, translate(entry, welsh, title="Atgyweirio tai", summary="Rydym yn trefnu atgyweiriadau.")),
            "content": (about, translate(about, welsh, title="Datganiad hygyrchedd")),
        }
    return {"pages": pages, "welsh": welsh, "bristol": bristol}


@pytest.fixture
def site(welsh_site):
    """Each page of the Welsh site as (English, Welsh)."""
    return {kind: (fresh(english), fresh(welsh)) for kind, (english, welsh) in welsh_site["pages"].items()}


@pytest.fixture
def welsh(welsh_site):
    return fresh(welsh_site["welsh"])


@pytest.fixture
def bristol(welsh_site):
    return fresh(welsh_site["bristol"])


@pytest.fixture
def bristol_register(welsh_site):
    return fresh(welsh_site["pages"]["council"][0])


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def alternates(html):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="http://testserver([^"]+)">', html))


@pytest.mark.parametrize("kind", ["home", "register", "council", "entry", "content"])
def test_every_page_type_is_served_in_both_languages_with_lang_and_hreflang(client, site, kind):
    english, welsh = site[kind]
    assert welsh.url.startswith("/cy/")
    english_html = client.get(english.url).content.decode()
    welsh_html = client.get(welsh.url).content.decode()
    assert html_lang(english_html) == "en-GB"
    assert html_lang(welsh_html) == "cy"
    expected = {"en-GB": english.url, "cy": welsh.url, "x-default": english.url}
    assert alternates(english_html) == expected
    assert alternates(welsh_html) == expected
    assert welsh.title in welsh_html


def test_search_and_feedback_pages_are_served_in_both_languages(client, site):
    english, welsh = site["entry"]
    for url in ("/search/?q=repairs", f"/feedback/{english.pk}/thanks/"):
        assert html_lang(client.get(url).content.decode()) == "en-GB"
    welsh_search = client.get("/cy/search/", {"q": "atgyweirio"}).content.decode()
    assert html_lang(welsh_search) == "cy" and "<mark>Atgyweirio</mark> tai" in welsh_search
    thanks = client.get(f"/cy/feedback/{welsh.pk}/thanks/").content.decode()
    assert html_lang(thanks) == "cy"
    # The switcher on the Welsh thank-you page leads to the English thank-you page for the English entry.
    assert f"next=/feedback/{english.pk}/thanks/" in thanks


def switcher_link(html, language):
    match = re.search(r'<a class="govuk-link" href="(/language/[^"]+)" lang="' + language + '"', html)
    return match.group(1).replace("&amp;", "&")


def test_the_switcher_goes_to_the_same_page_in_the_other_language_and_back(client, site):
    english, welsh = site["entry"]
    html = client.get(english.url).content.decode()
    response = client.get(switcher_link(html, "cy"))
    assert response.status_code == 302 and response["Location"] == welsh.url
    assert response.cookies["language"].value == "cy"
    html = client.get(response["Location"]).content.decode()
    assert "Atgyweirio tai" in html
    response = client.get(switcher_link(html, "en-GB"))
    assert response["Location"] == english.url
    assert response.cookies["language"].value == "en-gb"
    assert "Housing repairs" in client.get(response["Location"]).content.decode()


def test_the_switcher_refuses_other_sites_and_unknown_languages(client, site):
    response = client.get("/language/cy/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/cy/"
    assert client.get("/language/xx/").status_code == 404


@pytest.mark.parametrize("path", ["/%2Fevil.example/", "/%2Fevil.example/bristol/", "/%2F%2Fevil.example/"])
def test_a_welsh_speaker_is_never_redirected_to_another_site(client, site, path):
    for prefers in ({"HTTP_ACCEPT_LANGUAGE": "cy"}, {}):
        if not prefers:
            client.cookies["language"] = "cy"
        response = client.get(path, **prefers)
        location = response.get("Location", "")
        assert not location or url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    # Through the switcher too: its next= is on this site, but used to lead to //evil.example/cy/.
    client.cookies.clear()
    response = client.get("/language/cy/", {"next": "/%2Fevil.example/"})
    location = client.get(response["Location"]).get("Location", "")
    assert not location or url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location


def test_the_first_visit_follows_the_browser_and_a_choice_is_remembered(client, site):
    english, welsh = site["entry"]
    response = client.get(english.url, HTTP_ACCEPT_LANGUAGE="cy, en-GB;q=0.8")
    assert response.status_code == 302 and response["Location"] == welsh.url
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    # A Welsh address is never redirected, whatever the browser prefers.
    assert client.get(welsh.url, HTTP_ACCEPT_LANGUAGE="en-GB").status_code == 200
    # Choosing English in the switcher is remembered over the browser's preference.
    client.get("/language/en-gb/", {"next": english.url})
    assert client.get(english.url, HTTP_ACCEPT_LANGUAGE="cy").status_code == 200
    # And choosing Welsh is remembered on the next visit to an English address.
    client.get("/language/cy/", {"next": welsh.url})
    assert client.get(english.url)["Location"] == welsh.url
    # Visitors whose browsers prefer English stay put.
    client.cookies.clear()
    assert client.get(english.url, HTTP_ACCEPT_LANGUAGE="en-GB,en").status_code == 200


def test_an_untranslated_entry_shows_the_english_with_a_note_never_a_404(client, site, bristol_register, welsh):
    transport = ServiceAreaFactory(name="Transport", slug="transport", locale=bristol_register.locale)
    new = DataUsePageFactory(
        parent=bristol_register, title="Parking permits", summary="Permits for residents.", service_area=transport
    )
    synchronize_tree(Locale.get_default(), welsh)  # what wagtail-localize does when Welsh follows English
    copy = new.get_translation(welsh)
    response = client.get(copy.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html_lang(html) == "cy"
    assert 'id="untranslated"' in html
    assert '<h1 class="govuk-heading-xl" lang="en-GB">Parking permits</h1>' in html
    # Search engines are not told the copy is Welsh.
    assert "cy" not in alternates(html)
    # The Welsh register lists it (in English) beside the translated entry.
    register = client.get(site["council"][1].url).content.decode()
    assert "Parking permits" in register and "Atgyweirio tai" in register
    # Its untranslated service area is offered in the Welsh filters under the English name.
    assert re.search(r'value="transport"[^>]*>\s*<label[^>]*>\s*Transport', register)
    # Translated pages carry no such note.
    assert 'id="untranslated"' not in client.get(site["entry"][1].url).content.decode()


def test_translated_terms_appear_in_the_welsh_filters_and_facets(client, site):
    html = client.get(site["register"][1].url).content.decode()
    assert re.search(r"Tai\s*<span[^>]*app-facet-count[^>]*>\s*\(1", html)
    assert "Bryste" in html
    response = client.get(site["register"][1].url, {"service_area": "housing"})
    assert [entry.title for entry in response.context["search"].entries] == ["Atgyweirio tai"]


def test_feedback_on_a_welsh_page_is_counted_with_the_english(client, site):
    english, welsh = site["entry"]
    answers = {
        "comfort": "fairly_comfortable",
        "trust": "partly",
        "comment": "",
        "website": "",
        "started": started_token(welsh),
    }
    response = client.post(f"/cy/feedback/{welsh.pk}/", answers)
    assert response.status_code == 302 and response["Location"] == f"/cy/feedback/{welsh.pk}/thanks/"
    submission = FeedbackSubmission.objects.get()
    assert submission.entry_id == english.pk
    assert submission.organisation_id == english.organisation_id
    assert submission.language == "cy" and submission.language_name() == "Cymraeg"
    assert summarise(english)["total"] == summarise(welsh.original_entry)["total"] == 1


def test_the_owner_sees_which_language_feedback_came_in(admin_client, site):
    english, _ = site["entry"]
    FeedbackSubmissionFactory(entry=english, language="cy")
    in_a_row = re.compile(r"<td[^>]*>\s*Cymraeg\s*</td>")
    assert in_a_row.search(admin_client.get("/admin/feedback/inbox/").content.decode())
    filtered = admin_client.get("/admin/feedback/inbox/", {"language": "en-gb"}).content.decode()
    assert not in_a_row.search(filtered)


@override_settings(
    LANGUAGES=[("en-gb", "English"), ("cy", "Cymraeg"), ("pl", "Polski")],
    WAGTAIL_CONTENT_LANGUAGES=[("en-gb", "English"), ("cy", "Cymraeg"), ("pl", "Polski")],
)
def test_each_council_chooses_the_languages_its_pages_are_offered_in(client, site, bristol):
    polish = Locale.objects.create(language_code="pl")
    english, _ = site["entry"]
    translate(english.get_parent().get_parent().specific, polish, title="Rejestr")
    translate(english.get_parent().specific, polish, title="Rejestr Bristolu")
    translate(english, polish, title="Naprawy mieszkań")
    bristol.languages = ["cy", "pl"]
    bristol.save()
    html = client.get(english.url).content.decode()
    assert "Cymraeg" in html and "Polski" in html
    bristol.languages = ["cy"]
    bristol.save()
    html = client.get(english.url).content.decode()
    assert "Cymraeg" in html and "Polski" not in html
    # The Polish copy now sends readers to the English page rather than offering what the council does not.
    polish_entry = english.get_translation(polish)
    response = client.get(polish_entry.url)
    assert response.status_code == 302 and response["Location"] == english.url
    bristol.languages = []
    bristol.save()
    assert "Cymraeg" not in client.get(english.url).content.decode()


def test_a_reply_goes_out_in_the_language_the_feedback_was_given_in(site, mailoutbox):
    from feedback.models import OwnerAnswer, ReplyContact
    from feedback.notifications import tell_people_who_asked_for_a_reply

    english, welsh = site["entry"]
    for language in ("cy", "en-gb"):
        submission = FeedbackSubmissionFactory(entry=english, language=language)
        ReplyContact.objects.create(submission=submission, email=f"{language}@example.org")
    answer = OwnerAnswer.objects.create(entry=english, you_said="Slow repairs.", we_did="We hired staff.")
    assert tell_people_who_asked_for_a_reply(answer) == 2
    sent = {message.to[0]: message for message in mailoutbox}
    assert "Atgyweirio tai" in sent["cy@example.org"].subject
    assert f"http://localhost{welsh.url}" in sent["cy@example.org"].body
    assert "The council has answered" not in sent["cy@example.org"].subject
    assert "Housing repairs" in sent["en-gb@example.org"].subject
    assert f"http://localhost{english.url}" in sent["en-gb@example.org"].body


def test_dates_and_counts_read_naturally_in_welsh(client, site, bristol_register, welsh):
    english, translated = site["entry"]
    html = client.get(translated.url).content.decode()
    assert "1 Mawrth 2026" in html  # last reviewed
    assert "1 March 2026" in client.get(english.url).content.decode()
    _, register = site["register"]
    assert "Yn dangos 1 i 1 o 1 cofnod" in re.sub(r"\s+", " ", client.get(register.url).content.decode())
    bins = DataUsePageFactory(parent=bristol_register, title="Bin collections", summary="We empty bins.")
    translate(bins, welsh, title="Casglu biniau", summary="Rydym yn gwagio biniau.")
    html = re.sub(r"\s+", " ", client.get(register.url).content.decode())
    assert "Yn dangos 1 i 2 o 2 gofnod" in html  # Welsh mutates the noun after two


def test_the_service_and_partnership_names_are_in_the_pages_language(client, site):
    from home.models import BrandingSettings

    english_home, welsh_home = site["home"]
    html = client.get(welsh_home.url).content.decode()
    # The home page is titled with the service's name, so its title does not say it twice.
    assert "<title>Cofrestr Defnyddio Data</title>" in html
    assert re.search(r"<title>[^<]+ – Cofrestr Defnyddio Data</title>", client.get("/cy/search/").content.decode())
    assert '<span class="app-header__service-name">Cofrestr Defnyddio Data</span>' in html

    branding = BrandingSettings.for_site(english_home.get_site())
    branding.service_name = "Open Data Use Register"
    branding.partnership_name = "the Severn data partnership"
    branding.save()
    html = client.get(welsh_home.url).content.decode()
    assert '<span class="app-header__service-name" lang="en-GB">Open Data Use Register</span>' in html
    assert '<span lang="en-GB">the Severn data partnership</span>' in html

    branding.service_name_translations = {"cy": "Cofrestr Data Agored"}
    branding.partnership_name_translations = {"cy": "partneriaeth data Hafren"}
    branding.save()
    html = client.get(welsh_home.url).content.decode()
    assert '<span class="app-header__service-name">Cofrestr Data Agored</span>' in html
    assert "partneriaeth data Hafren" in html and "Severn" not in html
    html = client.get(english_home.url).content.decode()
    assert "Open Data Use Register" in html and "the Severn data partnership" in html and "Hafren" not in html


def test_an_admin_gives_the_names_in_welsh_in_the_branding_settings(admin_client, site):
    from home.models import BrandingSettings

    english_home, _ = site["home"]
    url = f"/admin/settings/home/brandingsettings/{english_home.get_site().pk}/"
    form = admin_client.get(url).content.decode()
    assert re.search(r'<label[^>]*for="id_service_name_translations_0"[^>]*>\s*Cymraeg\s*</label>', form)
    response = admin_client.post(
        url,
        {
            "service_name": "Data Use Register",
            "service_name_translations_0": " Cofrestr Data ",
            "partnership_name": "",
            "partnership_name_translations_0": "",
            "brand_colour": "#0b3d5c",
            "contact_email": "",
        },
    )
    assert response.status_code == 302
    branding = BrandingSettings.for_site(english_home.get_site())
    assert branding.service_name_translations == {"cy": "Cofrestr Data"}
    assert branding.partnership_name_translations == {}
