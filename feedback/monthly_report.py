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
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from base.mail import SendFailed
from datauses.models import ChangeNote, DataUsePage

from . import insight
from .models import COMFORTABLE, COMFORTS, OwnerAnswer, Review, VersionTally

MIN = insight.MIN_RESPONSES


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


def council_changes(figures, month, councils):
    """Each council's comfort in ``month`` against the month before, from the published figures (so nothing
    the insight pages withhold): the councils whose two months are both shown, biggest change first."""
    last = previous_month(month)
    changes = []
    for council in councils:
        now = insight.figure(figures, insight.MONTH, f"{month:%Y-%m}", council.slug)
        before = insight.figure(figures, insight.MONTH, f"{last:%Y-%m}", council.slug)
        if now.shown and before.shown:
            now_share, before_share = Share(now.responses, now.comfortable), Share(before.responses, before.comfortable)
            changes.append(
                {
                    "title": council.name,
                    "before": before_share,
                    "after": now_share,
                    "points": now_share.percent - before_share.percent,
                    "clear": now_share.clearly_differs_from(before_share),
                }
            )
    changes.sort(key=lambda change: (-abs(change["points"]), change["title"]))
    return changes


def version_effects(month, organisation=None):
    """For each entry changed in ``month`` (a new version with a change note): comfort on the versions before
    the change and since. Shown only when every published version of the entry has none or at least MIN
    responses: the two sides add up to the entry's total, and this month's "before" less another month's
    must never be a small group either."""
    start, end = _bounds(month)
    # Feedback is kept on the entry in the site's main language (a translation's notes would have none).
    originals = _entries(organisation).filter(locale=Locale.get_default(), alias_of__isnull=True)
    notes = (
        ChangeNote.objects.filter(entry__in=originals.values("pk"), published_at__gte=start, published_at__lt=end)
        .select_related("entry")
        .order_by("published_at", "pk")
    )
    effects = []
    for note in notes:
        before, after = defaultdict(int), defaultdict(int)
        versions = list(VersionTally.objects.filter(entry_id=note.entry_id).values("revision_id", *COMFORTS))
        for tally in versions:
            side = after if note.revision_id and (tally["revision_id"] or 0) >= note.revision_id else before
            for comfort in COMFORTS:
                side[comfort] += tally[comfort]
        before, after = _share(before), _share(after)
        each_version = all(_share(tally).responses == 0 or _share(tally).responses >= MIN for tally in versions)
        enough = before.responses >= MIN and after.responses >= MIN and each_version
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


def build(month, organisation=None, labels=None, councils=None, published=None):
    """Everything the report for ``month`` (its first day) shows, for a council or (None) the partnership
    (``councils``: the councils, for the partnership's changes by council; ``published``: the insight's
    (figures, computed_at) if the caller has read them already)."""
    figures, computed_at = published or insight.current()
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
    # In a fixed order, not ranked: that each is clearly above (or below) all responses is what is known.
    more.sort(key=lambda f: (str(f.topic_label), str(f.label)))
    less.sort(key=lambda f: (str(f.topic_label), str(f.label)))
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
        "changes": council_changes(figures, month, councils or []) if organisation is None else [],
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
