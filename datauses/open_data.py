"""The register as open data: every published entry as CSV or JSON, whole, one council's or as filtered, under
the Open Government Licence, with a page that says what each column means (the data dictionary).

The columns are a stable set (COLUMNS): a new column may be added at the end, none is renamed, reordered or
removed, so that what people build on a download keeps working. Column names are the same in every language;
the text is in the language of the address (/cy/open-data/... gives the Welsh register). Coded values
(status, lawful basis, special category condition, decision-making) are stable codes, explained in the data
dictionary. Only what the public pages show is included: no feedback, no service owners' teams or staff, no
reply addresses.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from base.languages import html_lang
from base.spreadsheets import safe_cell
from search.ranking import SearchUnavailable, ranked_pks
from search.text import clean_query, content_words

from .filters import SORT_ORDER, DataUseFilterSet
from .models import DataUsePage, Organisation
from .models.choices import DecisionMaking, LawfulBasis, SpecialCategoryCondition, Status

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
SLUG = re.compile(r"[a-z0-9-]{1,60}")
FILTER_NAMES = ("q", "council", "service_area", "data", "lawful_basis", "status", "automated", "sharing", "sort")


@dataclass(frozen=True)
class Column:
    name: str
    meaning: Any  # a lazy translation
    kind: str  # "text", "date", "yes/no", "list", "code", "address"
    value: Any  # entry -> value
    codes: Any = None  # the TextChoices whose codes the column holds

    @property
    def format(self):
        return KINDS[self.kind]


KINDS = {
    "text": _("Text"),
    "date": _("A date, written 2026-12-31, or a month, written 2026-12, where only the month is known"),
    "yes/no": _("yes or no (true or false in JSON)"),
    "list": _("A list (in CSV, separated by semicolons)"),
    "code": _("A code"),
    "address": _("A web address"),
}


def original_of(entry):
    """The page whose words an untranslated copy shows (itself for a real translation)."""
    return entry.alias_of if entry.alias_of_id else entry


def dated(day, precision):
    """A date, or only its month (2023-01) where that is all the council knows."""
    if day is None:
        return None
    return day.strftime("%Y-%m") if precision == "month" else day


def _names(related):
    return sorted({str(item) for item in related})


COLUMNS = [
    Column("reference", _("The entry's reference, which never changes, like BRS-0007."), "text", lambda e: e.reference),
    Column("title", _("The name of the service."), "text", lambda e: e.title),
    Column("address", _("Where the entry is published."), "address", lambda e: original_of(e).full_url),
    Column(
        "language",
        _("The language the entry's words are in (en-GB or cy). An entry not yet translated is in English."),
        "code",
        lambda e: html_lang(original_of(e).locale.language_code),
    ),
    Column("council", _("The council responsible for this use of data."), "text", lambda e: e.organisation.name),
    Column(
        "council_code",
        _("A short code for the council, as used in the register's addresses."),
        "code",
        lambda e: e.organisation.slug,
    ),
    Column("service_area", _("The part of the council's work it belongs to."), "text", lambda e: str(e.service_area)),
    Column(
        "status",
        _("Whether the service is planned, being tried, in use or no longer used."),
        "code",
        lambda e: e.status,
        Status,
    ),
    Column("summary", _("One sentence on what the service does with data."), "text", lambda e: e.summary),
    Column("purpose", _("What the data is used for."), "text", lambda e: e.purpose),
    Column("not_used_for", _("What the data is not used for."), "text", lambda e: e.not_used_for),
    Column("benefits", _("How the service helps people."), "text", lambda e: e.benefits),
    Column(
        "kinds_of_data",
        _("The kinds of data used."),
        "list",
        lambda e: _names(link.category for link in e.data_categories.all()),
    ),
    Column("data_sources", _("Where the data comes from."), "text", lambda e: e.data_sources),
    Column(
        "shared_with",
        _("Who the data is shared with."),
        "list",
        lambda e: _names(share.partner for share in e.sharing.all()),
    ),
    Column(
        "lawful_basis",
        _("The UK GDPR Article 6 basis for using the data."),
        "code",
        lambda e: e.lawful_basis,
        LawfulBasis,
    ),
    Column("lawful_basis_detail", _("The law or duty behind it."), "text", lambda e: e.lawful_basis_detail),
    Column(
        "special_category_condition",
        _("The UK GDPR Article 9 condition, when special category data is used."),
        "code",
        lambda e: e.special_category_condition,
        SpecialCategoryCondition,
    ),
    Column("storage_location", _("Where the data is kept."), "text", lambda e: e.storage_location),
    Column("leaves_uk", _("Whether the data leaves the UK."), "yes/no", lambda e: e.leaves_uk),
    Column(
        "international_transfers",
        _("Where outside the UK, and how it is protected."),
        "text",
        lambda e: e.international_transfers,
    ),
    Column("retention", _("How long the data is kept."), "text", lambda e: e.retention),
    Column(
        "decision_making",
        _("Whether a computer helps decide, or decides on its own."),
        "code",
        lambda e: e.decision_making,
        DecisionMaking,
    ),
    Column(
        "profiling",
        _("Whether people are sorted or scored to predict something about them."),
        "yes/no",
        lambda e: e.profiling,
    ),
    Column(
        "uses_algorithm",
        _("Whether an algorithm or AI produces results that are acted on."),
        "yes/no",
        lambda e: e.uses_algorithm,
    ),
    Column(
        "algorithm_description", _("What the computer does and decides."), "text", lambda e: e.algorithm_description
    ),
    Column("human_review", _("How a person checks the computer's results."), "text", lambda e: e.human_review),
    Column("opt_out", _("Whether and how people can opt out."), "text", lambda e: e.opt_out),
    Column("challenge_route", _("How to question or challenge a decision."), "text", lambda e: e.challenge_route),
    Column(
        "start_date",
        _("When the service started, or will start."),
        "date",
        lambda e: dated(e.start_date, e.start_date_precision),
    ),
    Column(
        "end_date",
        _("When it stopped, for services no longer used."),
        "date",
        lambda e: dated(e.end_date, e.end_date_precision),
    ),
    Column("last_reviewed", _("When the council last checked the entry is right."), "date", lambda e: e.last_reviewed),
    Column("next_review_due", _("When it will be checked next."), "date", lambda e: e.next_review_due),
    Column(
        "first_published",
        _("When the entry was first published."),
        "date",
        lambda e: e.first_published_at.date() if e.first_published_at else None,
    ),
    Column(
        "last_updated",
        _("When the entry was last published."),
        "date",
        lambda e: e.last_published_at.date() if e.last_published_at else None,
    ),
    # Added in issue 18, at the end as the stable column set allows: what an import needs to bring an entry back.
    Column(
        "alternatives_considered",
        _("Other ways of doing this the council considered, and why it chose this one."),
        "text",
        lambda e: e.alternatives_considered,
    ),
    Column("challenge_url", _("Where to challenge a decision online."), "address", lambda e: e.challenge_url or None),
    Column(
        "challenge_offline",
        _("How to challenge a decision without the internet."),
        "text",
        lambda e: e.challenge_offline,
    ),
]


def matching_keys(request, locale):
    """The ids of the live, public entries in ``locale`` that the request's query string asks for (the
    register's own filters and words), in the register's order: best match first for words, else by title
    (or most recently updated with sort=updated), the id breaking ties, so the order is stable."""
    base = DataUsePage.objects.live().public().with_sharing_flag().filter(locale=locale)
    filterset = DataUseFilterSet(request.GET, queryset=base, locale_id=locale.pk, request=request)
    filterset.form.is_valid()
    entries = base
    for name, value in filterset.form.cleaned_data.items():
        if name in filterset.filters and name != "sort" and value not in (None, "", []):
            entries = filterset.filters[name].filter(entries, value)
    _query, terms = clean_query(request.GET.get("q"))
    words = content_words(terms)
    if words:
        return ranked_pks(DataUsePage.objects.live().filter(locale=locale), entries, words)
    sort = filterset.form.cleaned_data.get("sort") or "title"
    return list(entries.order_by(*SORT_ORDER[sort]).values_list("pk", flat=True))


def entries_for(keys):
    """The entries with these ids, in their order, with everything the columns read."""
    found = (
        DataUsePage.objects.for_listing()
        .select_related("alias_of__locale")
        .prefetch_related("data_categories__category", "sharing__partner")
        .in_bulk(keys)
    )
    return [found[pk] for pk in keys if pk in found]


def matching_entries(request, locale):
    return entries_for(matching_keys(request, locale))


def csv_value(column, value):
    if value is None:
        return ""
    if column.kind == "yes/no":
        return "yes" if value else "no"
    if column.kind == "list":
        return "; ".join(value)
    if column.kind == "date":
        return value if isinstance(value, str) else value.isoformat()
    return safe_cell(str(value))


def csv_text(header, rows):
    """A CSV file's text: the header, then each row (cells already made safe for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    # A byte order mark, so that spreadsheets open the file as UTF-8 (Welsh letters such as ŵ and ŷ).
    return "\ufeff" + out.getvalue()


