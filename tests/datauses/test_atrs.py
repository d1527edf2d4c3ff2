"""Entries that use an algorithm hold a whole UK Algorithmic Transparency Recording Standard (ATRS) record and
export it as JSON and as the text of a GOV.UK record; residents read the tool in plain words; editors fill it in
on its own tab. One module: the demo loads once (its Bristol chatbot and Leeds falls model have complete records)."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Locale

from datauses.models import DataUsePage, ToolSupplier

pytestmark = pytest.mark.django_db

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
