"""Feedback text is deleted after each council's retention period; counts stay; running twice is safe."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.models import FeedbackSubmission, Follower, PageProblemReport, ReplyContact
from feedback.tasks import delete_expired_feedback_text
from tests.factories import DataUsePageFactory, FeedbackSubmissionFactory

pytestmark = pytest.mark.django_db


def make_feedback(entry, days_old, comment="A worry.", email="me@example.com"):
    submission = FeedbackSubmissionFactory(
        entry=entry,
        comment=comment,
        publish_consent=True,
        approved_for_publication=True,
        created_at=timezone.now() - datetime.timedelta(days=days_old),
    )
    if email:
        ReplyContact.objects.create(submission=submission, email=email)
    return submission


def test_old_text_and_reply_addresses_go_recent_ones_and_all_counts_stay(bristol_register, leeds_register, leeds):
    leeds.feedback_retention_months = 3
    leeds.save()
    bristol_entry = DataUsePageFactory(parent=bristol_register)
    leeds_entry = DataUsePageFactory(parent=leeds_register)
    old_bristol = make_feedback(bristol_entry, days_old=400)
    recent_bristol = make_feedback(bristol_entry, days_old=200)
    old_leeds = make_feedback(leeds_entry, days_old=100)
    report = PageProblemReport.objects.create(
        entry=bristol_entry,
        organisation=bristol_entry.organisation,
        kind="wrong",
        details="Old details",
        dedupe_key="r1",
    )
    PageProblemReport.objects.filter(pk=report.pk).update(created_at=timezone.now() - datetime.timedelta(days=500))

    call_command("delete_expired_feedback", verbosity=0)

    for submission in (old_bristol, old_leeds):
        submission.refresh_from_db()
        assert submission.comment == ""
        assert not submission.publish_consent and not submission.approved_for_publication
        assert not ReplyContact.objects.filter(submission=submission).exists()
        assert submission.comfort == "not_sure"  # the count is kept
    recent_bristol.refresh_from_db()
    assert recent_bristol.comment == "A worry."
    assert ReplyContact.objects.filter(submission=recent_bristol).exists()
    report.refresh_from_db()
    assert report.details == ""
    assert FeedbackSubmission.objects.count() == 3


def test_running_twice_changes_nothing_more(bristol_register):
    entry = DataUsePageFactory(parent=bristol_register)
    make_feedback(entry, days_old=800)
    first = delete_expired_feedback_text.call()
    second = delete_expired_feedback_text.call()
    nothing_about_followers = {"followers": 0, "unconfirmed_followers": 0}
    assert first == {"comments": 1, "reply_addresses": 1, "problem_reports": 0, **nothing_about_followers}
    assert second == {"comments": 0, "reply_addresses": 0, "problem_reports": 0, **nothing_about_followers}


def test_the_task_can_be_queued_for_the_background_worker(bristol_register):
    entry = DataUsePageFactory(parent=bristol_register)
    make_feedback(entry, days_old=800)
    result = delete_expired_feedback_text.enqueue()
    assert result.return_value["comments"] == 1


def follower(entry, email, days_since_active, confirmed=True):
    now = timezone.now()
    return Follower.objects.create(
        entry=entry,
        email=email,
        token=email.split("@")[0],
        confirmed_at=now - datetime.timedelta(days=400) if confirmed else None,
        last_active_at=now - datetime.timedelta(days=days_since_active),
    )


def test_followers_go_after_the_councils_period_without_activity_and_unconfirmed_ones_after_a_week(
    bristol_register, leeds_register, leeds
):
    leeds.feedback_retention_months = 3
    leeds.save()
    bristol_entry = DataUsePageFactory(parent=bristol_register)  # Bristol keeps things for the default 12 months
    leeds_entry = DataUsePageFactory(parent=leeds_register)
    follower(bristol_entry, "inactive@example.org", days_since_active=380)
    follower(bristol_entry, "active@example.org", days_since_active=200)
    follower(leeds_entry, "leeds-inactive@example.org", days_since_active=100)
    follower(bristol_entry, "unconfirmed-old@example.org", days_since_active=8, confirmed=False)
    follower(bristol_entry, "unconfirmed-new@example.org", days_since_active=2, confirmed=False)

    totals = delete_expired_feedback_text.call()

    assert totals["followers"] == 2 and totals["unconfirmed_followers"] == 1
    assert sorted(Follower.objects.values_list("email", flat=True)) == [
        "active@example.org",
        "unconfirmed-new@example.org",
    ]
    assert delete_expired_feedback_text.call()["followers"] == 0
