"""An entry that uses an algorithm, as a UK Algorithmic Transparency Recording Standard (ATRS) record: as JSON
(the standard's tier 1 and tier 2 sections under its own field names, and GOV.UK's metadata with its allowed
values), and as the text a council pastes into GOV.UK's publishing form, with the numbered headings published
records use. So a council can submit the record without typing it again.

The record follows ATRS v3.0, the last version whose whole field list is published (co-cddo/algorithmic-
transparency-recording-standard); v4.0 renamed "external supplier" to "third party" and merged a few fields,
which an import must read as well. Where the register holds nothing for a field
the standard asks for, the field is empty and listed under "not_given", so the council sees what to add.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from .models import DataUsePage, Status
from .models.tools import Capability, Function, OrganisationType, Phase, Region
from .open_data import json_text, open_file

ATRS_VERSION = "3.0"
# GOV.UK's metadata and the values it allows (alphagov/specialist-publisher, algorithmic_transparency_records).
ALLOWED = {
    "organisation_type": set(OrganisationType.values),
    "function": set(Function.values),
    "capability": set(Capability.values),
    "phase": set(Phase.values),
    "region": set(Region.values),
}
PHASE_FOR_STATUS = {
    Status.PLANNED: Phase.PRE_DEPLOYMENT,
    Status.PILOT: Phase.BETA_PILOT,
    Status.IN_USE: Phase.PRODUCTION,
    Status.RETIRED: Phase.RETIRED,
}
PHASE_WORDS = {
    Phase.PRE_DEPLOYMENT: "Pre-deployment",
    Phase.BETA_PILOT: "Beta/Pilot",
    Phase.PRIVATE_BETA: "Private Beta",
    Phase.PUBLIC_BETA: "Public Beta",
    Phase.PRODUCTION: "Production",
    Phase.RETIRED: "Retired",
}

# The sections and fields, in the standard's order: (section key, GOV.UK heading, [(field key, number, heading,
# required)]). The numbers are those of published GOV.UK records, which leave out the template's leading "2.".
OWNER = [
    ("organisation_or_department", "1.1", "Organisation or department", True),
    ("team", "1.2", "Team", True),
    ("senior_responsible_owner", "1.3", "Senior responsible owner", True),
    ("external_supplier_involvement", "1.4", "External supplier involvement", True),
]
SUPPLIER = [
    ("external_supplier", "1.4.1", "External supplier", True),
    ("companies_house_number", "1.4.2", "Companies House Number", False),
    ("external_supplier_role", "1.4.3", "External supplier role", True),
    ("procurement_procedure_type", "1.4.4", "Procurement procedure type", False),
    ("data_access_terms", "1.4.5", "Data access terms", False),
]
RATIONALE = [
    ("detailed_description", "2.1", "Detailed description", False),
    ("scope", "2.2", "Scope", True),
    ("benefit", "2.3", "Benefit", True),
    ("previous_process", "2.4", "Previous process", False),
    ("alternatives_considered", "2.5", "Alternatives considered", False),
]
DECISIONS = [
    ("process_integration", "3.1", "Process integration", True),
    ("provided_information", "3.2", "Provided information", True),
    ("frequency_and_scale_of_usage", "3.3", "Frequency and scale of usage", True),
    ("human_decisions_and_review", "3.4", "Human decisions and review", True),
    ("required_training", "3.5", "Required training", True),
    ("appeals_and_review", "3.6", "Appeals and review", False),
]
TOOL = [
    ("system_architecture", "4.1.1", "System architecture", True),
    ("phase", "4.1.2", "Phase", True),
    ("maintenance", "4.1.3", "Maintenance", True),
    ("models", "4.1.4", "Models", True),
]
MODEL = [
    ("model_name", "4.2.1", "Model name", True),
    ("model_version", "4.2.2", "Model version", True),
    ("model_task", "4.2.3", "Model task", True),
    ("model_input", "4.2.4", "Model input", True),
    ("model_output", "4.2.5", "Model output", True),
    ("model_architecture", "4.2.6", "Model architecture", True),
    ("model_performance", "4.2.7", "Model performance", True),
    ("datasets", "4.2.8", "Datasets and their purposes", True),
]
DATA = [
    ("source_data_name", "4.3.1", "Source data name", True),
    ("data_modality", "4.3.2", "Data modality", True),
    ("data_description", "4.3.3", "Data description", True),
    ("data_quantities", "4.3.4", "Data quantities", True),
    ("sensitive_attributes", "4.3.5", "Sensitive attributes", True),
    ("data_completeness_and_representativeness", "4.3.6", "Data completeness and representativeness", True),
    ("source_data_url", "4.3.7", "Source data URL", True),
    ("data_collection", "4.3.8", "Data collection", True),
    ("data_cleaning", "4.3.9", "Data cleaning", False),
    ("data_sharing_agreements", "4.3.10", "Data sharing agreements", True),
    ("data_access_and_storage", "4.3.11", "Data access and storage", True),
]
RISKS = [
    ("impact_assessment", "5.1", "Impact assessment", True),
    ("risks_and_mitigations", "5.2", "Risks and mitigations", True),
]
TIER_1 = [
    ("name", "Name", True),
    ("description", "Description", True),
    ("website_url", "Website URL", True),
    ("contact_email", "Contact email", True),
]


def phase_of(entry):
    return entry.atrs_phase or PHASE_FOR_STATUS.get(entry.status, "")


def _contact(entry):
    team = entry.owner_team
    return (team.contact_email if team else "") or entry.organisation.dpo_email


def _assessments(entry):
    return [
        {
            "assessment_title": assessment.get_kind_display(),
            "overview": assessment.summary,
            "date_completed": assessment.completed_on,
            "link": assessment.url,
        }
        for assessment in entry.impact_assessments.all()
    ]


def record(entry):
    """The ATRS record of ``entry`` as a dictionary (JSON-ready), in the standard's order."""
    organisation = entry.organisation
    suppliers = list(entry.tool_suppliers.all())
    tool_models = list(entry.tool_models.all())
    phase = phase_of(entry)
    document = {
        "atrs_version": entry.atrs_version or ATRS_VERSION,
        "reference": entry.reference,
        "metadata": {
            "title": f"{organisation.name}: {entry.title}",
            "summary": entry.summary,
            "organisation": organisation.govuk_slug,
            "organisation_type": [organisation.organisation_type],
            "function": list(entry.atrs_functions),
            "capability": list(entry.atrs_capabilities),
            "task": entry.atrs_task,
            "phase": phase,
            "region": list(entry.atrs_regions),
            "date_published": entry.first_published_at.date() if entry.first_published_at else None,
            "atrs_version": entry.atrs_version or ATRS_VERSION,
            "other_tags": entry.atrs_tags,
        },
        "tier_1": {
            "name": entry.title,
            "description": entry.algorithm_description or entry.summary,
            "website_url": entry.full_url,
            "contact_email": _contact(entry),
        },
        "tier_2": {
            "owner_and_responsibility": {
                "organisation_or_department": organisation.name,
                "team": entry.owner_team.name if entry.owner_team else "",
                "senior_responsible_owner": entry.senior_responsible_owner,
                "external_supplier_involvement": {"yes": "Yes", "no": "No"}.get(entry.third_party_involved, ""),
                "external_suppliers": [
                    {
                        "external_supplier": supplier.name,
                        "companies_house_number": supplier.companies_house_number,
                        "external_supplier_role": supplier.role,
                        "procurement_procedure_type": supplier.procurement_route,
                        "data_access_terms": supplier.data_access_terms,
                    }
                    for supplier in suppliers
                ],
            },
            "description_and_rationale": {
                "detailed_description": entry.detailed_description,
                "scope": entry.tool_scope,
                "benefit": entry.benefits,
                "previous_process": entry.previous_process,
                "alternatives_considered": entry.alternatives_considered,
            },
            "decision_making_process": {
                "process_integration": entry.process_integration,
                "provided_information": entry.provided_information,
                "frequency_and_scale_of_usage": entry.frequency_and_scale,
                "human_decisions_and_review": entry.human_review,
                "required_training": entry.required_training,
                "appeals_and_review": entry.challenge_route,
            },
            "tool_specification": {
                "system_architecture": entry.system_architecture,
                "phase": PHASE_WORDS.get(phase, ""),
                "maintenance": entry.maintenance,
                "models": [model.name for model in tool_models],
            },
            "model_specifications": [
                {
                    "model_name": model.name,
                    "model_version": model.version,
                    "model_task": model.task,
                    "model_input": model.model_input,
                    "model_output": model.model_output,
                    "model_architecture": model.architecture,
                    "model_performance": model.performance,
                    "datasets": model.datasets,
                }
                for model in tool_models
            ],
            "data_specifications": [
                {
                    "source_data_name": dataset.name,
                    "data_modality": dataset.modality,
                    "data_description": dataset.description,
                    "data_quantities": dataset.quantities,
                    "sensitive_attributes": dataset.sensitive_attributes,
                    "data_completeness_and_representativeness": dataset.completeness,
                    "source_data_url": dataset.source_url,
                    "data_collection": dataset.collection,
                    "data_cleaning": dataset.cleaning,
                    "data_sharing_agreements": dataset.sharing_agreements,
                    "data_access_and_storage": dataset.access_and_storage,
                }
                for dataset in entry.tool_datasets.all()
            ],
            "risks_mitigations_and_impact_assessments": {
                "impact_assessment": _assessments(entry),
                "risks_and_mitigations": [
                    {"risk": risk.risk, "mitigation": risk.safeguard} for risk in entry.risks.all()
                ],
            },
        },
    }
    document["not_given"] = not_given(document)
    return document


