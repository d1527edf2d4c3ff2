"""Importing entries from a file: the register's own CSV or JSON downloads, an ATRS record (our JSON, or the text
of a GOV.UK record with its numbered headings) and a Dutch algorithm register record (standard 1.0).

Every record is read and checked first; if anything is wrong, nothing is imported and each problem is reported
with its record, field and a plain explanation. Entries are imported as drafts, which must pass the publishing
rules before they go live. Nothing is invented: what the file does not say stays empty and is listed on the
entry as "not stated in the source" (DataUsePage.not_stated), which the editor sees and must check before
publishing. Importing the same file again changes nothing: an entry is found again by its reference, or by
the record's own identity in the source (DataUsePage.source_id).
"""

import csv
import datetime
import html
import io
import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .models import (
    DataCategory,
    DataSharing,
    DataUseCategory,
    DataUsePage,
    DecisionMaking,
    ImpactAssessment,
    LawfulBasis,
    Organisation,
    RegisterPage,
    Risk,
    ServiceArea,
    ServiceOwnerTeam,
    SharingPartner,
    SpecialCategoryCondition,
    Status,
    ToolDataset,
    ToolModel,
    ToolSupplier,
)
from .models.choices import AssessmentKind
from .models.tools import Phase
from .open_data import COLUMNS

MAX_BYTES = 25 * 1024 * 1024
MAX_RECORDS = 20000

# The entry's own fields an import may set, and what residents would be told if they were invented.
TEXT_FIELDS = (
    "summary",
    "purpose",
    "not_used_for",
    "benefits",
    "alternatives_considered",
    "data_sources",
    "storage_location",
    "international_transfers",
    "retention",
    "lawful_basis_detail",
    "algorithm_description",
    "human_review",
    "opt_out",
    "challenge_route",
    "challenge_url",
    "challenge_offline",
    "senior_responsible_owner",
    "detailed_description",
    "tool_scope",
    "previous_process",
    "process_integration",
    "provided_information",
    "frequency_and_scale",
    "required_training",
    "system_architecture",
    "maintenance",
    "atrs_task",
    "atrs_tags",
    "atrs_version",
)
# Fields that must be stated before an entry goes live, whatever the source: if a record leaves them out, the
# draft lists them as not stated.
EXPECTED = (
    "summary",
    "service_area",
    "status",
    "purpose",
    "benefits",
    "data_sources",
    "storage_location",
    "leaves_uk",
    "retention",
    "lawful_basis",
    "decision_making",
    "profiling",
    "uses_algorithm",
    "opt_out",
    "challenge_route",
    "challenge_offline",
    "last_reviewed",
    "next_review_due",
)
DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
SLUG = re.compile(r"^[a-z0-9-]{1,60}$")


@dataclass
class Problem:
    record: str
    field: str
    message: str

    def __str__(self):
        return f"{self.record}, {self.field}: {self.message}"


@dataclass
class Incoming:
    """One record read from a file, as the entry it would become."""

    label: str  # how the report names it: "row 3 (Housing repairs chatbot)"
    source_id: str = ""
    reference: str = ""
    council: str = ""  # a council's code, GOV.UK name or name, as the source gives it
    slug: str = ""
    values: dict = field(default_factory=dict)  # the entry's field name -> value
    service_area: str = ""
    # Lists the source states (None: it says nothing, so an entry's own rows are kept).
    kinds_of_data: list | None = None  # (name, why or None)
    shared_with: list | None = None  # (name, why or None, processor)
    risks: list | None = None
    assessments: list | None = None
    suppliers: list | None = None
    models: list | None = None
    datasets: list | None = None
    not_stated: list = field(default_factory=list)
    team: str = ""
    first_published: datetime.date | None = None
    organisation: Organisation | None = None
    owner_team: object = None


class ImportRefused(Exception):
    """The file cannot be imported at all (too big, not UTF-8, not a format we read)."""


# Reading ------------------------------------------------------------------------------------------------------


def decode(data, filename=""):
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size).1f MB; the largest file we take is %(most)s MB. Split it by council and try again.")
            % {"size": len(data) / 1024 / 1024, "most": MAX_BYTES // 1024 // 1024}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            _(
                "The file is not in UTF-8, so some letters would come out wrong (the problem starts at byte "
                "%(position)s). In a spreadsheet, save it as 'CSV UTF-8' and try again."
            )
            % {"position": error.start}
        ) from None
    if "\x00" in text:
        raise ImportRefused(_("The file holds binary data, not text. Send a CSV, JSON or text file."))
    return text


def read(data, filename=""):
    """(records, problems) from the bytes of a file."""
    text = decode(data, filename)
    stripped = text.lstrip()
    first_line = stripped.split("\n", 1)[0]
    if filename.lower().endswith(".csv") or (
        stripped[:1] not in "{[#" and "reference" in first_line and "," in first_line
    ):
        return _read_csv(text)
    if stripped[:1] in "{[":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportRefused(
                _("The file is not valid JSON: %(reason)s on line %(line)s.")
                % {"reason": error.msg, "line": error.lineno}
            ) from None
        return _read_json(document)
    if re.search(r"^#{1,3}\s*(Tier 1|Tier 2|Summary)", text, flags=re.M | re.I) or re.search(
        r"^#{2,3}\s*1\.1\s*-", text, flags=re.M
    ):
        return read_atrs_text(text)
    raise ImportRefused(
        _(
            "We could not tell what kind of file this is. We read the register's own CSV and JSON downloads, "
            "ATRS records (JSON, or the text of a GOV.UK record) and Dutch algorithm register records (JSON)."
        )
    )


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _label(kind, number, title):
    return f"{kind} {number} ({title})" if title else f"{kind} {number}"


# The register's own CSV and JSON


