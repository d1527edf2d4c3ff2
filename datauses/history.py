"""Every published version of every entry: kept when it is published, compared on the entry's public
"versions" page and downloadable with the register ("with history").

A version keeps what the public saw (the open data columns and lists, datauses/open_data.py), so an old
version reads the same after the entry's fields or taxonomy change. Versions published before this was kept
are rebuilt from Wagtail's revisions by ``python manage.py record_versions`` (and, one entry at a time, when
its versions page is first read).
"""

import datetime

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from wagtail.models import Locale, PageLogEntry, Revision

from search.ranking import SearchUnavailable

from .councils import live_register
from .models import ChangeNote, DataUsePage, PublishedVersion
from .open_data import (
    COLUMNS,
    LICENCE,
    csv_text,
    csv_value,
    download_name,
    entry_content,
    json_text,
    matching_keys,
    open_file,
    original_of,
    search_unavailable,
)

# What the versions page compares, in the entry page's order: (key in the kept content, label).
COMPARED = [
    ("title", gettext_lazy("Name of the service")),
    ("service_area", gettext_lazy("Service area")),
    ("status", gettext_lazy("Status")),
    ("summary", gettext_lazy("Summary")),
    ("purpose", gettext_lazy("What the data is used for")),
    ("not_used_for", gettext_lazy("What the data is not used for")),
    ("benefits", gettext_lazy("How it helps people")),
    ("kinds_of_data_in_full", gettext_lazy("Kinds of data used")),
    ("data_sources", gettext_lazy("Where the data comes from")),
    ("shared_with_in_full", gettext_lazy("Who the data is shared with")),
    ("lawful_basis", gettext_lazy("Lawful basis")),
    ("lawful_basis_detail", gettext_lazy("The law or duty behind it")),
    ("special_category_condition", gettext_lazy("Condition for special category data")),
    ("storage_location", gettext_lazy("Where the data is kept")),
    ("leaves_uk", gettext_lazy("Whether the data leaves the UK")),
    ("international_transfers", gettext_lazy("Where outside the UK, and how it is protected")),
    ("retention", gettext_lazy("How long the data is kept")),
    ("decision_making", gettext_lazy("Decisions made by computer")),
    ("profiling", gettext_lazy("Profiling")),
    ("uses_algorithm", gettext_lazy("Uses an algorithm or AI")),
    ("algorithm_description", gettext_lazy("What the computer does")),
    ("human_review", gettext_lazy("How a person checks the results")),
    ("risks", gettext_lazy("Risks and safeguards")),
    ("impact_assessments", gettext_lazy("Impact assessments")),
    ("opt_out", gettext_lazy("Opting out")),
    ("challenge_route", gettext_lazy("Questioning a decision")),
    ("start_date", gettext_lazy("Start date")),
    ("end_date", gettext_lazy("End date")),
    ("last_reviewed", gettext_lazy("Last reviewed")),
    ("next_review_due", gettext_lazy("Next review due")),
]
CODES = {column.name: column.codes for column in COLUMNS if column.codes}
# The history download: the register's columns, each row one version, with three of its own after the reference.
HISTORY_NAMES = ["reference", "version", "version_published", "change_note"] + [
    column.name for column in COLUMNS if column.name != "reference"
]
PER_PAGE = 20


# Keeping versions ---------------------------------------------------------------------------------------------


def _entry_for_content(pk):
    return (
        DataUsePage.objects.filter(pk=pk)
        .select_related("organisation", "service_area", "locale", "alias_of__locale")
        .prefetch_related(
            "data_categories__category", "sharing__partner", "risks", "impact_assessments", "alias_of__locale"
        )
        .first()
    )


def record(entry, revision, published_at=None):
    """Keep the version of ``entry`` just published as ``revision`` (once: publishing it again adds nothing)."""
    if revision is not None and PublishedVersion.objects.filter(entry_id=entry.pk, revision=revision).exists():
        return None
    fresh = _entry_for_content(entry.pk)
    note = ChangeNote.objects.filter(entry_id=entry.pk, revision=revision).first() if revision else None
    return _add(
        fresh,
        revision,
        published_at or fresh.last_published_at,
        entry_content(fresh),
        note.note if note else "",
    )