def not_given(document):
    """The standard's required fields the record leaves empty, as paths like tier_2.team."""
    missing = [f"tier_1.{key}" for key, _heading, required in TIER_1 if required and not document["tier_1"][key]]
    tier_2 = document["tier_2"]
    sections = [
        ("owner_and_responsibility", OWNER),
        ("description_and_rationale", RATIONALE),
        ("decision_making_process", DECISIONS),
        ("tool_specification", TOOL),
    ]
    for section, fields in sections:
        missing += [
            f"tier_2.{section}.{key}" for key, _n, _h, required in fields if required and not tier_2[section][key]
        ]
    for name, fields, items in (
        ("external_suppliers", SUPPLIER, tier_2["owner_and_responsibility"]["external_suppliers"]),
        ("model_specifications", MODEL, tier_2["model_specifications"]),
        ("data_specifications", DATA, tier_2["data_specifications"]),
    ):
        for index, item in enumerate(items, start=1):
            missing += [
                f"tier_2.{name}.{index}.{key}" for key, _n, _h, required in fields if required and not item[key]
            ]
    risks = tier_2["risks_mitigations_and_impact_assessments"]
    missing += [f"tier_2.risks_mitigations_and_impact_assessments.{key}" for key, *_rest in RISKS if not risks[key]]
    metadata = document["metadata"]
    missing += [f"metadata.{key}" for key in ("organisation", "phase") if not metadata[key]]
    return missing