REQUIRED_COLUMNS = ("reference", "title", "council_code")
KNOWN_COLUMNS = {column.name for column in COLUMNS}
CODES = {
    "status": Status,
    "lawful_basis": LawfulBasis,
    "special_category_condition": SpecialCategoryCondition,
    "decision_making": DecisionMaking,
}
# Columns the import reads straight into the entry's fields.
STRAIGHT = [name for name in TEXT_FIELDS if name in KNOWN_COLUMNS] + list(CODES) + ["leaves_uk", "profiling"]


def _read_csv(text):
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    problems = []
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    for name in unknown:
        problems.append(
            Problem(_("the first row"), name, _("This is not one of the register's columns (see /open-data/).")),
        )
    for name in REQUIRED_COLUMNS:
        if name not in header:
            problems.append(Problem(_("the first row"), name, _("This column is missing; every row needs it.")))
    seen = set(header)
    if len(seen) != len(header):
        problems.append(Problem(_("the first row"), _("columns"), _("A column is named twice.")))
    if problems:
        return [], problems
    records = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(
                Problem(
                    _label(_("row"), number, ""),
                    _("columns"),
                    _("This row has %(found)s cells; the first row names %(expected)s.")
                    % {"found": len(row), "expected": len(header)},
                )
            )
            continue
        item = {}
        for name, cell in zip(header, row, strict=True):
            cell = cell.strip()
            if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):
                cell = cell[1:]  # the apostrophe our downloads put before what a spreadsheet would run
            if name in ("kinds_of_data", "shared_with"):
                item[name] = [part.strip() for part in cell.split(";") if part.strip()]
            elif name in ("leaves_uk", "profiling", "uses_algorithm"):
                item[name] = {"yes": True, "no": False}.get(cell.lower(), cell or None)
            else:
                item[name] = cell or None
        records.append(_from_register(item, _label(_("row"), number, item.get("title")), header, problems))
    return records, problems


def _read_json(document):
    if isinstance(document, dict) and isinstance(document.get("entries"), list):
        items, kind = document["entries"], "register"
    elif isinstance(document, dict) and "tier_1" in document:
        items, kind = [document], "atrs"
    elif isinstance(document, dict) and "reference" in document and "council_code" in document:
        items, kind = [document], "register"
    elif (isinstance(document, dict) and "publication_category" in document) or (
        isinstance(document, dict) and "description_short" in document
    ):
        items, kind = [document], "dutch"
    elif isinstance(document, list) and document and all(isinstance(item, dict) for item in document):
        first = document[0]
        kind = "atrs" if "tier_1" in first else "dutch" if "description_short" in first else "register"
        items = document
    elif isinstance(document, dict) and "versions" in document:
        raise ImportRefused(_("This is a download with history. Import the register's current download instead."))
    else:
        raise ImportRefused(
            _("We do not recognise this JSON. It should be a register download, an ATRS record or a Dutch record.")
        )
    if len(items) > MAX_RECORDS:
        raise ImportRefused(
            _("The file has more than %(most)s records. Split it and try again.") % {"most": MAX_RECORDS}
        )
    records, problems = [], []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(_label(_("record"), number, ""), _("record"), _("This is not a record.")))
            continue
        if kind == "register":
            label = _label(_("record"), number, item.get("title"))
            records.append(_from_register(item, label, list(item), problems))
        elif kind == "atrs":
            records.append(
                read_atrs(item, _label(_("record"), number, (item.get("tier_1") or {}).get("name")), problems)
            )
        else:
            records.append(read_dutch(item, _label(_("record"), number, item.get("name")), problems))
    return records, problems


def _date(value, record, name, problems, allow_month=True):
    """(date, precision) from 2026-12-31 or, where allowed, 2026-12; problems for anything else."""
    if _empty(value):
        return None, ""
    if isinstance(value, datetime.date):
        return value, "day"
    match = DATE.match(str(value).strip())
    if not match:
        problems.append(
            Problem(
                record,
                name,
                _("'%(value)s' is not a date: write it as 2026-12-31, or 2026-12 for a month.") % {"value": value},
            )
        )
        return None, ""
    year, month, day = match.groups()
    if day is None and not allow_month:
        problems.append(Problem(record, name, _("Give the whole date, like 2026-12-31: this date needs a day.")))
        return None, ""
    try:
        return datetime.date(int(year), int(month), int(day or 1)), "month" if day is None else "day"
    except ValueError:
        problems.append(Problem(record, name, _("'%(value)s' is not a real date.") % {"value": value}))
        return None, ""


