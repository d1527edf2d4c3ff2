"""Reviews opened by residents' feedback: a run of 'uncomfortable' answers, or a fall in the net comfort score
between two published versions. A review ends when the council publishes an answer or a new version; opening and
closing are logged in the entry's history, with the facts that opened it (worded in each reader's language)."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.models import Page, PageLogEntry

from base.mail import language_of
from datauses.roles import EDITOR

from .models import UNCOMFORTABLE, FeedbackSubmission, Review, ReviewRule
from .notifications import SendFailed, owners_of
from .summary import MIN_RESPONSES_TO_SHOW, counted, grouped

# The entry's history (Wagtail's page log); registered with their words in feedback/admin/history.py.
OPENED = "feedback.review_opened"
CLOSED = "feedback.review_closed"


def open_review(entry):
    """The entry's open review, or None."""
    return entry.reviews.filter(closed_at__isnull=True).first()


def rule_for(entry):
    """The entry's owner team's rule (set on the team in any of its languages), or an unsaved one with the
    defaults for a team without one and for an entry with no owner team."""
    team = entry.owner_team
    found = ReviewRule.objects.filter(team__translation_key=team.translation_key).first() if team else None
    return found or ReviewRule()


def open_if_needed(entry, now=None):
    """Open a review of ``entry`` if its feedback crosses its owner team's rule and none is open. Returns the new
    Review, or None. Logged in the entry's history."""
    entry = entry.original_entry  # feedback always belongs to the original
    now = now or timezone.now()
    with transaction.atomic():
        # One review at a time, even when two workers handle two responses at once (PostgreSQL waits here).
        Page.objects.select_for_update().filter(pk=entry.pk).first()
        if open_review(entry) is not None:
            return None
        rule = rule_for(entry)
        facts = {**uncomfortable_run(entry, rule, now), **score_fall(entry, rule)}
        if not facts:
            return None
        reason = Review.Reason.UNCOMFORTABLE_RUN if "uncomfortable" in facts else Review.Reason.SCORE_FELL
        with translation.override(settings.LANGUAGE_CODE):
            detail = describe(facts)
        review = Review.objects.create(entry=entry, reason=reason, detail=detail, opened_at=now)
        log(instance=entry, action=OPENED, timestamp=now, data={"review": review.pk, "reason": reason, **facts})
    return review


def uncomfortable_run(entry, rule, now):
    """Rule A: at least ``uncomfortable_count`` uncomfortable answers within the last ``window_days``, counting
    only answers given since the last review closed (so one run opens one review). The facts, or {}."""
    if not (rule.uncomfortable_count and rule.window_days):
        return {}
    since = now - datetime.timedelta(days=rule.window_days)
    last_closed = entry.reviews.aggregate(last=Max("closed_at"))["last"]
    if last_closed and last_closed > since:
        since = last_closed
    run = counted(FeedbackSubmission.objects.filter(entry=entry, comfort__in=UNCOMFORTABLE))
    found = run.filter(created_at__gt=since, created_at__lte=now).aggregate(
        n=Count("pk"), first=Min("created_at"), last=Max("created_at")
    )
    if found["n"] < rule.uncomfortable_count:
        return {}
    return {
        "uncomfortable": found["n"],
        "first": timezone.localdate(found["first"]).isoformat(),
        "last": timezone.localdate(found["last"]).isoformat(),
    }


def score_fall(entry, rule):
    """Rule B: the net comfort score on the live version fell by at least ``net_score_drop`` from the version
    before it that had feedback, each with enough responses, and that pair of versions has not been reviewed
    yet. The facts, or {}."""
    latest = entry.live_revision_id
    if not (rule.net_score_drop and latest):
        return {}
    rows = (
        counted(FeedbackSubmission.objects.filter(entry=entry, revision__isnull=False))
        .values_list("revision_id", "comfort")
        .annotate(n=Count("pk"))
        .order_by()
    )
    versions = {group["key"]: group for group in grouped(rows)}
    # Revision numbers only grow, so the version before the live one is the highest lower number.
    earlier = [revision for revision in versions if revision < latest]
    if latest not in versions or not earlier:
        return {}
    after, before = versions[latest], versions[max(earlier)]
    enough = min(after["total"], before["total"]) >= MIN_RESPONSES_TO_SHOW
    if not enough or before["net"] - after["net"] < rule.net_score_drop:
        return {}
    pair = [before["key"], latest]
    opened = PageLogEntry.objects.filter(page_id=entry.pk, action=OPENED).values_list("data", flat=True)
    if any(data.get("versions") == pair for data in opened):
        return {}
    published = dict(entry.revisions.filter(pk__in=pair).values_list("pk", "created_at"))
    return {
        "versions": pair,
        "before": before["net"],
        "after": after["net"],
        "before_published": timezone.localdate(published[pair[0]]).isoformat(),
        "after_published": timezone.localdate(published[pair[1]]).isoformat(),
    }


