"""The register as open data: downloads of the whole register, a council's and a filtered list, in CSV and
JSON, linked from every register page, with a data dictionary and the Open Government Licence. One module:
the demo loads once."""

import csv
import io
import json
import re

import pytest
from wagtail.models import Locale

from datauses.models import DataUsePage, RegisterPage
from datauses.open_data import COLUMNS
from feedback.models import FeedbackSubmission
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db

NAMES = [column.name for column in COLUMNS]


def rows(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so spreadsheets read it as UTF-8
    reader = csv.reader(io.StringIO(text[1:]))
    header = next(reader)
    assert header == NAMES
    return [dict(zip(header, row, strict=True)) for row in reader]


def document(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def english_entries():
    return DataUsePage.objects.live().public().filter(locale=Locale.get_default())


def test_the_whole_register_downloads_as_csv_and_json_with_every_published_entry(client, demo):
    expected = english_entries()
    table = rows(client, "/open-data/register.csv")
    assert sorted(row["reference"] for row in table) == sorted(expected.values_list("reference", flat=True))
    assert [row["title"] for row in table] == sorted(row["title"] for row in table)  # in the register's order

    data = document(client, "/open-data/register.json")
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["count"] == expected.count() == len(data["entries"])
    assert data["data_dictionary"] == "http://testserver/open-data/"
    entry = expected.get(reference=data["entries"][0]["reference"])
    first = data["entries"][0]
    assert list(first) == NAMES
    assert first["title"] == entry.title and first["council"] == entry.organisation.name
    assert first["address"] == entry.full_url
    assert first["uses_algorithm"] is entry.uses_algorithm  # a real true or false
    assert first["last_updated"] == entry.last_published_at.date().isoformat()
    assert isinstance(first["kinds_of_data"], list)
    # The CSV says the same in words and semicolons.
    same = next(row for row in table if row["reference"] == entry.reference)
    assert same["uses_algorithm"] == ("yes" if entry.uses_algorithm else "no")
    assert same["kinds_of_data"] == "; ".join(first["kinds_of_data"])


def test_drafts_private_entries_and_feedback_are_never_in_a_download(client, demo):
    entry = english_entries().order_by("pk").first()
    draft = DataUsePageFactory(
        parent=RegisterPage.objects.get(organisation=entry.organisation, locale=entry.locale),
        organisation=entry.organisation,
        title="A draft nobody has published",
        live=False,
    )
    FeedbackSubmission.objects.create(
        entry=entry, organisation=entry.organisation, comfort="very_uncomfortable", comment="Ask Jo Bloggs about it"
    )
    csv_text = client.get("/open-data/register.csv").content.decode()
    json_text = client.get("/open-data/register.json").content.decode()
    for text in (csv_text, json_text):
        assert draft.title not in text
        assert "Jo Bloggs" not in text
        assert "@" not in re.sub(r"https?://\S+", "", text)  # no email addresses


def test_a_councils_register_downloads_only_its_entries_and_filters_narrow_the_download(client, demo):
    register = RegisterPage.objects.live().filter(locale=Locale.get_default(), organisation__slug="leeds").get()
    html = client.get(register.url, {"status": "in_use"}).content.decode()
    csv_link = re.search(r'<link rel="alternate" type="text/csv" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert csv_link.startswith("/open-data/register.csv?")
    assert "council=leeds" in csv_link and "status=in_use" in csv_link
    assert 'id="downloads"' in html and "/open-data/" in html

    table = rows(client, csv_link)
    leeds_in_use = english_entries().filter(organisation__slug="leeds", status="in_use")
    assert sorted(row["reference"] for row in table) == sorted(leeds_in_use.values_list("reference", flat=True))
    assert {row["council_code"] for row in table} == {"leeds"} and {row["status"] for row in table} == {"in_use"}
    assert client.get(csv_link)["Content-Disposition"] == 'attachment; filename="data-use-register-leeds-filtered.csv"'

    # Words narrow it as a search does, best match first.
    searched = rows(client, "/open-data/register.csv?q=cameras")
    assert searched and len(searched) < english_entries().count()
    assert all("camera" in " ".join(row.values()).lower() for row in searched)


def test_a_welsh_download_is_in_welsh_with_untranslated_entries_marked_english(client, demo):
    data = document(client, "/cy/open-data/register.json?council=cardiff")
    assert data["language"] == "cy"
    assert data["entries"] and {entry["language"] for entry in data["entries"]} == {"cy"}
    welsh_titles = set(DataUsePage.objects.live().filter(locale__language_code="cy").values_list("title", flat=True))
    assert {entry["title"] for entry in data["entries"]} <= welsh_titles
    bristol = document(client, "/cy/open-data/register.json?council=bristol")["entries"]
    assert bristol and {entry["language"] for entry in bristol} == {"en-GB"}
    assert all(not entry["address"].split("//", 1)[1].split("/", 1)[1].startswith("cy/") for entry in bristol)


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_made_plain(client, demo):
    entry = english_entries().order_by("pk").first()
    entry.summary = '=HYPERLINK("http://evil.example","Click")'
    entry.save_revision().publish()
    row = next(r for r in rows(client, "/open-data/register.csv") if r["reference"] == entry.reference)
    assert row["summary"] == "'" + entry.summary
    assert document(client, "/open-data/register.json")["entries"]  # JSON keeps the text as written


def test_unknown_filters_and_formats_are_answered_politely(client, demo):
    # A filter value the register does not know is ignored, as on the register's pages.
    assert len(rows(client, "/open-data/register.csv?status=nonsense")) == english_entries().count()
    assert client.get("/open-data/register.xlsx").status_code == 404
    assert client.post("/open-data/register.csv").status_code == 405


def test_the_data_dictionary_explains_every_column_and_the_licence(client, demo):
    response = client.get("/open-data/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in NAMES:
        assert f"<code>{name}</code>" in html
    assert "<code>in_use</code>: In use" in html and "<code>public_task</code>: Public task" in html
    assert 'rel="license"' in html and "open-government-licence/version/3" in html
    assert "/open-data/register.csv?council=cardiff" in html
    assert client.get("/cy/open-data/").status_code == 200


def test_each_entry_is_open_data_as_json_and_describes_itself_to_search_engines(client, demo):
    entry = english_entries().filter(risks__isnull=False, sharing__isnull=False).distinct().first()
    html = client.get(entry.url).content.decode()
    json_url = f"/open-data/entries/{entry.reference}.json"
    assert f'<link rel="alternate" type="application/json" href="{json_url}"' in html
    assert f'href="{json_url}"' in html.split('id="entry-data"', 1)[1]

    data = document(client, json_url)
    assert data["reference"] == entry.reference and data["title"] == entry.title
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert {risk["risk"] for risk in data["risks"]} == set(entry.risks.values_list("risk", flat=True))
    assert {share["why"] for share in data["shared_with_in_full"]} == set(
        entry.sharing.values_list("purpose", flat=True)
    )
    assert all(isinstance(kind["special_category"], bool) for kind in data["kinds_of_data_in_full"])

    # schema.org: a government service provided by the council, as a data block (never run as a script).
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    described = json.loads(block)
    assert described["@type"] == "GovernmentService" and described["name"] == entry.title
    assert described["provider"] == {"@type": "GovernmentOrganization", "name": entry.organisation.name}
    assert described["url"] == f"http://testserver{entry.url}" and described["identifier"] == entry.reference


def test_structured_data_cannot_break_out_of_its_block(client, demo):
    entry = english_entries().order_by("pk").first()
    entry.title = "Cameras </script><script>alert(1)</script> & more"
    entry.save_revision().publish()
    html = client.get(entry.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and json.loads(block)["name"] == entry.title


def test_an_unknown_reference_is_a_polite_not_found(client, demo):
    response = client.get("/open-data/entries/NOPE-0000.json")
    assert response.status_code == 404
    assert client.get("/open-data/entries/not a reference.json").status_code == 404