def _from_register(item, label, present, problems):
    record = Incoming(label=label)
    record.reference = (item.get("reference") or "").strip()
    record.council = (item.get("council_code") or "").strip()
    record.source_id = f"register:{record.reference}" if record.reference else ""
    address = item.get("address") or ""
    slug = address.rstrip("/").rsplit("/", 1)[-1] if address else ""
    record.slug = slug if SLUG.match(slug or "") else ""
    if _empty(item.get("title")):
        problems.append(Problem(label, "title", _("Every entry needs a title.")))
    record.values["title"] = (item.get("title") or "").strip()
    for name in STRAIGHT:
        if name in present and not _empty(item.get(name)):
            record.values[name] = item[name]
    if "uses_algorithm" in present and item.get("uses_algorithm") in (True, False):
        record.values["uses_algorithm"] = item["uses_algorithm"]
    for name, codes in CODES.items():
        value = record.values.get(name)
        if value is not None and value not in codes.values:
            problems.append(
                Problem(
                    label,
                    name,
                    _("'%(value)s' is not one of the codes: %(codes)s.")
                    % {"value": value, "codes": ", ".join(codes.values)},
                )
            )
    for name in ("leaves_uk", "profiling", "uses_algorithm"):
        value = record.values.get(name)
        if value is not None and not isinstance(value, bool):
            problems.append(Problem(label, name, _("Write yes or no, not '%(value)s'.") % {"value": value}))
    for name in ("start_date", "end_date"):
        day, precision = _date(item.get(name), label, name, problems)
        if day:
            record.values[name] = day
            record.values[f"{name}_precision"] = precision
    for name in ("last_reviewed", "next_review_due"):
        day, _precision = _date(item.get(name), label, name, problems, allow_month=False)
        if day:
            record.values[name] = day
    record.first_published = _date(item.get("first_published"), label, "first_published", problems, False)[0]
    record.service_area = (item.get("service_area") or "").strip()
    full_kinds = item.get("kinds_of_data_in_full")
    if isinstance(full_kinds, list):
        record.kinds_of_data = [
            (kind.get("kind", ""), kind.get("why", "")) for kind in full_kinds if isinstance(kind, dict)
        ]
    elif item.get("kinds_of_data"):
        record.kinds_of_data = [(name, None) for name in item["kinds_of_data"]]
    full_shares = item.get("shared_with_in_full")
    if isinstance(full_shares, list):
        record.shared_with = [
            (share.get("with", ""), share.get("why", ""), bool(share.get("processor")))
            for share in full_shares
            if isinstance(share, dict)
        ]
    elif item.get("shared_with"):
        record.shared_with = [(name, None, False) for name in item["shared_with"]]
    if isinstance(item.get("risks"), list):
        record.risks = [
            {"risk": risk.get("risk", ""), "safeguard": risk.get("safeguard", "")}
            for risk in item["risks"]
            if isinstance(risk, dict)
        ]
    if isinstance(item.get("impact_assessments"), list):
        record.assessments = []
    for assessment in item.get("impact_assessments") or []:
        if isinstance(assessment, dict):
            completed, _precision = _date(
                assessment.get("completed_on"), label, "impact_assessments", problems, allow_month=False
            )
            kind = assessment.get("kind") or AssessmentKind.OTHER
            if kind not in AssessmentKind.values:
                problems.append(
                    Problem(
                        label, "impact_assessments", _("'%(value)s' is not a kind of assessment.") % {"value": kind}
                    )
                )
            record.assessments.append(
                {
                    "kind": kind,
                    "completed_on": completed,
                    "url": assessment.get("address") or "",
                    "summary": assessment.get("summary") or "",
                }
            )
    return record


# ATRS


ATRS_PHASES = {
    "pre-deployment": Phase.PRE_DEPLOYMENT,
    "idea": Phase.PRE_DEPLOYMENT,
    "design": Phase.PRE_DEPLOYMENT,
    "development": Phase.PRE_DEPLOYMENT,
    "beta/pilot": Phase.BETA_PILOT,
    "pilot/beta": Phase.BETA_PILOT,
    "beta-pilot": Phase.BETA_PILOT,
    "private beta": Phase.PRIVATE_BETA,
    "private-beta": Phase.PRIVATE_BETA,
    "public beta": Phase.PUBLIC_BETA,
    "public-beta": Phase.PUBLIC_BETA,
    "production": Phase.PRODUCTION,
    "retired": Phase.RETIRED,
}
STATUS_FOR_PHASE = {
    Phase.PRE_DEPLOYMENT: Status.PLANNED,
    Phase.BETA_PILOT: Status.PILOT,
    Phase.PRIVATE_BETA: Status.PILOT,
    Phase.PUBLIC_BETA: Status.PILOT,
    Phase.PRODUCTION: Status.IN_USE,
    Phase.RETIRED: Status.RETIRED,
}
ATRS_FIELDS = {
    # (section, key) -> the entry's field
    ("owner_and_responsibility", "senior_responsible_owner"): "senior_responsible_owner",
    ("description_and_rationale", "detailed_description"): "detailed_description",
    ("description_and_rationale", "scope"): "tool_scope",
    ("description_and_rationale", "benefit"): "benefits",
    ("description_and_rationale", "previous_process"): "previous_process",
    ("description_and_rationale", "alternatives_considered"): "alternatives_considered",
    ("decision_making_process", "process_integration"): "process_integration",
    ("decision_making_process", "provided_information"): "provided_information",
    ("decision_making_process", "frequency_and_scale_of_usage"): "frequency_and_scale",
    ("decision_making_process", "human_decisions_and_review"): "human_review",
    ("decision_making_process", "required_training"): "required_training",
    ("decision_making_process", "appeals_and_review"): "challenge_route",
    ("tool_specification", "system_architecture"): "system_architecture",
    ("tool_specification", "maintenance"): "maintenance",
}
EMAIL = EmailValidator()
URL = URLValidator(schemes=["http", "https"])


def _check_email(value, record, name, problems):
    if _empty(value):
        return
    text = str(value).strip()
    if text.startswith(("http://", "https://", "www.")):
        problems.append(
            Problem(
                record,
                name,
                _("'%(value)s' is a web address; an email address is needed here, like team@council.gov.uk.")
                % {"value": text},
            )
        )
        return
    try:
        EMAIL(text)
    except ValidationError:
        problems.append(Problem(record, name, _("'%(value)s' is not an email address.") % {"value": text}))


def _assessment_kind(title):
    words = (title or "").lower()
    if "dpia" in words or "data protection" in words:
        return AssessmentKind.DPIA
    if "equality" in words or "eqia" in words:
        return AssessmentKind.EQIA
    return AssessmentKind.OTHER


