"""The monthly insight report, for each council and for the partnership: responses, the kinds of use clearly
more or less accepted than the rest, the biggest changes since the month before, answers published, reviews
opened by feedback and what came of them, and whether a change to an entry moved its comfort. Built from the
published insight (feedback.insight) and the tallies, with the same rule: no figure of fewer than
MIN_RESPONSES responses, and none that would give one away by subtraction. Public at
/what-residents-told-us/report/<month>/ (and per council), and emailed on the first working day of the month
(send_insight_reports) to the people each council names."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.mail import SendFailed
from datauses.models import ChangeNote, DataUsePage

from . import insight
from .models import COMFORTABLE, COMFORTS, MonthTally, OwnerAnswer, Review, VersionTally

MIN = insight.MIN_RESPONSES
CHANGES_SHOWN = 5


def month_start(day):
    return datetime.date(day.year, day.month, 1)


def previous_month(month):
    return month_start(month - datetime.timedelta(days=1))


def first_working_day(month):
    """The first day of the month that is a weekday and not a bank holiday in England and Wales."""
    bank_holidays = holidays.UK(subdiv="ENG", years=month.year)
    day = month
    while day.weekday() >= 5 or day in bank_holidays:
        day += datetime.timedelta(days=1)
    return day


@dataclass
class Share:
    """A number of responses and how many of them were comfortable."""

    responses: int
    comfortable: int

    @property
    def percent(self):
        return round(100 * self.comfortable / self.responses) if self.responses else 0

    @property
    def interval(self):
        low, high = insight.wilson(self.comfortable, self.responses)
        return round(100 * low), round(100 * high)

    def clearly_differs_from(self, other):
        mine, theirs = (
            insight.wilson(self.comfortable, self.responses),
            insight.wilson(other.comfortable, other.responses),
        )
        return mine[0] > theirs[1] or mine[1] < theirs[0]


def _share(counts):
    return Share(sum(counts.get(c, 0) or 0 for c in COMFORTS), sum(counts.get(c, 0) or 0 for c in COMFORTABLE))


def _entries(organisation):
    entries = DataUsePage.objects.live().public()
    if organisation is not None:
        entries = entries.filter(organisation__translation_key=organisation.translation_key)
    return entries


def month_on_month(month, organisation=None):
    """The entries whose comfort changed most between the month before and ``month``: each with at least MIN
    responses in both months, of a council whose two months are shown in the published insight, and only while
    what is left of its council's two months and of its own other months is none or at least MIN (else the
    smallest entry shown is left out), so no withheld or small figure can be worked out by subtraction.
    Biggest change first."""
    last = previous_month(month)
    figures, _computed_at = insight.current()
    counted = insight._sentiments()
    if organisation is not None:
        counted = counted.filter(entry__organisation__slug=organisation.slug)
    rows = (
        MonthTally.objects.filter(entry_id__in=counted.values("entry_id"))
        .order_by()
        .values("entry_id", "entry__organisation__slug", "month")
        .annotate(**{c: Sum(c) for c in COMFORTS})
    )
    per_entry = defaultdict(dict)
    council_of = {}
    for row in rows:
        per_entry[row["entry_id"]][row["month"]] = _share(row)
        council_of[row["entry_id"]] = row["entry__organisation__slug"]
    published = {
        council
        for council in set(council_of.values())
        if all(insight.figure(figures, insight.MONTH, f"{m:%Y-%m}", council).shown for m in (month, last))
    }
    shown = {
        entry
        for entry, months in per_entry.items()
        if council_of[entry] in published
        and months.get(month, Share(0, 0)).responses >= MIN
        and months.get(last, Share(0, 0)).responses >= MIN
    }
    # An entry's other months (its total less the two shown) must not be a small group.
    for entry in list(shown):
        rest = sum(s.responses for m, s in per_entry[entry].items() if m not in (month, last))
        if 0 < rest < MIN:
            shown.discard(entry)
    # Nor what is left of each council's month once the entries shown are taken away.
    for council in set(council_of.values()):
        mine = [entry for entry in per_entry if council_of[entry] == council]
        while True:
            left = [
                sum(per_entry[e].get(m, Share(0, 0)).responses for e in mine if e not in shown) for m in (month, last)
            ]
            candidates = [entry for entry in mine if entry in shown]
            if not candidates or all(n == 0 or n >= MIN for n in left):
                break
            smallest = min(candidates, key=lambda e: (per_entry[e][month].responses, e))
            shown.discard(smallest)
    titles = dict(DataUsePage.objects.filter(pk__in=shown).values_list("pk", "title"))
    references = dict(DataUsePage.objects.filter(pk__in=shown).values_list("pk", "reference"))
    changes = [
        {
            "title": titles[entry],
            "reference": references[entry],
            "before": per_entry[entry][last],
            "after": per_entry[entry][month],
            "points": per_entry[entry][month].percent - per_entry[entry][last].percent,
            "clear": per_entry[entry][month].clearly_differs_from(per_entry[entry][last]),
        }
        for entry in shown
    ]
    changes.sort(key=lambda change: (-abs(change["points"]), change["title"]))
    return changes[:CHANGES_SHOWN]


def version_effects(month, organisation=None):
    """For each entry changed in ``month`` (a new version with a change note): comfort on the versions before
    the change and since, when both have at least MIN responses (they add up to the entry's total, so showing
    one alone would give the other away)."""
    start, end = _bounds(month)
    notes = (
        ChangeNote.objects.filter(
            entry__in=_entries(organisation).values("pk"), published_at__gte=start, published_at__lt=end
        )
        .select_related("entry")
        .order_by("published_at", "pk")
    )
    effects = []
    for note in notes:
        before, after = defaultdict(int), defaultdict(int)
        for tally in VersionTally.objects.filter(entry_id=note.entry_id).values("revision_id", *COMFORTS):
            side = after if note.revision_id and (tally["revision_id"] or 0) >= note.revision_id else before
            for comfort in COMFORTS:
                side[comfort] += tally[comfort]
        before, after = _share(before), _share(after)
        enough = before.responses >= MIN and after.responses >= MIN
        effects.append(
            {
                "entry": note.entry,
                "note": note.note,
                "published_at": note.published_at,
                "before": before if enough else None,
                "after": after if enough else None,
                "clear": enough and after.clearly_differs_from(before),
            }
        )
    return effects


def _bounds(month):
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(month, datetime.time(), tzinfo=zone)
    following = month_start(month + datetime.timedelta(days=32))
    return start, datetime.datetime.combine(following, datetime.time(), tzinfo=zone)


def build(month, organisation=None, labels=None):
    """Everything the report for ``month`` (its first day) shows, for a council or (None) the partnership."""
    figures, computed_at = insight.current()
    scope = organisation.slug if organisation else insight.ALL
    last = previous_month(month)
    overall = insight.figure(figures, insight.TOTAL, insight.ALL, scope)
    this_month = insight.figure(figures, insight.MONTH, f"{month:%Y-%m}", scope)
    month_before = insight.figure(figures, insight.MONTH, f"{last:%Y-%m}", scope)
    more, less = [], []
    for topic in insight.TOPICS:
        for group in figures["groups"].get(topic.code, []):
            found = insight.figure(
                figures, topic.code, group, scope, (labels or {}).get(topic.code, {}).get(group, group)
            )
            found.topic_label = topic.label
            comparison = found.compared_with(overall)
            if comparison == "higher":
                more.append(found)
            elif comparison == "lower":
                less.append(found)
    more.sort(key=lambda f: (-f.comfortable_percent, str(f.label)))
    less.sort(key=lambda f: (f.comfortable_percent, str(f.label)))
    start, end = _bounds(month)
    entries = _entries(organisation).values("pk")
    answers = (
        OwnerAnswer.objects.filter(
            live=True, entry__in=entries, first_published_at__gte=start, first_published_at__lt=end
        )
        .select_related("entry")
        .order_by("first_published_at", "pk")
    )
    reviews = (
        Review.objects.filter(entry__in=entries, opened_at__gte=start, opened_at__lt=end)
        .select_related("entry")
        .order_by("opened_at", "pk")
    )
    return {
        "month": month,
        "last_month": last,
        "organisation": organisation,
        "computed_at": computed_at,
        "overall": overall,
        "this_month": this_month,
        "month_before": month_before,
        "month_change": (
            this_month.comfortable_percent - month_before.comfortable_percent
            if this_month.shown and month_before.shown
            else None
        ),
        "month_change_clear": (
            this_month.shown
            and month_before.shown
            and Share(this_month.responses, this_month.comfortable).clearly_differs_from(
                Share(month_before.responses, month_before.comfortable)
            )
        ),
        "more_accepted": more,
        "less_accepted": less,
        "changes": month_on_month(month, organisation),
        "answers": list(answers),
        "reviews": list(reviews),
        "version_effects": version_effects(month, organisation),
        "min_responses": MIN,
    }


def recipients(organisation=None):
    """Who the report goes to: the addresses a council gives, or INSIGHT_REPORT_RECIPIENTS for the partnership."""
    if organisation is None:
        return list(settings.INSIGHT_REPORT_RECIPIENTS)
    return organisation.report_recipients()


def send(report, addresses, already_told=()):
    """Email the report, in HTML and plain text, to each address. Returns how many were sent; raises
    SendFailed if the mail server fails part-way."""
    organisation = report["organisation"]
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("What residents told us in %(month)s: %(scope)s") % {
            "month": report["month"].strftime("%B %Y"),
            "scope": organisation.name if organisation else _("all councils"),
        }
        text = render_to_string("feedback/insight_report_email.txt", report)
        html = render_to_string("feedback/insight_report_email.html", report)
    told = []
    for address in addresses:
        if address in already_told or address in told:
            continue
        message = EmailMultiAlternatives(subject, text, None, [address])
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except OSError as error:
            raise SendFailed(told) from error
        told.append(address)
    return len(told)