# The text for GOV.UK ------------------------------------------------------------------------------------------


def _text(value):
    if value in (None, "", []):
        return "Not given in the register."
    return str(value).strip()


def _fields(lines, fields, values):
    for key, number, heading, _required in fields:
        lines += [f"### {number} - {heading}", "", _text(values.get(key)), ""]


def govuk_text(document):
    """The record as the text of a GOV.UK algorithmic transparency record (govspeak: ## sections, ### fields),
    after the metadata its publishing form asks for."""
    metadata = document["metadata"]
    tier_1 = document["tier_1"]
    tier_2 = document["tier_2"]
    lines = [
        "<!-- For GOV.UK's form, not the body of the record -->",
        f"Title: {metadata['title']}",
        f"Summary: {metadata['summary']}",
        f"Organisation: {metadata['organisation'] or 'Not given in the register.'}",
        f"Organisation type: {', '.join(metadata['organisation_type'])}",
        f"Function: {', '.join(metadata['function']) or 'Not given in the register.'}",
        f"Capability: {', '.join(metadata['capability']) or 'Not given in the register.'}",
        f"Task: {_text(metadata['task'])}",
        f"Phase: {_text(metadata['phase'])}",
        f"Region: {', '.join(metadata['region']) or 'Not given in the register.'}",
        f"ATRS version: {metadata['atrs_version']}",
        f"Other tags: {_text(metadata['other_tags'])}",
        "<!-- The body of the record starts here -->",
        "",
        "## Tier 1 Information",
        "",
    ]
    for key, heading, _required in TIER_1:
        lines += [f"### {heading}", "", _text(tier_1[key]), ""]
    owner = tier_2["owner_and_responsibility"]
    lines += ["## Tier 2 - Owner and Responsibility", ""]
    _fields(lines, OWNER, owner)
    for supplier in owner["external_suppliers"]:
        _fields(lines, SUPPLIER, supplier)
    lines += ["## Tier 2 - Description and Rationale", ""]
    _fields(lines, RATIONALE, tier_2["description_and_rationale"])
    lines += ["## Tier 2 - Decision-making Process", ""]
    _fields(lines, DECISIONS, tier_2["decision_making_process"])
    tool = dict(
        tier_2["tool_specification"], models="\n".join(f"- {name}" for name in tier_2["tool_specification"]["models"])
    )
    lines += ["## Tier 2 - Tool Specification", ""]
    _fields(lines, TOOL, tool)
    for model in tier_2["model_specifications"]:
        lines += [f"## Tier 2 - Model Specification: {model['model_name']}", ""]
        _fields(lines, MODEL, model)
    for dataset in tier_2["data_specifications"]:
        lines += [f"## Tier 2 - Data Specification: {dataset['source_data_name']}", ""]
        _fields(lines, DATA, dataset)
    risks = tier_2["risks_mitigations_and_impact_assessments"]
    lines += ["## Tier 2 - Risks, Mitigations and Impact Assessments", "", "### 5.1 - Impact assessment", ""]
    for item in risks["impact_assessment"] or [{}]:
        if not item:
            lines += [_text(None), ""]
            continue
        lines += [f"**{item['assessment_title']}**", ""]
        if item["overview"]:
            lines += [item["overview"], ""]
        if item["date_completed"]:
            lines += [f"Date completed: {item['date_completed']:%-d %B %Y}", ""]
        if item["link"]:
            lines += [f"Link: {item['link']}", ""]
    lines += ["### 5.2 - Risks and mitigations", ""]
    if risks["risks_and_mitigations"]:
        lines += ["| Risks | Mitigations |", "| --- | --- |"]
        lines += [f"| {_cell(item['risk'])} | {_cell(item['mitigation'])} |" for item in risks["risks_and_mitigations"]]
        lines.append("")
    else:
        lines += [_text(None), ""]
    return "\n".join(lines).rstrip() + "\n"