def read_atrs(item, label, problems):
    """An ATRS record in our JSON shape (datauses/atrs.py), from this register or another."""
    record = Incoming(label=label)
    metadata = item.get("metadata") or {}
    tier_1 = item.get("tier_1") or {}
    tier_2 = item.get("tier_2") or {}
    owner = tier_2.get("owner_and_responsibility") or {}
    record.reference = (item.get("reference") or "").strip()
    record.council = (metadata.get("organisation") or owner.get("organisation_or_department") or "").strip()
    name = (tier_1.get("name") or "").strip()
    if not name:
        problems.append(Problem(label, "tier_1.name", _("Every record needs the tool's name.")))
    record.values["title"] = name
    record.source_id = (
        f"atrs:{record.reference}" if record.reference else f"atrs:{slugify(record.council)}:{slugify(name)}"
    )
    website = (tier_1.get("website_url") or "").strip()
    slug = website.rstrip("/").rsplit("/", 1)[-1] if website else ""
    record.slug = slug if SLUG.match(slug) else ""
    record.values["uses_algorithm"] = True  # an ATRS record is about an algorithmic tool
    if not _empty(metadata.get("summary")):
        record.values["summary"] = metadata["summary"]
    if not _empty(tier_1.get("description")):
        record.values["algorithm_description"] = tier_1["description"]
    _check_email(tier_1.get("contact_email"), label, "tier_1.contact_email", problems)
    record.first_published = _date(metadata.get("date_published"), label, "date_published", problems, False)[0]
    record.team = (owner.get("team") or "").strip()
    for (section, key), target in ATRS_FIELDS.items():
        value = (tier_2.get(section) or {}).get(key)
        if not _empty(value):
            record.values[target] = value
    involvement = (
        str(owner.get("external_supplier_involvement") or owner.get("third_party_involvement") or "").strip().lower()
    )
    if involvement in ("yes", "no"):
        record.values["third_party_involved"] = involvement
    suppliers = owner.get("external_suppliers") or owner.get("third_parties") or []
    record.suppliers = []
    for supplier in suppliers:
        number = str(supplier.get("companies_house_number") or "").strip().upper().replace(" ", "")
        if number in ("N/A", "NA", "NONE"):
            number = ""
        if number and not re.fullmatch(r"[A-Z0-9]{8}", number):
            problems.append(
                Problem(
                    label,
                    "companies_house_number",
                    _("'%(value)s' is not a Companies House number (8 letters and digits, like 02878495).")
                    % {"value": number},
                )
            )
        record.suppliers.append(
            {
                "name": supplier.get("external_supplier") or supplier.get("third_party") or "",
                "companies_house_number": number,
                "role": supplier.get("external_supplier_role") or supplier.get("third_party_role") or "",
                "procurement_route": supplier.get("procurement_procedure_type") or "",
                "data_access_terms": supplier.get("data_access_terms")
                or supplier.get("third_party_data_access_terms")
                or "",
            }
        )
    phase_words = (
        str(metadata.get("phase") or (tier_2.get("tool_specification") or {}).get("phase") or "").strip().lower()
    )
    if phase_words:
        phase = ATRS_PHASES.get(phase_words)
        if phase is None:
            problems.append(
                Problem(label, "phase", _("'%(value)s' is not one of GOV.UK's phases.") % {"value": phase_words})
            )
        else:
            record.values["atrs_phase"] = phase
            record.values["status"] = STATUS_FOR_PHASE[phase]
    for key, target in (
        ("function", "atrs_functions"),
        ("capability", "atrs_capabilities"),
        ("region", "atrs_regions"),
    ):
        if metadata.get(key):
            record.values[target] = list(metadata[key])
    for key, target in (("task", "atrs_task"), ("other_tags", "atrs_tags"), ("atrs_version", "atrs_version")):
        if not _empty(metadata.get(key)):
            record.values[target] = str(metadata[key])
    record.models, record.datasets = [], []
    for model in tier_2.get("model_specifications") or []:
        record.models.append(
            {
                "name": model.get("model_name") or "",
                "version": model.get("model_version") or "",
                "task": model.get("model_task") or "",
                "model_input": model.get("model_input") or "",
                "model_output": model.get("model_output") or "",
                "architecture": model.get("model_architecture") or "",
                "performance": model.get("model_performance") or "",
                "datasets": model.get("datasets") or model.get("datasets_and_their_purposes") or "",
            }
        )
    for data in tier_2.get("data_specifications") or []:
        record.datasets.append(
            {
                "name": data.get("source_data_name") or "",
                "modality": data.get("data_modality") or "",
                "description": data.get("data_description") or "",
                "quantities": data.get("data_quantities") or "",
                "sensitive_attributes": data.get("sensitive_attributes") or "",
                "completeness": data.get("data_completeness_and_representativeness") or "",
                "source_url": data.get("source_data_url") or "",
                "collection": data.get("data_collection") or "",
                "cleaning": data.get("data_cleaning") or "",
                "sharing_agreements": data.get("data_sharing_agreements") or "",
                "access_and_storage": data.get("data_access_and_storage") or "",
            }
        )
    risks = tier_2.get("risks_mitigations_and_impact_assessments") or {}
    record.risks, record.assessments = [], []
    for risk in risks.get("risks_and_mitigations") or []:
        record.risks.append({"risk": risk.get("risk") or "", "safeguard": risk.get("mitigation") or ""})
    for assessment in risks.get("impact_assessment") or []:
        completed, _precision = _date(
            assessment.get("date_completed"), label, "impact_assessment", problems, allow_month=False
        )
        record.assessments.append(
            {
                "kind": _assessment_kind(assessment.get("assessment_title")),
                "completed_on": completed,
                "url": assessment.get("link") or "",
                "summary": assessment.get("overview") or "",
            }
        )
    return record


