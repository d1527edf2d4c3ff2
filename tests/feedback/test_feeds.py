"""Atom feeds for staying informed: what the councils changed in their entries and the answers they published,
for the partnership and each council, in both languages. One module: the demo loads once."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Locale

from datauses.models import ChangeNote, DataUsePage
from feedback.models import OwnerAnswer

pytestmark = pytest.mark.django_db

ATOM = {"a": "http://www.w3.org/2005/Atom"}


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = [
        {
            "title": entry.findtext("a:title", namespaces=ATOM),
            "link": entry.find("a:link", ATOM).get("href"),
            "id": entry.findtext("a:id", namespaces=ATOM),
            "updated": entry.findtext("a:updated", namespaces=ATOM),
            "summary": entry.findtext("a:summary", namespaces=ATOM) or "",
        }
        for entry in root.findall("a:entry", ATOM)
    ]
    return root.findtext("a:title", namespaces=ATOM), entries


def test_the_changes_feed_lists_the_newest_change_notes_of_public_entries(client, demo):
    notes = ChangeNote.objects.public().filter(entry__locale=Locale.get_default())
    assert notes.count() > 3
    title, entries = feed(client, "/recently-changed/feed/")
    assert title == "Recently changed in the data use register"
    assert len(entries) == min(50, notes.count())
    newest = notes.select_related("entry").first()
    assert entries[0]["title"] == newest.entry.title and entries[0]["summary"] == newest.note
    assert entries[0]["link"] == f"http://testserver{newest.entry.url}"
    assert len({entry["id"] for entry in entries}) == len(entries)  # each change its own id
    assert all(entry["updated"] for entry in entries)


def test_a_councils_changes_feed_has_only_its_entries_and_a_welsh_feed_is_welsh(client, demo):
    _title, entries = feed(client, "/recently-changed/leeds/feed/")
    leeds_titles = set(DataUsePage.objects.live().filter(organisation__slug="leeds").values_list("title", flat=True))
    assert entries and {entry["title"] for entry in entries} <= leeds_titles
    welsh_entry = DataUsePage.objects.live().filter(locale__language_code="cy", alias_of__isnull=True).first()
    welsh_entry.change_note = "Rydym wedi byrhau pa mor hir rydym yn cadw'r recordiadau."
    welsh_entry.save_revision().publish()
    title, welsh = feed(client, "/cy/recently-changed/cardiff/feed/")
    assert title == "Newidiwyd yn ddiweddar: Cyngor Caerdydd"
    assert welsh[0]["title"] == welsh_entry.title and welsh[0]["summary"] == welsh_entry.change_note
    assert welsh[0]["link"] == f"http://testserver{welsh_entry.url}" and welsh_entry.url.startswith("/cy/")
    assert client.get("/recently-changed/no-such-council/feed/").status_code == 404


def test_the_answers_feed_lists_published_answers_only(client, demo):
    answers = OwnerAnswer.objects.filter(live=True)
    assert answers.exists()
    draft = answers.first()
    draft.we_did = "A draft nobody has published yet"
    draft.live = False
    draft.save()
    _title, entries = feed(client, "/you-said-we-did/feed/")
    assert len(entries) == OwnerAnswer.objects.filter(live=True, entry__live=True).count()
    assert all("We did:" in entry["summary"] for entry in entries)
    assert not any("A draft nobody" in entry["summary"] for entry in entries)
    _title, bristol = feed(client, "/you-said-we-did/bristol/feed/")
    assert len(bristol) == OwnerAnswer.objects.filter(live=True, entry__organisation__slug="bristol").count()


def test_the_pages_announce_their_feeds(client, demo):
    for page, feed_url in [
        ("/recently-changed/", "/recently-changed/feed/"),
        ("/recently-changed/leeds/", "/recently-changed/leeds/feed/"),
        ("/you-said-we-did/", "/you-said-we-did/feed/"),
        ("/leeds/", "/recently-changed/leeds/feed/"),
    ]:
        html = client.get(page).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" href="{feed_url}"' in html, page
