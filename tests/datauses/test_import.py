"""Importing entries from a file (python manage.py import_register, and the admin's Import entries screen): the
register's own CSV and JSON, ATRS records (JSON and GOV.UK text) and Dutch register records. Every record is
checked first and nothing is imported if anything is wrong; entries arrive as drafts; what the file does not
state is never made up; the same file twice changes nothing; export, import, export gives the same file.
One module: the demo loads once."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from wagtail.models import Locale, Revision

from datauses.models import DataUsePage

pytestmark = pytest.mark.django_db


def english():
    return DataUsePage.objects.filter(locale=Locale.get_default())


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


def import_file(path, *options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_register", path, *options, stdout=out, stderr=err)
    except CommandError as error:
        return False, f"{err.getvalue()}\n{error}"
    return True, out.getvalue()


def empty_council(slug):
    """Delete a council's entries in every language: the empty site an export is imported into."""
    for page in DataUsePage.objects.filter(organisation__slug=slug).order_by("-depth"):
        page.delete()


def publish_drafts(slug):
    for page in english().filter(organisation__slug=slug, live=False):
        page.get_latest_revision().publish()


def test_export_import_export_gives_the_same_file(client, demo, tmp_path):
    for page in english().filter(organisation__slug="cardiff", live=True):
        page.save_revision().publish()  # every entry published today, as the new site's will be
    before = client.get("/open-data/register.json?council=cardiff").content
    before_csv = client.get("/open-data/register.csv?council=cardiff").content
    count = english().filter(organisation__slug="cardiff", live=True).count()
    empty_council("cardiff")
    assert not english().filter(organisation__slug="cardiff").exists()

    ok, output = import_file(write(tmp_path, "cardiff.json", before))
    assert ok, output
    assert f"{count} new, 0 changed, 0 unchanged" in output
    drafts = english().filter(organisation__slug="cardiff")
    assert drafts.count() == count and not drafts.filter(live=True).exists()  # drafts, not published
    # The register's download names the kinds of data and who it is shared with, but not why: the drafts say so.
    for draft in drafts:
        assert set(draft.not_stated) <= {"data_categories.reason", "sharing.purpose"}, draft.not_stated
    assert any(draft.not_stated for draft in drafts)
    publish_drafts("cardiff")

    after = client.get("/open-data/register.json?council=cardiff").content
    strip = lambda text: {k: v for k, v in json.loads(text).items() if k != "generated_at"}  # noqa: E731
    assert strip(after) == strip(before)
    assert client.get("/open-data/register.csv?council=cardiff").content == before_csv


def test_the_same_file_twice_changes_nothing(client, demo, tmp_path):
    path = write(tmp_path, "leeds.csv", client.get("/open-data/register.csv?council=leeds").content)
    ok, output = import_file(path)
    assert ok, output
    assert "0 new" in output  # the entries are already there, found by their references
    revisions = Revision.objects.count()
    ok, output = import_file(path)
    assert ok and "0 new, 0 changed" in output, output
    assert Revision.objects.count() == revisions


def test_an_atrs_record_arrives_as_a_draft_and_what_it_does_not_state_is_never_claimed(client, demo, tmp_path):
    source = english().get(slug="housing-repairs-chatbot")
    record = json.loads(client.get(f"/open-data/entries/{source.reference}/atrs.json").content)
    record["reference"] = ""
    record["tier_1"]["name"] = "A new chatbot for zebra crossings"
    record["tier_1"]["website_url"] = ""
    ok, output = import_file(write(tmp_path, "record.json", json.dumps(record)))
    assert ok, output
    draft = english().get(title="A new chatbot for zebra crossings")
    assert not draft.live and draft.reference.startswith("BRS-")
    # The ATRS record says nothing about the lawful basis, retention or whether data leaves the UK.
    for part in ("lawful_basis", "retention", "leaves_uk", "opt_out", "service_area", "data_categories"):
        assert part in draft.not_stated, part
    assert draft.lawful_basis == "" and draft.retention == "" and draft.service_area is None
    assert draft.tool_suppliers.get().companies_house_number == "09876543"
    assert [model.name for model in draft.tool_models.all()] == ["Message reader", "Repair type and priority"]
    assert draft.senior_responsible_owner == "Director of Housing and Landlord Services"
    # Residents see none of it: it is a draft.
    assert "zebra crossings" not in client.get("/open-data/register.csv").content.decode()
    assert client.get(draft.url or "/bristol/a-new-chatbot-for-zebra-crossings/").status_code == 404


def test_the_text_of_a_govuk_record_imports_even_with_v4_labels(client, demo, tmp_path):
    source = english().get(slug="falls-risk-prediction")
    text = client.get(f"/open-data/entries/{source.reference}/atrs.md").content.decode()
    text = text.replace("External supplier involvement", "Third party involvement").replace(
        "### 1.4.1 - External supplier", "### 1.4.1 - Third party"
    )
    text = text.replace(
        "Title: Leeds City Council: Predicting who may have a fall", "Title: Leeds City Council: Falls v4"
    )
    text = text.replace("### Name\n\nPredicting who may have a fall", "### Name\n\nFalls v4")
    ok, output = import_file(write(tmp_path, "record.md", text))
    assert ok, output
    draft = english().get(title="Falls v4")
    assert draft.tool_suppliers.get().name == "Northern Care Analytics Ltd"
    assert draft.tool_suppliers.get().companies_house_number == "SC612345"
    assert draft.third_party_involved == "yes" and draft.atrs_phase == "private-beta" and draft.status == "pilot"
    assert len(draft.tool_datasets.all()) == 2 and draft.risks.count() == source.risks.count()