# The text of a GOV.UK record: "## Tier 2 - Owner and Responsibility", "### 1.4.1 - External supplier".
TEXT_LABELS = {
    "name": ("tier_1", "name"),
    "description": ("tier_1", "description"),
    "website url": ("tier_1", "website_url"),
    "url of the website": ("tier_1", "website_url"),
    "contact email": ("tier_1", "contact_email"),
    "organisation or department": ("owner_and_responsibility", "organisation_or_department"),
    "organisation/ department": ("owner_and_responsibility", "organisation_or_department"),
    "team": ("owner_and_responsibility", "team"),
    "senior responsible owner": ("owner_and_responsibility", "senior_responsible_owner"),
    "external supplier involvement": ("owner_and_responsibility", "external_supplier_involvement"),
    "third party involvement": ("owner_and_responsibility", "external_supplier_involvement"),
    "external supplier": ("supplier", "external_supplier"),
    "third party": ("supplier", "external_supplier"),
    "supplier or developer of the algorithmic tool": ("supplier", "external_supplier"),
    "companies house number": ("supplier", "companies_house_number"),
    "external supplier role": ("supplier", "external_supplier_role"),
    "third party role": ("supplier", "external_supplier_role"),
    "procurement procedure type": ("supplier", "procurement_procedure_type"),
    "data access terms": ("supplier", "data_access_terms"),
    "third party data access terms": ("supplier", "data_access_terms"),
    "terms of access to data for external supplier": ("supplier", "data_access_terms"),
    "detailed description": ("description_and_rationale", "detailed_description"),
    "scope": ("description_and_rationale", "scope"),
    "benefit": ("description_and_rationale", "benefit"),
    "previous process": ("description_and_rationale", "previous_process"),
    "alternatives considered": ("description_and_rationale", "alternatives_considered"),
    "process integration": ("decision_making_process", "process_integration"),
    "integration into broader operational process": ("decision_making_process", "process_integration"),
    "provided information": ("decision_making_process", "provided_information"),
    "frequency and scale of usage": ("decision_making_process", "frequency_and_scale_of_usage"),
    "human decisions and review": ("decision_making_process", "human_decisions_and_review"),
    "human review": ("decision_making_process", "human_decisions_and_review"),
    "required training": ("decision_making_process", "required_training"),
    "appeals and review": ("decision_making_process", "appeals_and_review"),
    "system architecture": ("tool_specification", "system_architecture"),
    "phase": ("tool_specification", "phase"),
    "maintenance": ("tool_specification", "maintenance"),
    "models": ("tool_specification", "models"),
    "model name": ("model", "model_name"),
    "model version": ("model", "model_version"),
    "model task": ("model", "model_task"),
    "model input": ("model", "model_input"),
    "model output": ("model", "model_output"),
    "model architecture": ("model", "model_architecture"),
    "model performance": ("model", "model_performance"),
    "datasets and their purposes": ("model", "datasets"),
    "datasets": ("model", "datasets"),
    "source data name": ("data", "source_data_name"),
    "data modality": ("data", "data_modality"),
    "data description": ("data", "data_description"),
    "data quantities": ("data", "data_quantities"),
    "sensitive attributes": ("data", "sensitive_attributes"),
    "data completeness and representativeness": ("data", "data_completeness_and_representativeness"),
    "source data url": ("data", "source_data_url"),
    "data collection": ("data", "data_collection"),
    "data cleaning": ("data", "data_cleaning"),
    "data sharing agreements": ("data", "data_sharing_agreements"),
    "data access and storage": ("data", "data_access_and_storage"),
    "impact assessment": ("risks", "impact_assessment"),
    "risks and mitigations": ("risks", "risks_and_mitigations"),
}
NOT_GIVEN = {"not given in the register.", "n/a", "not applicable"}
FORM_FIELDS = "|".join(
    [
        "Title",
        "Summary",
        "Organisation",
        "Organisation type",
        "Function",
        "Capability",
        "Task",
        "Phase",
        "Region",
        "ATRS version",
        "Other tags",
    ]
)
FORM_LINE = re.compile(rf"^({FORM_FIELDS}):\s*(.*)$")
HEADING = re.compile(r"^#{2,3}\s*(?:(?:\d+\.)*\d+\s*-\s*)?(.+?)\s*$")


def read_atrs_text(text):
    """The text of a GOV.UK ATRS record, as our export writes it or as GOV.UK publishes it: headings found by
    their words (numbers differ between versions and between the template and published records)."""
    problems = []
    item = {"metadata": {}, "tier_1": {}, "tier_2": {}}
    tier_2 = item["tier_2"]
    sections = {
        "owner_and_responsibility": {},
        "description_and_rationale": {},
        "decision_making_process": {},
        "tool_specification": {},
    }
    tier_2.update(sections)
    owner = tier_2["owner_and_responsibility"]
    owner["external_suppliers"] = []
    tier_2["model_specifications"], tier_2["data_specifications"] = [], []
    risks = {"impact_assessment": [], "risks_and_mitigations": []}
    tier_2["risks_mitigations_and_impact_assessments"] = risks
    current, body = None, []

    def finish():
        if current is None:
            return
        value = "\n".join(body).strip()
        if value.lower() in NOT_GIVEN:
            value = ""
        section, key = current
        if section == "tier_1":
            item["tier_1"][key] = value
        elif section == "supplier":
            suppliers = owner["external_suppliers"]
            if key == "external_supplier" or not suppliers:
                suppliers.append({})
            suppliers[-1][key] = value
        elif section == "model":
            models = tier_2["model_specifications"]
            if key == "model_name" or not models:
                models.append({})
            models[-1][key] = value
        elif section == "data":
            datasets = tier_2["data_specifications"]
            if key == "source_data_name" or not datasets:
                datasets.append({})
            datasets[-1][key] = value
        elif section == "risks":
            risks[key] = _text_risks(value) if key == "risks_and_mitigations" else _text_assessments(value)
        elif key == "models":
            return
        else:
            tier_2[section][key] = value

    for line in text.splitlines():
        form = FORM_LINE.match(line.strip())
        if form and current is None:
            name, value = form.groups()
            key = name.lower().replace(" ", "_")
            if value.strip() and value.strip().lower() not in NOT_GIVEN:
                if key in ("organisation_type", "function", "capability", "region"):
                    item["metadata"][key] = [part.strip() for part in value.split(",") if part.strip()]
                else:
                    item["metadata"][key] = value.strip()
            continue
        heading = HEADING.match(line)
        if (heading and line.startswith("###")) or (heading and line.startswith("##") and not line.startswith("###")):
            words = heading.group(1).strip().lower()
            if line.startswith("###"):
                finish()
                current, body = TEXT_LABELS.get(words), []
                continue
            finish()
            current, body = None, []
            continue
        if line.strip().startswith("<!--"):
            continue
        body.append(line)
    finish()
    if item["metadata"].get("phase"):
        item["metadata"]["phase"] = item["metadata"]["phase"]
    title = item["metadata"].get("title", "")
    if ": " in title and not item["tier_1"].get("name"):
        item["tier_1"]["name"] = title.split(": ", 1)[1]
    record = read_atrs(item, _label(_("record"), 1, item["tier_1"].get("name")), problems)
    return [record], problems


