"""The demo as a resident reads it: Welsh links where Welsh pages exist, English marked as English, no Welsh
copies of councils that do not offer Welsh, council names that need no mutation; a page title that names the
service once, a favicon, and answers in words rather than code. One module, so the demo loads once."""

import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from wagtail.models import Locale, Page

from base.languages import is_untranslated, offers
from datauses.models import DataUsePage, RegisterPage
from home.models import HomePage

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    """Every <a href> with its text and the language it is in (its own lang, or the nearest ancestor's)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, lang) of open elements
        self.links = []
        self._open = None

    def lang(self):
        return next((lang for _tag, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in self.VOID:
            self.stack.append((tag, attrs.get("lang")))
        if tag == "a" and attrs.get("href"):
            self._open = {"href": attrs["href"], "lang": self.lang(), "text": ""}

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            self.links.append(self._open)
            self._open = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def links_on(html):
    parser = Links()
    parser.feed(html)
    return parser.links


def live_pages_by_path():
    return {page.url: page for page in Page.objects.live().specific() if page.url}


def welsh_cardiff_entries():
    return list(
        DataUsePage.objects.live().filter(locale__language_code="cy", organisation__slug="cardiff").order_by("path")
    )


def test_every_link_on_every_welsh_cardiff_entry_is_welsh_where_a_welsh_page_exists(client, demo):
    welsh = Locale.objects.get(language_code="cy")
    pages = live_pages_by_path()
    entries = welsh_cardiff_entries()
    assert len(entries) >= 12
    checked = 0
    for entry in entries:
        response = client.get(entry.url)
        assert response.status_code == 200, entry.url
        for link in links_on(response.content.decode()):
            path = link["href"].split("#")[0].split("?")[0]
            target = pages.get(path)
            if target is None or target.locale_id == welsh.id:
                continue
            checked += 1
            # A link to an English page, other than the language switcher's, only where no Welsh one exists.
            if "/language/" not in link["href"]:
                version = target.get_translation_or_none(welsh)
                has_welsh = (
                    version is not None and version.live and not is_untranslated(version) and offers(target, "cy")
                )
                assert not has_welsh, f"{entry.url} links to {path} ('{link['text']}') though {version.url} is Welsh"
            # English words on a Welsh page are marked as English, for screen readers and translation tools.
            assert link["lang"].lower().startswith("en"), f"{entry.url}: '{link['text']}' ({path}) has no lang"
    assert checked >= 0


def test_related_entries_on_a_welsh_entry_link_to_their_welsh_versions(client, demo):
    english = DataUsePage.objects.get(locale__language_code=settings.LANGUAGE_CODE, slug="cctv")
    assert english.related_entries.exists()
    welsh = english.get_translation(Locale.objects.get(language_code="cy"))
    html = client.get(welsh.url).content.decode()
    related = html[html.index('id="related-heading"') :]
    links = links_on(related[: related.index("</aside>")])
    assert links
    for link in links:
        assert link["href"].startswith("/cy/"), link
        assert not link["lang"].startswith("en"), link


def test_a_welsh_copy_of_a_council_that_does_not_offer_welsh_sends_readers_to_the_english_page(client, demo):
    bristol_entry = DataUsePage.objects.live().filter(organisation__slug="bristol", locale__language_code="cy").first()
    english = bristol_entry.get_translation(Locale.get_default())
    response = client.get(bristol_entry.url)
    assert response.status_code == 302
    assert response["Location"] == english.url
    register = RegisterPage.objects.live().get(organisation__slug="bristol", locale__language_code="cy")
    assert client.get(register.url)["Location"] == register.get_translation(Locale.get_default()).url
    # Its English pages offer no Welsh and no alternates, and a Welsh-preferring reader is not bounced about.
    html = client.get(english.url, HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cymraeg" not in html and 'hreflang="cy"' not in html


def test_the_welsh_register_of_every_council_links_english_only_entries_to_the_english_page(client, demo):
    combined = RegisterPage.objects.live().get(organisation__isnull=True, locale__language_code="cy")
    response = client.get(combined.url, {"council": "bristol"})
    html = response.content.decode()
    cards = [link for link in links_on(html) if "/bristol/" in link["href"]]
    assert cards
    for link in cards:
        assert not link["href"].startswith("/cy/"), link
        assert link["lang"] == "en-GB", link


def test_no_page_promises_a_translation_a_council_has_not_planned(client, demo):
    for page in Page.objects.live().filter(locale__language_code="cy").specific():
        response = client.get(page.url, follow=True)
        html = response.content.decode()
        assert "cyfieithiad ar y ffordd" not in html.lower()
        assert "translation is coming" not in html.lower()
        if response.redirect_chain:
            continue
        # A page shown in Welsh is either translated or belongs to a council that offers Welsh.
        assert offers(page, "cy"), page.url


def test_the_feedback_forms_character_count_speaks_welsh(client, demo):
    html = client.get(welsh_cardiff_entries()[0].url).content.decode()
    counts = re.findall(r'data-module="govuk-character-count"[^>]*>', html)
    assert counts
    for tag in counts:
        assert 'data-i18n.characters-under-limit.other="' in tag
        assert "%{count}" in tag
        assert "You have" not in tag and "You can enter" not in tag


PREPOSITIONS = r"\b(i|yn|gan|o|am|ar|at|dan|drwy|trwy|wrth|hyd|heb|gyda|â|ag|dros|rhwng)\s+%\((council|title)\)s"


def test_no_welsh_sentence_puts_a_council_or_entry_name_where_welsh_would_mutate_it():
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / "cy" / "LC_MESSAGES" / "django.po"))
    mutated = [
        translated
        for entry in catalogue
        if not entry.obsolete
        for translated in [entry.msgstr, *entry.msgstr_plural.values()]
        if re.search(PREPOSITIONS, translated)
    ]
    assert mutated == []


def test_the_home_page_title_names_the_service_once(client, demo):
    home = HomePage.objects.live().filter(locale__language_code="en-gb").get()
    html = client.get(home.url).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == "Data Use Register"
    # Every other page still says which service it belongs to.
    assert re.search(r"<title>Search the register – Data Use Register</title>", client.get("/search/").content.decode())


def test_favicon_ico_leads_to_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    assert finders.find("favicon.ico"), "static_src/favicon.ico is built into the static files"
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO file signature


def test_no_public_page_shows_true_false_or_none_where_words_belong(client, demo):
    """Yes/No answers must read as words, never as Python's True and False."""
    shown = []
    for page in Page.objects.live().public().specific():
        if not page.url:
            continue  # the tree's root
        response = client.get(page.url, follow=True)
        assert response.status_code == 200, page.url
        html = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
        text = re.sub(r"<[^>]+>", " ", html)
        if re.search(r"\b(True|False)\b", text) or re.search(r'="(True|False)"', html):
            shown.append(page.url)
    assert shown == []


def test_the_demo_shows_what_residents_told_us_with_real_differences_and_a_withheld_group(client, demo):
    page = client.get("/what-residents-told-us/").content.decode()
    # Kinds of use clearly more and less comfortable than all responses, with their counts...
    assert "More comfortable" in page and "Less comfortable" in page
    # ...and at least one group too small to show (the waste and recycling entries have a handful each).
    assert "Not shown: " in page
    welsh = client.get("/cy/what-residents-told-us/cardiff/")
    assert welsh.status_code == 200 and 'lang="cy"' in welsh.content.decode()