def describe(facts):
    """What opened a review, in words in the active language: "12 people said they were uncomfortable between
    3 November and 2 December 2026." Takes the facts logged in the entry's history."""
    sentences = []
    if "uncomfortable" in facts:
        first, last = (datetime.date.fromisoformat(facts[key]) for key in ("first", "last"))
        words = {"n": facts["uncomfortable"], "last": date_format(last, "j F Y")}
        if first == last:
            sentences.append(
                ngettext(
                    "%(n)d person said they were uncomfortable on %(last)s.",
                    "%(n)d people said they were uncomfortable on %(last)s.",
                    facts["uncomfortable"],
                )
                % words
            )
        else:
            words["first"] = date_format(first, "j F" if first.year == last.year else "j F Y")
            sentences.append(
                ngettext(
                    "%(n)d person said they were uncomfortable between %(first)s and %(last)s.",
                    "%(n)d people said they were uncomfortable between %(first)s and %(last)s.",
                    facts["uncomfortable"],
                )
                % words
            )
    if "versions" in facts:
        sentences.append(
            _(
                "The net comfort score fell from %(before)d on the version published on %(before_published)s to "
                "%(after)d on the version published on %(after_published)s."
            )
            % {
                "before": facts["before"],
                "after": facts["after"],
                "before_published": date_format(datetime.date.fromisoformat(facts["before_published"]), "j F Y"),
                "after_published": date_format(datetime.date.fromisoformat(facts["after_published"]), "j F Y"),
            }
        )
    return " ".join(sentences)


def close_for_answer(answer, now=None):
    """End the open review of the answer's entry, if any, because an answer was published. Returns it or None."""
    return _close(answer.entry, Review.Outcome.ANSWERED, now, answer=answer)


def close_for_new_version(entry, revision, now=None):
    """End the open review of ``entry``, if any, because a new version was published. Returns it or None."""
    return _close(entry, Review.Outcome.NEW_VERSION, now, revision=revision)


def _close(entry, outcome, now, answer=None, revision=None):
    review = open_review(entry)
    if review is None:
        return None
    now = now or timezone.now()
    # Only the first of two publications at once closes it (and logs it).
    if not Review.objects.filter(pk=review.pk, closed_at__isnull=True).update(
        closed_at=now, outcome=outcome, answer=answer
    ):
        return None
    review.closed_at, review.outcome, review.answer = now, outcome, answer
    data = {"review": review.pk, "outcome": outcome, "opened": timezone.localdate(review.opened_at).isoformat()}
    if answer is not None:
        data["answer"] = answer.pk
    log(instance=entry, action=CLOSED, timestamp=now, revision=revision, data=data)
    return review


def describe_closing(data):
    """How a review ended, in words in the active language, from the facts logged in the entry's history."""
    opened = date_format(datetime.date.fromisoformat(data["opened"]), "j F Y")
    if data.get("outcome") == Review.Outcome.ANSWERED:
        return _("The review opened on %(opened)s ended: the council published an answer.") % {"opened": opened}
    return _("The review opened on %(opened)s ended: the council published a new version of the entry.") % {
        "opened": opened
    }


def staff_of(entry):
    """Who hears that a review opened: the owner team, and the council's comms officers (its editors group).
    Active people with an email address, each once."""
    comms = Q(groups__name=EDITOR.name.format(council=entry.organisation.short_name))
    people = owners_of(entry) | get_user_model().objects.filter(comms, is_active=True).exclude(email="")
    return people.distinct().select_related("wagtail_userprofile").order_by("email")


def tell_staff(review, already_told=()):
    """Email the owner team and comms officers about an opened review. Returns the number sent; raises
    notifications.SendFailed if the mail server fails part-way."""
    entry = review.entry
    facts = PageLogEntry.objects.filter(page_id=entry.pk, action=OPENED).values_list("data", flat=True)
    facts = next((data for data in facts if data.get("review") == review.pk), None)
    told = []
    for person in staff_of(entry):
        if person.email in already_told or person.email in told:
            continue
        with translation.override(language_of(person)):
            subject, body = _review_email(review, facts)
        try:
            send_mail(subject, body, None, [person.email])
        except OSError as error:
            raise SendFailed(told) from error
        told.append(person.email)
    return len(told)


def _review_email(review, facts):
    entry = review.entry
    admin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    label = f"{entry.title} ({entry.reference})" if entry.reference else entry.title
    subject = _("Residents' feedback has opened a review of '%(title)s'") % {"title": entry.title}
    body = _(
        "Residents' feedback has opened a review of '%(entry)s'.\n\n"
        "%(reason)s: %(detail)s\n\n"
        "Until the review ends, the public entry says it is under review because of residents' feedback. It ends "
        "when you publish an answer to the feedback or a new version of the entry.\n\n"
        "See what people said: %(sentiment_url)s\n"
        "Add a public answer: %(answer_url)s\n"
    ) % {
        "entry": label,
        "reason": review.get_reason_display(),
        "detail": describe(facts) if facts else review.detail,
        "sentiment_url": admin + reverse("sentiment:entry", args=[entry.pk]),
        "answer_url": admin + reverse("wagtailsnippets_feedback_owneranswer:add") + f"?entry={entry.pk}",
    }
    return subject, body