def _text_risks(value):
    rows = []
    for line in value.splitlines():
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) == 2 and cells != ["Risks", "Mitigations"] and not set(cells[0]) <= set("-: "):
            rows.append({"risk": cells[0].replace("\\|", "|"), "mitigation": cells[1].replace("\\|", "|")})
    if not rows and value.strip():
        rows.append({"risk": value.strip(), "mitigation": ""})
    return rows


def _text_assessments(value):
    items, current = [], None
    for line in value.splitlines():
        line = line.strip()
        title = re.fullmatch(r"\*\*(.+)\*\*", line)
        if title:
            current = {"assessment_title": title.group(1), "overview": "", "date_completed": None, "link": ""}
            items.append(current)
        elif current is not None and line.startswith("Date completed:"):
            current["date_completed"] = _parse_long_date(line.split(":", 1)[1].strip())
        elif current is not None and line.startswith("Link:"):
            current["link"] = line.split(":", 1)[1].strip()
        elif current is not None and line:
            current["overview"] = (current["overview"] + "\n" + line).strip()
    if not items and value.strip():
        items.append({"assessment_title": "", "overview": value.strip(), "date_completed": None, "link": ""})
    return items


def _parse_long_date(text):
    cleaned = re.sub(r"(\d+)(st|nd|rd|th)", r"\1", text)
    for pattern in ("%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(cleaned, pattern).date().isoformat()
        except ValueError:
            continue
    return text


# The Dutch register (standard 1.0)


DUTCH_STATUS = {"in ontwikkeling": Status.PLANNED, "in gebruik": Status.IN_USE, "buiten gebruik": Status.RETIRED}
TAGS = re.compile(r"<[^>]+>")


def _plain(value):
    """Text from the few HTML tags the Dutch standard allows (p, div, br, ul, ol, li)."""
    if _empty(value):
        return ""
    text = re.sub(r"(?i)<\s*(br|/p|/div|/li)\s*/?>", "\n", str(value))
    text = re.sub(r"(?i)<\s*li\s*>", "- ", text)
    return html.unescape(TAGS.sub("", text)).strip()


def read_dutch(item, label, problems):
    record = Incoming(label=label)
    name = (item.get("name") or "").strip()
    if not name:
        problems.append(Problem(label, "name", _("Every record needs a name.")))
    record.values["title"] = name
    record.council = (item.get("organization") or "").strip()
    identity = item.get("lars") or item.get("source_id") or slugify(name)
    record.source_id = f"nl:{slugify(record.council)}:{identity}"
    record.values["uses_algorithm"] = True
    summary = (item.get("description_short") or "").strip()
    if summary:
        record.values["summary"] = summary
    status = str(item.get("status") or "").strip().lower()
    if status:
        if status in DUTCH_STATUS:
            record.values["status"] = DUTCH_STATUS[status]
        else:
            problems.append(
                Problem(
                    label,
                    "status",
                    _("'%(value)s' is not a status of the Dutch standard.") % {"value": item.get("status")},
                )
            )
    for key, target in (("begin_date", "start_date"), ("end_date", "end_date")):
        day, precision = _date(item.get(key), label, key, problems)
        if day:
            record.values[target] = day
            record.values[f"{target}_precision"] = precision
    contact = (item.get("contact_email") or "").strip()
    if contact and not contact.startswith(("http://", "https://")):
        _check_email(contact, label, "contact_email", problems)  # the Dutch standard allows a web address too
    for key, target in (
        ("goal", "purpose"),
        ("proportionality", "alternatives_considered"),
        ("human_intervention", "human_review"),
        ("source_data", "data_sources"),
        ("methods_and_models", "algorithm_description"),
    ):
        text = _plain(item.get(key))
        if text:
            record.values[target] = text
    basis = _plain(item.get("lawful_basis"))
    links = [
        f"{link.get('title', '')} {link.get('link', '')}".strip()
        for link in item.get("lawful_basis_grouping") or []
        if isinstance(link, dict)
    ]
    if basis or links:
        record.values["lawful_basis_detail"] = "\n".join(part for part in [basis, *links] if part)
    risk = _plain(item.get("risks"))
    if risk:
        record.risks = [{"risk": risk, "safeguard": ""}]
        record.not_stated.append("risks.safeguard")
    if item.get("impacttoetsen_grouping"):
        record.assessments = []
    for assessment in item.get("impacttoetsen_grouping") or []:
        if isinstance(assessment, dict):
            link = (assessment.get("link") or "").strip()
            if link:
                try:
                    URL(link)
                except ValidationError:
                    problems.append(
                        Problem(
                            label, "impacttoetsen_grouping", _("'%(value)s' is not a web address.") % {"value": link}
                        )
                    )
            record.assessments.append(
                {
                    "kind": _assessment_kind(assessment.get("title")),
                    "completed_on": None,
                    "url": link,
                    "summary": assessment.get("title") or "",
                }
            )
    provider = (item.get("provider") or "").strip()
    if provider and provider.lower() not in ("intern ontwikkeld", "internally developed"):
        record.suppliers.append(
            {
                "name": provider,
                "companies_house_number": "",
                "role": "",
                "procurement_route": "",
                "data_access_terms": "",
            }
        )
        record.values["third_party_involved"] = "yes"
        record.not_stated.append("tool_suppliers.role")
    record.values["atrs_version"] = ""
    return record


# Checking -----------------------------------------------------------------------------------------------------


def _council(record, councils):
    wanted = record.council.strip().lower()
    for organisation in councils:
        if wanted in {organisation.slug.lower(), (organisation.govuk_slug or "").lower(), organisation.name.lower()}:
            return organisation
    return None


def check(records, problems, councils, locale):
    """Add to ``problems`` what would stop ``records`` being imported into ``councils`` (those the person
    importing may add to), and resolve each record's council, service area and terms."""
    areas = {area.name.lower(): area for area in ServiceArea.objects.filter(locale=locale)}
    areas.update({area.slug: area for area in areas.values()})
    categories = {category.name.lower(): category for category in DataCategory.objects.filter(locale=locale)}
    partners = {partner.name.lower(): partner for partner in SharingPartner.objects.filter(locale=locale)}
    seen = {}
    for record in records:
        record.organisation = _council(record, councils)
        if record.organisation is None:
            problems.append(
                Problem(
                    record.label,
                    _("council"),
                    _("'%(value)s' is not a council you can add entries for. Check its code on the Councils list.")
                    % {"value": record.council or _("(none given)")},
                )
            )
        key = record.reference or record.source_id
        if key:
            if key in seen:
                problems.append(
                    Problem(
                        record.label,
                        _("reference"),
                        _("The same entry is in the file twice: see %(other)s.") % {"other": seen[key]},
                    )
                )
            seen[key] = record.label
        if record.team and record.organisation is not None:
            record.owner_team = ServiceOwnerTeam.objects.filter(
                organisation=record.organisation, name__iexact=record.team
            ).first()
            if record.owner_team is None:
                record.not_stated.append("owner_team")
        if record.service_area:
            area = areas.get(record.service_area.lower()) or areas.get(slugify(record.service_area))
            if area is None:
                problems.append(
                    Problem(
                        record.label,
                        "service_area",
                        _("There is no service area called '%(value)s'.") % {"value": record.service_area},
                    )
                )
            record.service_area = area
        else:
            record.service_area = None
        resolved = None if record.kinds_of_data is None else []
        for name, why in record.kinds_of_data or []:
            category = categories.get(name.lower())
            if category is None:
                problems.append(
                    Problem(
                        record.label,
                        "kinds_of_data",
                        _("There is no kind of data called '%(value)s'.") % {"value": name},
                    )
                )
            resolved.append((category, why))
        record.kinds_of_data = resolved
        shares = None if record.shared_with is None else []
        for name, why, processor in record.shared_with or []:
            partner = partners.get(name.lower())
            if partner is None:
                problems.append(
                    Problem(
                        record.label,
                        "shared_with",
                        _("There is no sharing partner called '%(value)s'. Add it under Snippets first.")
                        % {"value": name},
                    )
                )
            shares.append((partner, why, processor))
        record.shared_with = shares
        summary = record.values.get("summary")
        if summary and len(summary) > 300:
            problems.append(
                Problem(
                    record.label,
                    "summary",
                    _("The summary is %(count)s characters; the most is 300.") % {"count": len(summary)},
                )
            )
        if len(record.values.get("title") or "") > 255:
            problems.append(Problem(record.label, "title", _("The title is longer than 255 characters.")))
        for name in record.values:
            if name in TEXT_FIELDS:
                limit = getattr(DataUsePage._meta.get_field(name), "max_length", None)
                if limit and len(str(record.values[name])) > limit:
                    problems.append(
                        Problem(record.label, name, _("This is longer than %(most)s characters.") % {"most": limit})
                    )
    return problems


# Importing ----------------------------------------------------------------------------------------------------


@dataclass
class Report:
    created: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)


