"""Background work for the feedback loop, run by the worker (`python manage.py db_worker`).

Email the mail server does not take (down, refusing, too slow) is tried again after a pause, up to
len(RETRY_DELAYS) more times; after the last try the task fails and stays in the queue's table with its error.
"""

import datetime
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django_tasks import task
from wagtail.models import Locale

from base.mail import RETRY_DELAYS, try_again_later  # noqa: F401 (RETRY_DELAYS: the schedule the README describes)
from datauses.models import Organisation

from . import following, insight, monthly_report, replies, reviews, tallies
from .models import FeedbackSubmission, Follower, OwnerAnswer, PrivateReply, Review
from .notifications import SendFailed, is_spike, notify_new_feedback, send_digests, tell_people_who_asked_for_a_reply
from .retention import delete_expired_text

logger = logging.getLogger(__name__)


@task()
def delete_expired_feedback_text():
    """Run daily (see README): removes feedback text past each council's retention period."""
    return delete_expired_text()


@task()
def notify_owners(submission_id, attempt=1, spike=None):
    """Count one new response in the sentiment tallies (with any others waiting) and email the owners about it
    (queued by the public feedback form, so the form itself does neither)."""
    if attempt == 1 and tallies.catch_up(wait=True):
        insight.refresh_if_due()  # the public insight pages' figures, at most every few minutes
    submission = FeedbackSubmission.objects.select_related("entry__owner_team").filter(pk=submission_id).first()
    if submission is None:
        return 0  # deleted since
    if attempt == 1:
        open_review_if_needed(submission.entry)
    if submission.owners_notified_at:
        return 0  # already done by an earlier try
    if spike is None:
        spike = is_spike(submission)  # decided once: the alert is claimed for the hour on the first try
    try:
        return notify_new_feedback(submission, spike=spike)
    except OSError as error:
        return try_again_later(notify_owners, error, attempt, submission_id, spike=spike)


@task()
def refresh_sentiment():
    """Count every response again (`python manage.py refresh_sentiment`, nightly; see README)."""
    return tallies.recount_everything()


@task()
def send_feedback_digests(frequency):
    return send_digests(frequency)


@task()
def tell_repliers(answer_id, attempt=1, already_told=()):
    """Email the people who asked for a reply when an answer is first published (queued by feedback.signals)."""
    answer = OwnerAnswer.objects.select_related("entry").filter(pk=answer_id, live=True).first()
    if answer is None:
        return 0
    try:
        return tell_people_who_asked_for_a_reply(answer, already_told=already_told)
    except SendFailed as failure:
        return try_again_later(tell_repliers, failure, attempt, answer_id, already_told=already_told)


def open_review_if_needed(entry, now=None):
    """Open a review when the entry's feedback crosses its owners' rule, and queue the emails about it."""
    review = reviews.open_if_needed(entry, now=now)
    if review is not None:
        tell_staff_about_review.enqueue(review.pk)
        tell_followers.enqueue(entry.pk, following.REVIEW_OPENED, review.pk)
    return review


@task()
def tell_staff_about_review(review_id, attempt=1, already_told=()):
    """Email the entry's owner team and its council's comms officers that a review has opened."""
    review = Review.objects.select_related("entry").filter(pk=review_id).first()
    if review is None:
        return 0
    try:
        return reviews.tell_staff(review, already_told=already_told)
    except SendFailed as failure:
        return try_again_later(tell_staff_about_review, failure, attempt, review_id, already_told=already_told)


@task()
def tell_followers(entry_id, event, object_id=None, attempt=1, already_told=()):
    """Email the confirmed followers of an entry about one event (see following.EVENTS)."""
    try:
        return following.tell_followers(entry_id, event, object_id, already_told=already_told)
    except SendFailed as failure:
        return try_again_later(tell_followers, failure, attempt, entry_id, event, object_id, already_told=already_told)


@task()
def send_alerts(entry_id, revision_id, attempt=1, already_told=()):
    """Email the confirmed immediate alerts an entry just published matches (see following.send_alerts)."""
    try:
        return following.send_alerts(entry_id, revision_id, already_told=already_told)
    except SendFailed as failure:
        return try_again_later(send_alerts, failure, attempt, entry_id, revision_id, already_told=already_told)


@task()
def confirm_following(follower_id, attempt=1):
    """Email the link that confirms a new follower's address (double opt-in)."""
    follower = Follower.objects.select_related("entry").filter(pk=follower_id).first()
    if follower is None or follower.confirmed_at:
        return 0
    try:
        return following.send_confirmation(follower)
    except OSError as error:
        return try_again_later(confirm_following, error, attempt, follower_id)


@task()
def send_private_reply(reply_id, attempt=1):
    """Email an owner's private reply to the one person it is for."""
    reply = PrivateReply.objects.select_related("submission__entry").filter(pk=reply_id).first()
    if reply is None or reply.sent_at:
        return 0
    try:
        return replies.send(reply)
    except OSError as error:
        return try_again_later(send_private_reply, error, attempt, reply_id)


@task()
def send_insight_report(scope, month, attempt=1, already_told=()):
    """Email the monthly insight report for a council (by slug) or the partnership ("all") about ``month``
    (YYYY-MM-DD, its first day) to the people named for it (queued by send_insight_reports)."""
    month = datetime.date.fromisoformat(month)
    organisation = None
    if scope != insight.ALL:
        organisation = Organisation.objects.filter(slug=scope).order_by("pk").first()
        if organisation is None:
            return 0
    locale = Locale.get_default()
    councils = Organisation.objects.filter(locale=locale).order_by("name")
    report = monthly_report.build(month, organisation, labels=insight.labels(locale), councils=councils)
    with translation.override(settings.LANGUAGE_CODE):
        path = (
            reverse("insight_council_report", args=[scope, f"{month:%Y-%m}"])
            if organisation
            else reverse("insight_report", args=[f"{month:%Y-%m}"])
        )
    report["url"] = following.public_root() + path
    try:
        return monthly_report.send(report, monthly_report.recipients(organisation), already_told=already_told)
    except SendFailed as failure:
        return try_again_later(
            send_insight_report, failure, attempt, scope, month.isoformat(), already_told=already_told
        )
