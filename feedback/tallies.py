"""Keeping the sentiment tallies (feedback.models.tallies) equal to counting the responses themselves.

- A new response waits with ``tallied`` False. The worker adds it (tasks.notify_owners calls catch_up), and an
  owner's view that gets there first adds the waiting ones before it reads, so the figures include it at once.
- A change to responses already counted (their state, in the admin, or deleting one) recounts their entries.
- ``python manage.py refresh_sentiment`` recounts everything (nightly, and after any change made outside the
  admin, such as SQL run by hand or an import).
Only responses that count towards sentiment are tallied: summary.counted says which.
"""

import zoneinfo
from collections import Counter, defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, DateField, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import (
    COMFORTS,
    CouncilMonth,
    EntrySentiment,
    FeedbackSubmission,
    MonthTally,
    State,
    TallyLock,
    VersionTally,
)

# Responses added in one go: small enough for SQLite's limit on query parameters.
BATCH = 2000
# Entries recounted in one go by recount_everything: each batch holds the lock only briefly.
ENTRIES_PER_RECOUNT = 200


def counted(queryset):
    """Feedback that counts towards sentiment: everything except what was hidden as spam (as summary.counted)."""
    return queryset.exclude(state=State.SPAM)


def month_of(field="created_at"):
    # Months in the site's time zone, whoever is signed in, so a tally means the same for everybody.
    return TruncMonth(field, output_field=DateField(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _empty():
    return dict.fromkeys(COMFORTS, 0)


class Counts:
    """What a set of responses adds to each tally, keyed as the tallies are."""

    def __init__(self):
        self.entries = defaultdict(
            lambda: {**_empty(), "new": 0, "newest_new_at": None, "conditions": Counter(), "trust": Counter()}
        )
        self.months = defaultdict(_empty)
        self.versions = defaultdict(_empty)

    @classmethod
    def of(cls, responses):
        """Count a queryset of responses in five queries, however many there are."""
        found = cls()
        rows = counted(responses).order_by()
        by_comfort = {comfort: Count("pk", filter=Q(comfort=comfort)) for comfort in COMFORTS}
        new = Q(state=State.NEW)
        for row in rows.values("entry_id", "organisation_id").annotate(
            **by_comfort, new=Count("pk", filter=new), newest_new_at=Max("created_at", filter=new)
        ):
            counts = found.entries[row.pop("entry_id"), row.pop("organisation_id")]
            counts.update(row, conditions=counts["conditions"], trust=counts["trust"])
        # Each different set of conditions once, with how many chose it (a few dozen sets at most).
        for entry, organisation, conditions, n in rows.values_list(
            "entry_id", "organisation_id", "conditions"
        ).annotate(n=Count("pk")):
            for condition in conditions or []:
                found.entries[entry, organisation]["conditions"][condition] += n
        for entry, organisation, trust, n in (
            rows.exclude(trust="").values_list("entry_id", "organisation_id", "trust").annotate(n=Count("pk"))
        ):
            found.entries[entry, organisation]["trust"][trust] += n
        for row in (
            rows.annotate(month=month_of()).values("entry_id", "organisation_id", "month").annotate(**by_comfort)
        ):
            found.months[row.pop("entry_id"), row.pop("organisation_id"), row.pop("month")] = row
        for row in rows.values("entry_id", "organisation_id", "revision_id").annotate(**by_comfort):
            found.versions[row.pop("entry_id"), row.pop("organisation_id"), row.pop("revision_id")] = row
        return found

    def council_months(self):
        totals = defaultdict(_empty)
        for (_entry, organisation, month), counts in self.months.items():
            for comfort in COMFORTS:
                totals[organisation, month][comfort] += counts[comfort]
        return totals


def _lock(wait=True):
    """Take the tallies' lock for the current transaction; False when someone else holds it and wait is False."""
    TallyLock.objects.get_or_create(pk=1)  # gone after a test flushed the tables
    return TallyLock.objects.select_for_update(skip_locked=not wait).filter(pk=1).exists()


def _merge(model, keys, existing, deltas):
    """Add the counts in deltas ({key: counts}) to the rows of model; keys name the fields a key holds. Rows left
    with no responses are deleted (a recount can take a council's month down to nothing)."""
    found = {tuple(getattr(row, key) for key in keys): row for row in existing}
    changed, added = [], []
    for key, delta in deltas.items():
        row = found.get(key)
        if row is None:
            row = model(**dict(zip(keys, key, strict=True)))
            added.append(row)
        else:
            changed.append(row)
        for comfort in COMFORTS:
            setattr(row, comfort, getattr(row, comfort) + delta[comfort])
        if model is EntrySentiment:
            row.new += delta["new"]
            if delta["newest_new_at"] and (row.newest_new_at is None or delta["newest_new_at"] > row.newest_new_at):
                row.newest_new_at = delta["newest_new_at"]
            row.conditions = dict(Counter(row.conditions) + delta["conditions"])
            row.trust = dict(Counter(row.trust) + delta["trust"])
            row.work_out_totals()
    fields = [
        *COMFORTS,
        *(
            ["new", "newest_new_at", "conditions", "trust", "total", "comfortable", "uncomfortable", "net"]
            if model is EntrySentiment
            else []
        ),
    ]
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    model.objects.bulk_create([row for row in added if row.responses], batch_size=500)
    gone = [row.pk for row in changed if not row.responses]
    if gone:
        model.objects.filter(pk__in=gone).delete()


def _add_council_months(deltas):
    if not deltas:
        return
    organisations, months = {key[0] for key in deltas}, {key[1] for key in deltas}
    existing = CouncilMonth.objects.filter(organisation_id__in=organisations, month__in=months)
    _merge(CouncilMonth, ["organisation_id", "month"], existing, deltas)


def _add(counts):
    entries = {entry for entry, _organisation in counts.entries}
    _merge(
        EntrySentiment,
        ["entry_id", "organisation_id"],
        EntrySentiment.objects.filter(entry_id__in=entries),
        counts.entries,
    )
    _merge(
        MonthTally,
        ["entry_id", "organisation_id", "month"],
        MonthTally.objects.filter(entry_id__in=entries),
        counts.months,
    )
    _merge(
        VersionTally,
        ["entry_id", "organisation_id", "revision_id"],
        VersionTally.objects.filter(entry_id__in=entries),
        counts.versions,
    )
    _add_council_months(counts.council_months())


def catch_up(wait=False):
    """Add the responses not yet tallied. Returns how many were added.

    The worker waits for the lock; an owner's view does not (wait=False): if someone else is adding them, the
    view shows the tallies as they are, and they are complete a moment later."""
    if not FeedbackSubmission.objects.filter(tallied=False).exists():
        return 0
    added = 0
    with transaction.atomic():
        if not _lock(wait):
            return 0
        while ids := list(FeedbackSubmission.objects.filter(tallied=False).values_list("pk", flat=True)[:BATCH]):
            # Marked first and counted by their ids, so a response saved meanwhile waits for the next time.
            FeedbackSubmission.objects.filter(pk__in=ids).update(tallied=True)
            _add(Counts.of(FeedbackSubmission.objects.filter(pk__in=ids)))
            added += len(ids)
    return added


def recount(entry_ids):
    """Count these entries' responses again from scratch: after a state change or a deletion."""
    entry_ids = sorted(set(entry_ids))
    if not entry_ids:
        return
    with transaction.atomic():
        _lock()
        responses = FeedbackSubmission.objects.filter(entry_id__in=entry_ids)
        responses.filter(tallied=False).update(tallied=True)
        before = defaultdict(_empty)
        for row in MonthTally.objects.filter(entry_id__in=entry_ids):
            for comfort in COMFORTS:
                before[row.organisation_id, row.month][comfort] += getattr(row, comfort)
        for model in (EntrySentiment, MonthTally, VersionTally):
            model.objects.filter(entry_id__in=entry_ids).delete()
        counts = Counts.of(responses.filter(tallied=True))
        _merge(EntrySentiment, ["entry_id", "organisation_id"], [], counts.entries)
        _merge(MonthTally, ["entry_id", "organisation_id", "month"], [], counts.months)
        _merge(VersionTally, ["entry_id", "organisation_id", "revision_id"], [], counts.versions)
        after = counts.council_months()
        deltas = {
            key: {
                comfort: after.get(key, _empty())[comfort] - before.get(key, _empty())[comfort] for comfort in COMFORTS
            }
            for key in set(before) | set(after)
        }
        _add_council_months({key: delta for key, delta in deltas.items() if any(delta.values())})


def forget_entries(entry_ids):
    """Take entries about to be deleted out of the tallies. Their own tallies would go with them (the database
    cascades), but each council's months would still count their responses until the next recount_everything."""
    with transaction.atomic():
        _lock()
        before = defaultdict(_empty)
        for row in MonthTally.objects.filter(entry_id__in=entry_ids):
            for comfort in COMFORTS:
                before[row.organisation_id, row.month][comfort] -= getattr(row, comfort)
        for model in (EntrySentiment, MonthTally, VersionTally):
            model.objects.filter(entry_id__in=entry_ids).delete()
        _add_council_months(before)


def recount_everything():
    """Count every response again, a batch of entries at a time (each batch is right on its own, so the views
    never see half a recount), then each council's months from its entries'. Returns the number of entries."""
    entries = set(FeedbackSubmission.objects.order_by().values_list("entry_id", flat=True).distinct())
    for model in (EntrySentiment, MonthTally, VersionTally):
        entries |= set(model.objects.order_by().values_list("entry_id", flat=True).distinct())
    entries = sorted(entries)
    for start in range(0, len(entries), ENTRIES_PER_RECOUNT):
        recount(entries[start : start + ENTRIES_PER_RECOUNT])
    with transaction.atomic():
        _lock()
        totals = {}
        from_entries = MonthTally.objects.order_by().values("organisation_id", "month")
        for row in from_entries.annotate(**{comfort: Sum(comfort) for comfort in COMFORTS}):
            totals[row.pop("organisation_id"), row.pop("month")] = row
        CouncilMonth.objects.all().delete()
        _merge(CouncilMonth, ["organisation_id", "month"], [], totals)
        TallyLock.objects.filter(pk=1).update(recounted_at=timezone.now())
    if connection.vendor == "postgresql":
        # After many rows were marked at once, fresh statistics let "any not yet counted?" use its small index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FeedbackSubmission._meta.db_table}")
    return len(entries)