def _not_stated(record, page):
    """What an entry still lacks that the record does not state (for an entry already there, only what it
    lacks itself: an update keeps what the file does not mention)."""
    stated = set(record.values)
    if record.service_area is not None:
        stated.add("service_area")
    missing = [name for name in EXPECTED if name not in stated and _empty_on(page, name)]
    if not record.kinds_of_data and not len(page.data_categories.all()):
        missing.append("data_categories")
    missing += [name for name in record.not_stated if name not in missing]
    if any(not link.reason for link in page.data_categories.all()):
        missing.append("data_categories.reason")
    if any(not share.purpose for share in page.sharing.all()):
        missing.append("sharing.purpose")
    return missing


def _same_names(stated, rows, key):
    """True when a source that names terms without saying why names just the ones the entry has (a download
    lists them by name, A to Z): the entry's rows, their order and reasons are kept."""
    names_only = all(item[1] is None for item in stated)
    return names_only and {item[0].pk for item in stated} == {getattr(row, f"{key}_id") for row in rows}


def _empty_on(page, name):
    if page.pk is None:
        return True
    if name == "service_area":
        return page.service_area_id is None
    value = getattr(page, name)
    return value is None or value == ""


def _apply(page, record, locale):
    for name, value in record.values.items():
        setattr(page, name, value)
    page.organisation = record.organisation
    if record.service_area is not None:
        page.service_area = record.service_area
    if record.owner_team is not None:
        page.owner_team = record.owner_team
    page.source_id = page.source_id or record.source_id
    if record.first_published and not page.first_published_at:
        # When the source says the entry was first published: kept, so the register's own date matches it.
        page.first_published_at = timezone.make_aware(
            datetime.datetime.combine(record.first_published, datetime.time(12))
        )
    if record.kinds_of_data is not None and not _same_names(
        record.kinds_of_data, page.data_categories.all(), "category"
    ):
        reasons = {link.category_id: link.reason for link in page.data_categories.all()}
        page.data_categories = [
            DataUseCategory(
                category=category,
                reason=why if why is not None else reasons.get(category.pk, ""),
                locale=locale,
                sort_order=n,
            )
            for n, (category, why) in enumerate(record.kinds_of_data)
        ]
    if record.shared_with is not None and not _same_names(record.shared_with, page.sharing.all(), "partner"):
        purposes = {share.partner_id: (share.purpose, share.is_processor) for share in page.sharing.all()}
        page.sharing = [
            DataSharing(
                partner=partner,
                purpose=why if why is not None else purposes.get(partner.pk, ("", False))[0],
                is_processor=processor if why is not None else purposes.get(partner.pk, ("", processor))[1],
                locale=locale,
                sort_order=n,
            )
            for n, (partner, why, processor) in enumerate(record.shared_with)
        ]
    rows = (
        ("risks", Risk, record.risks),
        ("impact_assessments", ImpactAssessment, record.assessments),
        ("tool_suppliers", ToolSupplier, record.suppliers),
        ("tool_models", ToolModel, record.models),
        ("tool_datasets", ToolDataset, record.datasets),
    )
    for relation, model, items in rows:
        if items is not None:
            setattr(page, relation, [model(locale=locale, sort_order=n, **item) for n, item in enumerate(items)])
    page.not_stated = _not_stated(record, page)


