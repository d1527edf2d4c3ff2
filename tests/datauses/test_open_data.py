"""The register as open data and open standards: downloads of the whole register, a council's and a filtered
list in CSV and JSON with a data dictionary and the Open Government Licence; nothing unpublished or personal
through any open endpoint; every published version kept and downloadable; ATRS records held, shown and
exported; imports from the register's files, ATRS and the Dutch standard. One module, so the demo loads once
for all of them (each test runs in its own savepoint)."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction, Revision

from datauses.history import HISTORY_NAMES
from datauses.models import DataUsePage, Organisation, PublishedVersion, RegisterPage, ToolSupplier
from datauses.open_data import COLUMNS
from feedback.models import FeedbackSubmission, Follower, OwnerAnswer, PrivateReply, ReplyContact
from tests.factories import DataUsePageFactory

pytestmark = pytest.mark.django_db


# ---- Downloads, the data dictionary and each entry as JSON --------------------------------------------------------

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


# ---- Nothing unpublished or personal through any open endpoint ----------------------------------------------------

SECRETS = {
    "draft entry": "Zqdraftentry never published",
    "draft change": "Zqdraftchange to a live entry",
    "private entry": "Zqprivateentry behind a login",
    "feedback comment": "Zqfeedbackcomment from a resident",
    "reply address": "zqreply.resident@example.com",
    "follower address": "zqfollower@example.com",
    "private reply": "Zqprivatereply sent to one person",
    "unpublished answer": "Zqunpublishedanswer still a draft",
    "staff address": "zqstaff.member@example.gov.uk",
    "staff name": "Zqstaffname",
}


@pytest.fixture
def planted(demo):
    entry = (
        DataUsePage.objects.live().public().filter(locale=Locale.get_default(), alias_of__isnull=True).order_by("pk")
    ).first()
    register = RegisterPage.objects.get(organisation=entry.organisation, locale=entry.locale)
    DataUsePageFactory(parent=register, organisation=entry.organisation, title=SECRETS["draft entry"], live=False)
    private = DataUsePageFactory(parent=register, organisation=entry.organisation, title=SECRETS["private entry"])
    private.save_revision().publish()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft = DataUsePage.objects.get(pk=entry.pk)
    draft.summary = SECRETS["draft change"]
    draft.change_note = SECRETS["draft change"]
    draft.save_revision()
    submission = FeedbackSubmission.objects.create(
        entry=entry,
        organisation=entry.organisation,
        comfort="very_uncomfortable",
        comment=SECRETS["feedback comment"],
        dedupe_key="planted-secret",
    )
    ReplyContact.objects.create(submission=submission, email=SECRETS["reply address"])
    PrivateReply.objects.create(submission=submission, body=SECRETS["private reply"])
    Follower.objects.create(entry=entry, email=SECRETS["follower address"], token="planted-token")
    answer = OwnerAnswer(entry=entry, submission=submission, you_said=SECRETS["unpublished answer"], we_did="Draft.")
    answer.live = False
    answer.save()
    answer.save_revision()
    get_user_model().objects.create_user(
        username="zqstaff", email=SECRETS["staff address"], first_name=SECRETS["staff name"], password="x"
    )
    Organisation.objects.update(publish_feedback_counts=True)
    return entry


def open_addresses(client, entry):
    """Every open data address there is, in English and Welsh."""
    addresses = [
        "/open-data/",
        "/open-data/register.csv",
        "/open-data/register.json",
        "/open-data/register-history.csv",
        "/open-data/register-history.json",
        "/open-data/feedback.csv",
        "/open-data/feedback.json",
        "/api/v1/councils/",
        "/api/v1/taxonomies/",
        "/api/v1/openapi.json",
        "/api/v1/entries/?page_size=200",
        "/recently-changed/feed/",
        "/you-said-we-did/feed/",
        "/sitemap.xml",
        "/robots.txt",
        "/recently-changed/",
        "/you-said-we-did/",
    ]
    for organisation in Organisation.objects.filter(locale=Locale.get_default()):
        addresses += [
            f"/open-data/register.csv?council={organisation.slug}",
            f"/open-data/register-history.json?council={organisation.slug}",
            f"/recently-changed/{organisation.slug}/feed/",
            f"/you-said-we-did/{organisation.slug}/feed/",
        ]
    for reference in DataUsePage.objects.filter(locale=Locale.get_default()).values_list("reference", flat=True):
        addresses += [
            f"/open-data/entries/{reference}.json",
            f"/api/v1/entries/{reference}/",
            f"/entries/{reference}/versions/",
            f"/entries/{reference}/versions/?from=1&to=99",
        ]
    return addresses + [f"/cy{address}" for address in addresses]


def test_no_open_endpoint_gives_away_anything_unpublished_or_personal(client, planted):
    read = 0
    for address in open_addresses(client, planted):
        response = client.get(address)
        assert response.status_code in (200, 404), address
        if response.status_code == 404:
            continue
        read += 1
        text = response.content.decode("utf-8")
        for what, secret in SECRETS.items():
            assert secret.lower() not in text.lower(), f"{what} in {address}"
        assert "zq" not in text.lower(), address
        if address.endswith(".json") or "/api/" in address:
            json.loads(text)
        # No email addresses but the site's own contact and team inboxes, which entry pages publish anyway.
        for found in re.findall(r"[\w.+-]+@[\w-]+\.[\w.-]+", text):
            assert not found.startswith("zq"), (found, address)
    assert read > 100


# ---- Every published version --------------------------------------------------------------------------------------


def an_entry(slug="bristol"):
    return (
        DataUsePage.objects.live()
        .public()
        .filter(locale=Locale.get_default(), organisation__slug=slug, alias_of__isnull=True)
        .order_by("pk")
        .first()
    )


def publish(entry, **changes):
    page = DataUsePage.objects.get(pk=entry.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return DataUsePage.objects.get(pk=entry.pk)


def versions_url(entry):
    return f"/entries/{entry.reference}/versions/"


def test_every_publish_keeps_a_version_and_the_page_shows_what_changed(client, demo):
    entry = an_entry()
    before = client.get(versions_url(entry))
    assert before.status_code == 200
    kept = PublishedVersion.objects.filter(entry=entry).count()
    assert kept >= 1
    old_summary = entry.summary

    publish(
        entry,
        summary="We now also use the data to plan bin rounds.",
        status="retired",
        change_note="We added bin rounds and stopped the service.",
    )
    assert PublishedVersion.objects.filter(entry=entry).count() == kept + 1
    # A draft nobody published is never a version, nor shown.
    draft = DataUsePage.objects.get(pk=entry.pk)
    draft.summary = "Draft words the council has not published"
    draft.save_revision()
    assert PublishedVersion.objects.filter(entry=entry).count() == kept + 1

    html = client.get(versions_url(entry)).content.decode()
    assert f"What changed from version {kept} to version {kept + 1}" in html
    assert "We added bin rounds and stopped the service." in html
    assert old_summary in html and "We now also use the data to plan bin rounds." in html
    assert "No longer used" in html  # the status in words, not its code
    assert "Draft words" not in html
    # Every version is listed, newest first, each linked to what changed in it.
    assert html.index(f'id="version-{kept + 1}"') < html.index('id="version-1"')
    assert f"?from={kept}&amp;to={kept + 1}#comparison" in html


def test_any_two_versions_can_be_compared_and_bad_choices_are_ignored_politely(client, demo):
    entry = an_entry()
    publish(entry, title="Renamed once", change_note="Renamed it.")
    publish(entry, title="Renamed twice", change_note="Renamed it again.")
    newest = PublishedVersion.objects.filter(entry=entry).order_by("-number").first().number

    html = client.get(versions_url(entry), {"from": 1, "to": newest}).content.decode()
    assert f"What changed from version 1 to version {newest}" in html and "Renamed twice" in html
    # Either way round reads oldest to newest.
    assert (
        f"What changed from version 1 to version {newest}"
        in client.get(versions_url(entry), {"from": newest, "to": 1}).content.decode()
    )
    same = client.get(versions_url(entry), {"from": 2, "to": 2}).content.decode()
    assert 'id="no-changes"' in same and "same version twice" in same
    for nonsense in ({"from": "x", "to": "999"}, {"to": "-1"}, {"page": "abc"}):
        response = client.get(versions_url(entry), nonsense)
        assert response.status_code == 200, nonsense
        assert f"What changed from version {newest - 1} to version {newest}" in response.content.decode()


def test_only_published_public_entries_have_a_versions_page(client, demo):
    assert client.get("/entries/NOPE-0001/versions/").status_code == 404
    private = an_entry("leeds")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(versions_url(private)).status_code == 404
    gone = an_entry("cardiff")
    DataUsePage.objects.get(pk=gone.pk).unpublish()
    assert client.get(versions_url(gone)).status_code == 404


def test_the_entry_page_links_to_its_versions_and_welsh_readers_get_welsh(client, demo):
    entry = an_entry("cardiff")
    html = client.get(entry.url).content.decode()
    assert f'href="/entries/{entry.reference}/versions/"' in html
    welsh = client.get(f"/cy/entries/{entry.reference}/versions/")
    assert welsh.status_code == 200
    assert '<html lang="cy"' in welsh.content.decode()


def test_the_download_with_history_has_a_row_for_every_version(client, demo):
    entry = an_entry("leeds")
    publish(entry, purpose="A new purpose for the download.", change_note="New purpose.")
    versions = list(PublishedVersion.objects.filter(entry=entry).order_by("number"))
    assert len(versions) >= 2

    response = client.get("/open-data/register-history.csv", {"council": "leeds"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="data-use-register-history-leeds.csv"'
    reader = csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")))
    assert reader.fieldnames == HISTORY_NAMES
    table = list(reader)
    assert {row["council_code"] for row in table} == {"leeds"}
    mine = [row for row in table if row["reference"] == entry.reference]
    assert [int(row["version"]) for row in mine] == [version.number for version in versions]
    assert mine[-1]["purpose"] == "A new purpose for the download." and mine[-1]["change_note"] == "New purpose."
    assert mine[0]["purpose"] != mine[-1]["purpose"]

    data = json.loads(client.get("/open-data/register-history.json", {"council": "leeds"}).content)
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["count"] == len(table) == len(data["versions"])
    last = [row for row in data["versions"] if row["reference"] == entry.reference][-1]
    assert last["version"] == versions[-1].number and last["risks"] == versions[-1].content["risks"]


def test_versions_published_before_they_were_kept_are_rebuilt_once(client, demo):
    # Every live entry has its published version.
    assert not DataUsePage.objects.live().filter(alias_of__isnull=True, published_versions__isnull=True).exists()
    entry = an_entry("leeds")
    publish(entry, title="First title we logged", change_note="Renamed.")
    publish(entry, title="Second title we logged", change_note="Renamed again.")
    kept = {v.number: v for v in PublishedVersion.objects.filter(entry=entry)}
    newest = max(kept)
    # As on a site upgraded to this release: its versions were never kept.
    PublishedVersion.objects.all().delete()

    out = io.StringIO()
    call_command("record_versions", stdout=out)
    assert "Kept 0 " not in out.getvalue()
    rebuilt = list(PublishedVersion.objects.filter(entry=entry).order_by("number"))
    assert [v.content["title"] for v in rebuilt[-2:]] == ["First title we logged", "Second title we logged"]
    assert rebuilt[-1].change_note == "Renamed again."
    assert rebuilt[-1].content == kept[newest].content  # what the public saw, column for column
    assert [v.number for v in rebuilt] == list(range(1, len(rebuilt) + 1))
    assert not DataUsePage.objects.live().filter(alias_of__isnull=True, published_versions__isnull=True).exists()

    total = PublishedVersion.objects.count()
    call_command("record_versions", stdout=out)
    assert "Kept 0 published versions" in out.getvalue()
    assert PublishedVersion.objects.count() == total


def test_the_versions_page_asks_the_same_number_of_queries_however_many_versions(
    client, demo, django_assert_max_num_queries
):
    entry = an_entry("bristol")
    client.get(versions_url(entry))
    with django_assert_max_num_queries(13) as few:
        client.get(versions_url(entry))
    for number in range(3):
        publish(entry, title=f"Title {number}", change_note=f"Change {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(versions_url(entry))


# ---- Algorithmic transparency records (ATRS) ----------------------------------------------------------------------

# The standard's fields (ATRS v3.0 template attribute names), written out here rather than read from the code.
ATRS_V3 = {
    "tier_1": ["name", "description", "website_url", "contact_email"],
    "owner_and_responsibility": [
        "organisation_or_department",
        "team",
        "senior_responsible_owner",
        "external_supplier_involvement",
        "external_suppliers",
    ],
    "supplier": [
        "external_supplier",
        "companies_house_number",
        "external_supplier_role",
        "procurement_procedure_type",
        "data_access_terms",
    ],
    "description_and_rationale": [
        "detailed_description",
        "scope",
        "benefit",
        "previous_process",
        "alternatives_considered",
    ],
    "decision_making_process": [
        "process_integration",
        "provided_information",
        "frequency_and_scale_of_usage",
        "human_decisions_and_review",
        "required_training",
        "appeals_and_review",
    ],
    "tool_specification": ["system_architecture", "phase", "maintenance", "models"],
    "model": [
        "model_name",
        "model_version",
        "model_task",
        "model_input",
        "model_output",
        "model_architecture",
        "model_performance",
        "datasets",
    ],
    "data": [
        "source_data_name",
        "data_modality",
        "data_description",
        "data_quantities",
        "sensitive_attributes",
        "data_completeness_and_representativeness",
        "source_data_url",
        "data_collection",
        "data_cleaning",
        "data_sharing_agreements",
        "data_access_and_storage",
    ],
}
# GOV.UK's allowed values (alphagov/specialist-publisher, algorithmic_transparency_records.json).
GOVUK_ALLOWED = {
    "organisation_type": {
        "ministerial-department",
        "non-ministerial-department",
        "agency-or-public-body",
        "local-authority",
        "devolved-administration",
        "high-profile-group",
        "public-corporation",
    },
    "function": {
        "general-public-services",
        "defence",
        "public-order-and-safety",
        "economic-affairs",
        "environmental-protection",
        "housing-and-community-amenities",
        "health",
        "recreation-culture-and-religion",
        "education",
        "social-protection",
        "regulation",
    },
    "capability": {
        "computer-vision",
        "computer-audition",
        "computer-linguistics",
        "robotics",
        "forecasting",
        "discovery",
        "planning",
        "creation",
        "analysis",
        "management",
        "other",
    },
    "phase": {"pre-deployment", "beta-pilot", "private-beta", "public-beta", "production", "retired"},
    "region": {
        "international",
        "uk",
        "great-britain",
        "england-and-wales",
        "northern-ireland",
        "scotland",
        "wales",
        "england",
        "london",
        "north-east",
        "north-west",
        "yorkshire-and-the-humber",
        "east-midlands",
        "west-midlands",
        "south-east",
        "east-of-england",
        "south-west",
    },
}


def entry(slug):
    return DataUsePage.objects.get(slug=slug, locale=Locale.get_default())


def record_of(client, page, language=""):
    response = client.get(f"{language}/open-data/entries/{page.reference}/atrs.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@pytest.mark.parametrize("slug", ["housing-repairs-chatbot", "falls-risk-prediction"])
def test_a_demo_tool_exports_as_a_complete_atrs_record_with_govuk_values(client, demo, slug):
    data = record_of(client, entry(slug))
    assert data["not_given"] == []  # nothing the standard asks for is missing
    assert list(data["tier_1"]) == ATRS_V3["tier_1"]
    tier_2 = data["tier_2"]
    for section in ("owner_and_responsibility", "description_and_rationale", "decision_making_process"):
        assert list(tier_2[section]) == ATRS_V3[section], section
    assert list(tier_2["tool_specification"]) == ATRS_V3["tool_specification"]
    for supplier in tier_2["owner_and_responsibility"]["external_suppliers"]:
        assert list(supplier) == ATRS_V3["supplier"]
    assert tier_2["model_specifications"] and tier_2["data_specifications"]
    for model in tier_2["model_specifications"]:
        assert list(model) == ATRS_V3["model"] and all(model.values())
    for dataset in tier_2["data_specifications"]:
        assert list(dataset) == ATRS_V3["data"]
    assert tier_2["tool_specification"]["models"] == [m["model_name"] for m in tier_2["model_specifications"]]
    risks = tier_2["risks_mitigations_and_impact_assessments"]
    assert risks["risks_and_mitigations"] and risks["impact_assessment"]

    metadata = data["metadata"]
    assert metadata["organisation"] in {"bristol-city-council", "leeds-city-council"}
    assert metadata["phase"] in GOVUK_ALLOWED["phase"]
    for key in ("organisation_type", "function", "capability", "region"):
        assert metadata[key] and set(metadata[key]) <= GOVUK_ALLOWED[key], key
    assert re.fullmatch(r"[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])", metadata["date_published"])
    assert metadata["atrs_version"] == data["atrs_version"] == "3.0"


def test_companies_house_numbers_keep_their_zeros_and_letters(client, demo):
    bristol = record_of(client, entry("housing-repairs-chatbot"))["tier_2"]["owner_and_responsibility"]
    assert bristol["external_supplier_involvement"] == "Yes"
    assert bristol["external_suppliers"][0]["companies_house_number"] == "09876543"
    leeds = record_of(client, entry("falls-risk-prediction"))["tier_2"]["owner_and_responsibility"]
    assert leeds["external_suppliers"][0]["companies_house_number"] == "SC612345"

    page = entry("housing-repairs-chatbot")
    for wrong in ("9876543", "0987654321", "09 876 543", "https://x"):
        supplier = ToolSupplier(page=page, name="A supplier", role="Runs it.", companies_house_number=wrong)
        with pytest.raises(ValidationError) as error:
            supplier.full_clean(exclude=["page", "locale", "translation_key", "sort_order"])
        assert "8 letters and digits" in str(error.value), wrong


def test_the_govuk_text_has_the_numbered_headings_of_a_published_record(client, demo):
    page = entry("housing-repairs-chatbot")
    response = client.get(f"/open-data/entries/{page.reference}/atrs.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    headings = re.findall(r"^#{2,3} .+$", text, flags=re.M)
    expected_order = [
        "## Tier 1 Information",
        "### Name",
        "### Contact email",
        "## Tier 2 - Owner and Responsibility",
        "### 1.1 - Organisation or department",
        "### 1.3 - Senior responsible owner",
        "### 1.4 - External supplier involvement",
        "### 1.4.1 - External supplier",
        "### 1.4.2 - Companies House Number",
        "## Tier 2 - Description and Rationale",
        "### 2.1 - Detailed description",
        "## Tier 2 - Decision-making Process",
        "### 3.6 - Appeals and review",
        "## Tier 2 - Tool Specification",
        "### 4.1.2 - Phase",
        "## Tier 2 - Model Specification: Message reader",
        "## Tier 2 - Model Specification: Repair type and priority",
        "## Tier 2 - Data Specification: Past repair jobs",
        "## Tier 2 - Risks, Mitigations and Impact Assessments",
        "### 5.1 - Impact assessment",
        "### 5.2 - Risks and mitigations",
    ]
    positions = [headings.index(heading) for heading in expected_order]
    assert positions == sorted(positions)
    assert "### 1.4.2 - Companies House Number\n\n09876543\n" in text
    assert "Title: Bristol City Council: The chatbot that books housing repairs" in text
    assert "| Risks | Mitigations |" in text
    assert "Not given in the register." not in text  # complete


def test_a_record_that_misses_what_the_standard_asks_says_so(client, demo):
    page = DataUsePage.objects.get(pk=entry("housing-repairs-chatbot").pk)
    page.senior_responsible_owner = ""
    page.save_revision().publish()
    data = record_of(client, page)
    assert data["not_given"] == ["tier_2.owner_and_responsibility.senior_responsible_owner"]
    text = client.get(f"/open-data/entries/{page.reference}/atrs.md").content.decode()
    assert "### 1.3 - Senior responsible owner\n\nNot given in the register.\n" in text


def test_only_published_entries_that_use_an_algorithm_have_a_record(client, demo):
    plain = DataUsePage.objects.live().filter(locale=Locale.get_default(), uses_algorithm=False).first()
    response = client.get(f"/open-data/entries/{plain.reference}/atrs.json")
    assert response.status_code == 404
    assert "does not use an algorithm" in response.content.decode()
    assert client.get("/open-data/entries/NOPE-1/atrs.json").status_code == 404
    assert client.get("/open-data/entries/NOPE-1/atrs.pdf").status_code == 404


def test_residents_read_the_tool_in_plain_words_only_where_there_is_one(client, demo):
    html = client.get(entry("housing-repairs-chatbot").url).content.decode()
    assert "How the computer tool works, in detail" in html
    assert "Director of Housing and Landlord Services" in html
    assert 'href="https://find-and-update.company-information.service.gov.uk/company/09876543"' in html
    assert "Message reader" in html and "Past repair jobs" in html
    assert f'href="/open-data/entries/{entry("housing-repairs-chatbot").reference}/atrs.json"' in html
    plain = DataUsePage.objects.live().filter(locale=Locale.get_default(), uses_algorithm=False).first()
    assert "How the computer tool works" not in client.get(plain.url).content.decode()


def test_the_record_is_there_from_the_welsh_addresses_too(client, demo):
    page = entry("housing-repairs-chatbot")
    data = record_of(client, page, "/cy")
    assert data["tier_2"]["owner_and_responsibility"]["external_suppliers"][0]["companies_house_number"] == "09876543"
    assert client.get(f"/cy/open-data/entries/{page.reference}/atrs.md").status_code == 200


def test_a_councils_editor_fills_the_tool_in_on_its_own_tab(client, demo, django_user_model):
    editor = django_user_model.objects.create_user("tool-editor", password="x")
    editor.groups.add(Group.objects.get(name="Bristol editors"))
    client.force_login(editor)
    page = entry("housing-repairs-chatbot")
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Algorithmic tool (ATRS)" in html
    assert 'value="09876543"' in html and "Senior responsible owner" in html
    # Another council's editor cannot open it.
    leeds_editor = django_user_model.objects.create_user("leeds-tool-editor", password="x")
    leeds_editor.groups.add(Group.objects.get(name="Leeds editors"))
    client.force_login(leeds_editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code in (302, 403)


def test_a_date_known_only_to_the_month_is_never_given_a_day(client, demo):
    page = DataUsePage.objects.get(pk=entry("falls-risk-prediction").pk)
    page.start_date_precision = "month"
    page.save_revision().publish()
    data = json.loads(client.get(f"/open-data/entries/{page.reference}.json").content)
    assert data["start_date"] == page.start_date.strftime("%Y-%m")
    api = json.loads(client.get(f"/api/v1/entries/{page.reference}/").content)
    assert api["start_date"] == page.start_date.strftime("%Y-%m")
    assert f"Started {page.start_date:%B %Y}" in client.get(page.url).content.decode()


# ---- Importing entries --------------------------------------------------------------------------------------------


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