def _add(entry, revision, published_at, content, note):
    for _attempt in range(3):  # two publishes at once: the second takes the next number
        number = (PublishedVersion.objects.filter(entry_id=entry.pk).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                return PublishedVersion.objects.create(
                    entry_id=entry.pk,
                    revision=revision,
                    number=number,
                    published_at=published_at,
                    change_note=note,
                    content=content,
                )
        except IntegrityError:
            continue
    raise IntegrityError(f"Could not number a new version of entry {entry.pk}")


def _published_revisions(entry):
    """(revision, when) for each time the entry was published, oldest first: from Wagtail's log, and the live
    revision if it was published without a log entry (as a script or an import may)."""
    logs = (
        PageLogEntry.objects.filter(page_id=entry.pk, action="wagtail.publish", revision__isnull=False)
        .select_related("revision")
        .order_by("timestamp", "pk")
    )
    found = [(log.revision, log.timestamp) for log in logs]
    if entry.live and entry.live_revision_id and all(r.pk != entry.live_revision_id for r, _when in found):
        live = Revision.objects.filter(pk=entry.live_revision_id).first()
        if live is not None:
            found.append((live, entry.last_published_at or live.created_at))
            found.sort(key=lambda pair: pair[1])
    return found


def record_missing(entry):
    """Rebuild from Wagtail's revisions the versions of ``entry`` published before versions were kept.
    Returns how many it added. Does nothing once every published revision is kept."""
    kept = set(PublishedVersion.objects.filter(entry_id=entry.pk).values_list("revision_id", flat=True))
    missing = [(revision, when) for revision, when in _published_revisions(entry) if revision.pk not in kept]
    if not missing:
        return 0
    if kept:  # newer versions are already numbered: the rebuilt ones go before them, so renumber all
        return _rebuild_all(entry)
    notes = dict(ChangeNote.objects.filter(entry_id=entry.pk).values_list("revision_id", "note"))
    for revision, when in missing:
        _add(entry, revision, when, _content_of(revision, entry, when), notes.get(revision.pk, ""))
    return len(missing)


@transaction.atomic
def _rebuild_all(entry):
    """Number every version again, oldest first: the ones already kept as they are, the missing ones rebuilt."""
    kept = list(PublishedVersion.objects.filter(entry_id=entry.pk))
    by_revision = {version.revision_id: version for version in kept if version.revision_id}
    notes = dict(ChangeNote.objects.filter(entry_id=entry.pk).values_list("revision_id", "note"))
    rows = []
    for revision, when in _published_revisions(entry):
        if revision.pk not in by_revision:
            rows.append((when, revision.pk, _content_of(revision, entry, when), notes.get(revision.pk, "")))
    rows += [(v.published_at, v.revision_id, v.content, v.change_note) for v in kept]
    rows.sort(key=lambda row: row[0])
    PublishedVersion.objects.filter(entry_id=entry.pk).delete()
    for number, (when, revision_id, content, note) in enumerate(rows, start=1):
        PublishedVersion.objects.create(
            entry_id=entry.pk,
            revision_id=revision_id,
            number=number,
            published_at=when,
            change_note=note,
            content=content,
        )
    return len(rows) - len(kept)


def _content_of(revision, entry, when):
    """What the public saw when ``revision`` was published, rebuilt from the revision."""
    page = revision.as_object()
    page.alias_of = None
    page.locale = entry.locale
    # A revision is saved before it is published: its dates are the ones before this publishing.
    page.last_published_at = when
    page.first_published_at = page.first_published_at or when
    return entry_content(page)


# Reading versions ---------------------------------------------------------------------------------------------


def _shown(key, value):
    """A kept value as words for the versions page."""
    if value in (None, "", []):
        return ""
    if key in CODES:
        try:
            return str(CODES[key](value).label)
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key.endswith("_date") or key in ("last_reviewed", "next_review_due"):
        day = parse_date(str(value))
        return formats.date_format(day, "j F Y") if day else str(value)
    if key == "kinds_of_data_in_full":
        return "\n".join(f"{item['kind']}: {item['why']}" for item in value)
    if key == "shared_with_in_full":
        return "\n".join(f"{item['with']}: {item['why']}" for item in value)
    if key == "risks":
        return "\n".join(f"{item['risk']} ({_('safeguard')}: {item['safeguard']})" for item in value)
    if key == "impact_assessments":
        return "\n".join(
            " · ".join(str(part) for part in (item["kind"], item["completed_on"], item["summary"]) if part)
            for item in value
        )
    return str(value)


def differences(older, newer):
    """What changed from one kept version to another: (label, before, after) in the entry page's order."""
    changes = []
    for key, label in COMPARED:
        before = _shown(key, (older.content if older else {}).get(key))
        after = _shown(key, newer.content.get(key))
        if before != after:
            changes.append({"label": label, "before": before, "after": after})
    return changes


def _versions_of(entry):
    """The entry's published versions, newest first (rebuilding any published before versions were kept)."""
    original = original_of(entry)
    found = list(PublishedVersion.objects.filter(entry_id=original.pk).order_by("-number"))
    if all(version.revision_id != original.live_revision_id for version in found) and record_missing(original):
        found = list(PublishedVersion.objects.filter(entry_id=original.pk).order_by("-number"))
    return found


def _number(value, versions, default):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if any(version.number == number for version in versions) else default


@require_safe
def versions(request, reference):
    """GET /entries/<reference>/versions/: every published version of an entry and what changed between two."""
    entry = DataUsePage.objects.for_listing().filter(locale=Locale.get_active(), reference=reference).first()
    if entry is None:
        raise Http404("No published entry has that reference")
    found = _versions_of(entry)
    by_number = {version.number: version for version in found}
    newest = found[0].number if found else 0
    to_number = _number(request.GET.get("to"), found, newest)
    from_number = _number(request.GET.get("from"), found, to_number - 1)
    if from_number > to_number:
        from_number, to_number = to_number, from_number
    older, newer = by_number.get(from_number), by_number.get(to_number)
    page_obj = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "entry": entry,
        "versions": found,
        "listed": page_obj.object_list,
        "page_obj": page_obj,
        "paginator": page_obj.paginator,
        "page_range": page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1),
        "older": older,
        "newer": newer,
        "changes": differences(older, newer) if newer and older is not newer else [],
        "same_version": newer is not None and older is newer,
        # The council's branding and its register as the place in the header (see home's site_menu).
        "council": entry.organisation,
        "council_home": live_register(entry.organisation),
    }
    return render(request, "datauses/versions.html", context)