def _snapshot(page):
    """What an import sets on an entry, to tell whether importing again would change anything."""
    fields = {name: getattr(page, name) for name in (*TEXT_FIELDS, *EXPECTED, "title", "start_date", "end_date")}
    fields.update(
        service_area=page.service_area_id,
        not_stated=list(page.not_stated),
        kinds=[(link.category_id, link.reason) for link in page.data_categories.all()],
        sharing=[(share.partner_id, share.purpose, share.is_processor) for share in page.sharing.all()],
        risks=[(risk.risk, risk.safeguard) for risk in page.risks.all()],
        assessments=[(a.kind, a.completed_on, a.url, a.summary) for a in page.impact_assessments.all()],
        suppliers=[
            (s.name, s.companies_house_number, s.role, s.procurement_route, s.data_access_terms)
            for s in page.tool_suppliers.all()
        ],
        models=[
            (m.name, m.version, m.task, m.model_input, m.model_output, m.architecture, m.performance, m.datasets)
            for m in page.tool_models.all()
        ],
        datasets=[
            tuple(
                getattr(d, name)
                for name in (
                    "name",
                    "modality",
                    "description",
                    "quantities",
                    "sensitive_attributes",
                    "completeness",
                    "source_url",
                    "collection",
                    "cleaning",
                    "sharing_agreements",
                    "access_and_storage",
                )
            )
            for d in page.tool_datasets.all()
        ],
        tool=[
            getattr(page, name)
            for name in (
                "atrs_phase",
                "third_party_involved",
                "atrs_functions",
                "atrs_capabilities",
                "atrs_regions",
                "start_date_precision",
                "end_date_precision",
            )
        ],
    )
    return fields


def _existing(record):
    found = DataUsePage.objects.filter(organisation=record.organisation, locale=record.organisation.locale)
    if record.reference:
        entry = found.filter(reference=record.reference).first()
        if entry:
            return entry
    return found.filter(source_id=record.source_id).first() if record.source_id else None


@transaction.atomic
def import_records(records, user=None):
    """Import checked records as drafts; returns a Report. Call only when check() found no problems."""
    report = Report()
    for record in records:
        locale = record.organisation.locale
        existing = _existing(record)
        if existing is None:
            register = RegisterPage.objects.filter(organisation=record.organisation, locale=locale).first()
            page = DataUsePage(locale=locale, live=False, title=record.values["title"])
            _apply(page, record, locale)
            if record.reference and not DataUsePage.objects.filter(reference=record.reference).exists():
                page.reference = record.reference
            page.slug = _free_slug(register, record.slug or slugify(record.values["title"])[:60] or "entry")
            register.add_child(instance=page)
            page.save_revision(user=user, log_action=True, clean=False)  # a draft: checked when it goes live
            report.created.append(page)
            continue
        if existing.live and existing.has_unpublished_changes:
            # The file may be the register's own download, which shows the published version: the same as that
            # is unchanged, and the draft waiting on top of it is left alone.
            live = existing.live_revision.as_object() if existing.live_revision else existing
            before = _snapshot(live)
            _apply(live, record, locale)
            if _snapshot(live) == before:
                report.unchanged.append(existing)
                continue
        latest = existing.get_latest_revision_as_object()
        before = _snapshot(latest)
        _apply(latest, record, locale)
        if _snapshot(latest) == before:
            report.unchanged.append(existing)
            continue
        latest.save_revision(user=user, log_action=True, clean=False)
        report.changed.append(existing)
    return report


def _free_slug(register, slug):
    taken = set(register.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    return candidate


def councils_for(user):
    """The councils ``user`` may import entries for: those whose register they may add pages to."""
    registers = RegisterPage.objects.filter(organisation__isnull=False, locale=Locale.get_default())
    if user is None or user.is_superuser:
        return [register.organisation for register in registers.select_related("organisation")]
    return [
        register.organisation
        for register in registers.select_related("organisation")
        if register.permissions_for_user(user).can_add_subpage()
    ]


def run(data, filename, user=None, councils=None, dry_run=False):
    """Read, check and (unless dry_run or anything is wrong) import a file. Returns (report or None, problems)."""
    records, problems = read(data, filename)
    locale = Locale.get_default()
    check(records, problems, councils if councils is not None else councils_for(user), locale)
    if problems or dry_run:
        return None, problems
    return import_records(records, user=user), []