def json_text(document):
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)


def open_file(text, file_format, filename=None):
    """An open data answer: CSV or JSON that any web page may read (CORS), a download when ``filename``
    (without its extension) is given."""
    content_type = "text/csv; charset=utf-8" if file_format == "csv" else "application/json; charset=utf-8"
    response = HttpResponse(text, content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def as_csv(entries):
    return csv_text(
        [column.name for column in COLUMNS],
        ([csv_value(column, column.value(entry)) for column in COLUMNS] for entry in entries),
    )


def as_json(entries, request):
    document = {
        "licence": LICENCE,
        "data_dictionary": request.build_absolute_uri(_dictionary_url()),
        "generated_at": timezone.now().replace(microsecond=0),
        "language": html_lang(translation.get_language()),
        "count": len(entries),
        "entries": [{column.name: column.value(entry) for column in COLUMNS} for entry in entries],
    }
    return json_text(document)


def entry_document(entry, request):
    """One entry as open data: the download's columns and, in full, what the entry page lists."""
    return {**entry_content(entry), "licence": LICENCE}


def entry_content(entry):
    """The columns and the lists in full (what a published version keeps: datauses/history.py)."""
    document = {column.name: column.value(entry) for column in COLUMNS}
    document.update(
        kinds_of_data_in_full=[
            {"kind": str(link.category), "special_category": link.category.is_special_category, "why": link.reason}
            for link in entry.data_categories.all()
        ],
        shared_with_in_full=[
            {"with": str(share.partner), "why": share.purpose, "processor": share.is_processor}
            for share in entry.sharing.all()
        ],
        risks=[{"risk": risk.risk, "safeguard": risk.safeguard} for risk in entry.risks.all()],
        impact_assessments=[
            {
                "kind": assessment.kind,
                "completed_on": assessment.completed_on,
                "address": assessment.url,
                "summary": assessment.summary,
            }
            for assessment in entry.impact_assessments.all()
        ],
    )
    return document


def published_entry(reference):
    """The live, public entry with this reference in the language being read, with all entry_document reads."""
    return (
        DataUsePage.objects.for_listing()
        .filter(locale=Locale.get_active(), reference=reference)
        .select_related("alias_of__locale")
        .prefetch_related("data_categories__category", "sharing__partner", "risks", "impact_assessments")
        .first()
    )


@require_safe
def entry_json(request, reference):
    """GET /open-data/entries/<reference>.json: one published entry, in the language of the address."""
    entry = published_entry(reference)
    if entry is None:
        raise Http404("No published entry has that reference")
    return open_file(json_text(entry_document(entry, request)), "json")


def _dictionary_url():
    return reverse("open_data")


def download_name(request):
    """data-use-register, -bristol for one council's, -filtered when narrowed any other way."""
    councils = request.GET.getlist("council")
    name = "data-use-register"
    if len(councils) == 1 and SLUG.fullmatch(councils[0]):
        name += f"-{councils[0]}"
    if any(request.GET.get(name) for name in FILTER_NAMES if name not in ("council", "sort")):
        name += "-filtered"
    return name


def search_unavailable():
    """The answer to a download by words while the search index cannot be reached."""
    response = HttpResponse(
        _("Searching by words is not working at the moment. Please try again later, or download without words."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "300"
    return response


@require_safe
def download(request, file_format):
    locale = Locale.get_active()
    try:
        entries = matching_entries(request, locale)
    except SearchUnavailable:
        return search_unavailable()
    text = as_csv(entries) if file_format == "csv" else as_json(entries, request)
    response = open_file(text, file_format, download_name(request))
    response["X-Licence"] = LICENCE["url"]
    return response


def data_dictionary(request):
    """The open data page: the licence, the downloads and what every column means."""
    locale = Locale.get_active()
    councils = Organisation.objects.filter(locale=locale, entries__live=True).distinct().order_by("name")
    return render(
        request,
        "datauses/open_data.html",
        {
            "columns": COLUMNS,
            "licence": LICENCE,
            "councils": councils,
            "feedback_councils": [council for council in councils if council.publish_feedback_counts],
        },
    )