# The download with history ------------------------------------------------------------------------------------


def _history_rows(keys):
    """Every kept version of the entries with these ids (the register's order), oldest version first."""
    entries = DataUsePage.objects.filter(pk__in=keys).select_related("alias_of")
    source_of = {entry.pk: entry.alias_of_id or entry.pk for entry in entries}
    versions = {}
    for version in PublishedVersion.objects.filter(entry_id__in=set(source_of.values())).order_by("number"):
        versions.setdefault(version.entry_id, []).append(version)
    return [version for pk in keys for version in versions.get(source_of.get(pk), [])]


def _history_values(version):
    content = version.content
    values = {
        "reference": content.get("reference"),
        "version": version.number,
        "version_published": version.published_at.replace(microsecond=0),
        "change_note": version.change_note,
    }
    for column in COLUMNS:
        if column.name != "reference":
            value = content.get(column.name)
            if column.kind == "date" and value:
                value = parse_date(str(value)) or value
            values[column.name] = value
    return values


def _history_csv(found):
    kinds = {column.name: column for column in COLUMNS}

    def cell(name, value):
        if name in kinds:
            return csv_value(kinds[name], value)
        if isinstance(value, datetime.datetime):
            return value.isoformat()
        return csv_value(kinds["title"], value)

    return csv_text(
        HISTORY_NAMES,
        ([cell(name, value) for name, value in _history_values(version).items()] for version in found),
    )


@require_safe
def history_download(request, file_format):
    """GET /open-data/register-history.csv|json: every published version of the entries the register's
    filters choose, oldest version of each entry first."""
    locale = Locale.get_active()
    try:
        keys = matching_keys(request, locale)
    except SearchUnavailable:
        return search_unavailable()
    found = _history_rows(keys)
    if file_format == "csv":
        text = _history_csv(found)
    else:
        text = json_text(
            {
                "licence": LICENCE,
                "data_dictionary": request.build_absolute_uri(reverse("open_data")),
                "count": len(found),
                "versions": [
                    {
                        "version": version.number,
                        "version_published": version.published_at.replace(microsecond=0),
                        "change_note": version.change_note,
                        **version.content,
                    }
                    for version in found
                ],
            }
        )
    filename = download_name(request).replace("data-use-register", "data-use-register-history", 1)
    response = open_file(text, file_format, filename)
    response["X-Licence"] = LICENCE["url"]
    return response