def test_a_dutch_record_keeps_month_only_dates_and_marks_what_it_lacks(client, demo, tmp_path):
    record = {
        "name": "Verkeerslichten op de ringweg",
        "description_short": "Sensoren in het wegdek regelen de verkeerslichten.",
        "organization": "Leeds City Council",
        "category": ["Verkeer"],
        "status": "In gebruik",
        "begin_date": "2023-01",
        "end_date": None,
        "contact_email": "algoritmes@example.org",
        "publication_category": "Impactvolle algoritmes",
        "goal": "<p>Minder wachten bij <b>rood</b>.</p>",
        "human_intervention": "<p>Een verkeersleider kijkt mee.</p>",
        "risks": "<ul><li>Storing van een sensor</li></ul>",
        "provider": "Intern ontwikkeld",
        "lang": "nld",
        "standard_version": "1.0",
        "lars": "12345678",
    }
    ok, output = import_file(write(tmp_path, "nl.json", json.dumps(record)))
    assert ok, output
    draft = english().get(title="Verkeerslichten op de ringweg")
    assert draft.start_date.isoformat() == "2023-01-01" and draft.start_date_precision == "month"
    assert draft.status == "in_use" and draft.purpose == "Minder wachten bij rood."
    assert draft.risks.get().risk == "- Storing van een sensor" and "risks.safeguard" in draft.not_stated
    assert not draft.tool_suppliers.exists()  # built in-house: no supplier invented


def problems_of(tmp_path, name, content):
    before = english().count()
    ok, output = import_file(write(tmp_path, name, content))
    assert not ok, output
    assert english().count() == before  # nothing imported
    return output


def test_bad_files_are_explained_record_by_record_and_nothing_is_imported(client, demo, tmp_path):
    wrong_columns = "reference,title,colour\nBRS-9001,A title,blue\n"
    output = problems_of(tmp_path, "wrong.csv", wrong_columns)
    assert "the first row, colour: This is not one of the register's columns" in output
    assert "council_code: This column is missing" in output

    rows = list(
        csv.DictReader(io.StringIO(client.get("/open-data/register.csv?council=bristol").content.decode("utf-8-sig")))
    )
    header = list(rows[0])

    def table(*changes):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        for number, change in enumerate(changes):
            row = dict(rows[number])
            row.update(change)
            writer.writerow(row)
        return out.getvalue()

    output = problems_of(
        tmp_path,
        "bad.csv",
        table(
            {"start_date": "31/12/2026"},
            {"last_reviewed": "2026-03", "start_date": "2026-03"},
            {"council_code": "atlantis"},
            {"status": "maybe"},
            {"reference": rows[0]["reference"]},
        ),
    )
    assert "row 2 (" in output and "start_date: '31/12/2026' is not a date: write it as 2026-12-31" in output
    assert "last_reviewed: Give the whole date, like 2026-12-31" in output
    assert "row 3" in output and "start_date" not in output.split("row 3")[1].split("\n")[0]  # a month is fine there
    assert "'atlantis' is not a council you can add entries for" in output
    assert "status: 'maybe' is not one of the codes" in output
    assert "The same entry is in the file twice: see row 2" in output

    output = problems_of(
        tmp_path, "latin.csv", "reference,title,council_code\nBRS-9002,Caf\xe9 ŵ,bristol\n".encode("latin-1", "replace")
    )
    assert "The file is not in UTF-8" in output and "CSV UTF-8" in output

    big = b"reference,title,council_code\n" + b"x" * (50 * 1024 * 1024)
    output = problems_of(tmp_path, "big.csv", big)
    assert "The file is 50.0 MB; the largest file we take is 25 MB" in output

    record = json.loads(
        client.get(f"/open-data/entries/{english().get(slug='housing-repairs-chatbot').reference}/atrs.json").content
    )
    record["tier_1"]["contact_email"] = "https://www.bristol.gov.uk/contact"
    output = problems_of(tmp_path, "url.json", json.dumps(record))
    assert (
        "tier_1.contact_email: 'https://www.bristol.gov.uk/contact' is a web address; an email address is needed"
        in output
    )

    output = problems_of(tmp_path, "nonsense.json", "{not json")
    assert "The file is not valid JSON" in output


def test_a_councils_editor_imports_from_the_admin_for_their_council_only(client, demo, django_user_model):
    editor = django_user_model.objects.create_user("import-editor", password="x")
    editor.groups.add(Group.objects.get(name="Bristol editors"))
    client.force_login(editor)
    page = client.get("/admin/import-entries/")
    assert page.status_code == 200 and "Bristol City Council" in page.content.decode()
    assert "Leeds City Council" not in page.content.decode().split("You can import entries for:")[1].split("</p>")[0]

    leeds = client.get("/open-data/register.csv?council=leeds").content
    refused = client.post("/admin/import-entries/", {"file": SimpleUploadedFile("leeds.csv", leeds)})
    assert refused.status_code == 422
    assert "is not a council you can add entries for" in refused.content.decode()

    bristol = client.get("/open-data/register.csv?council=bristol").content
    checked = client.post("/admin/import-entries/", {"file": SimpleUploadedFile("b.csv", bristol), "check_only": "on"})
    assert checked.status_code == 200 and "has no problems. Nothing was imported" in checked.content.decode()
    done = client.post("/admin/import-entries/", {"file": SimpleUploadedFile("b.csv", bristol)})
    text = done.content.decode()
    assert done.status_code == 200 and "0 new, 0 changed" in text, (
        text[text.find("Imported") :][:800] + text[text.find("import-") :][:800]
    )

    nobody = django_user_model.objects.create_user("nobody-import", password="x")
    client.force_login(nobody)
    assert client.get("/admin/import-entries/").status_code in (302, 403)