def _cell(text):
    return " ".join(str(text).split()).replace("|", "\\|")


# The downloads ------------------------------------------------------------------------------------------------


def tool_entry(reference):
    """The live, public entry with this reference in the language being read, with what the record reads."""
    return (
        DataUsePage.objects.for_listing()
        .filter(locale=Locale.get_active(), reference=reference)
        .select_related("owner_team")
        .prefetch_related("tool_suppliers", "tool_models", "tool_datasets", "risks", "impact_assessments")
        .first()
    )


@require_safe
def entry_record(request, reference, file_format):
    """GET /open-data/entries/<reference>/atrs.json or .md: the entry's tool as an ATRS record."""
    entry = tool_entry(reference)
    if entry is None:
        raise Http404("No published entry has that reference")
    if not entry.uses_algorithm:
        response = HttpResponse(
            _(
                "This entry does not use an algorithm or AI, so it has no algorithmic transparency record. "
                "Its open data is at /open-data/entries/%(reference)s.json."
            )
            % {"reference": entry.reference},
            status=404,
            content_type="text/plain; charset=utf-8",
        )
        return response
    document = record(entry)
    if file_format == "json":
        return open_file(json_text(document), "json", f"atrs-{entry.reference}")
    response = HttpResponse(govuk_text(document), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atrs-{entry.reference}.md"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
