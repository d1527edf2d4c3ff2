"""Owners hear about new feedback by email, sent by a background task to a real SMTP server on loopback.
Tasks run at once here (test settings); tests/feedback/test_worker.py runs them through the real queue and worker."""

import datetime

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.test.utils.form_data import querydict_from_html

from feedback.models import FeedbackSubmission, NotificationPreference
from tests.factories import started_token
from tests.feedback.conftest import free_port, give_feedback

pytestmark = pytest.mark.django_db


def post_feedback(client, entry, comfort="fairly_uncomfortable", comment="Hello", ip="192.0.2.1", seconds_ago=30):
    started = started_token(entry, seconds_ago)
    return client.post(
        f"/feedback/{entry.pk}/", {"started": started, "comfort": comfort, "comment": comment}, REMOTE_ADDR=ip
    )


def test_owner_who_wants_each_response_gets_an_email_with_a_link_into_the_inbox(client, world, owner, smtp):
    entry = world["entries"]["cameras"]
    assert post_feedback(client, entry).status_code == 302
    assert smtp.subjects() == ["New feedback on 'Cameras'"]
    recipients, message = smtp.messages[0]
    assert recipients == ["owner@example.org"]
    assert f"/admin/feedback/inbox/?entry={entry.pk}" in message.get_payload(decode=True).decode()
    assert FeedbackSubmission.objects.get(comment="Hello").owners_notified_at is not None


def test_feedback_on_entries_the_owner_does_not_own_sends_them_nothing(client, world, owner, smtp):
    post_feedback(client, world["entries"]["sensors"])
    assert smtp.messages == []


def test_owner_on_a_daily_summary_gets_no_immediate_email_but_one_summary(client, world, owner, smtp):
    NotificationPreference.objects.create(
        user=owner, frequency="daily", last_digest_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    entry = world["entries"]["cameras"]
    post_feedback(client, entry, comfort="not_sure", comment="One")
    post_feedback(client, entry, comfort="very_comfortable", comment="Two", ip="192.0.2.2")
    assert smtp.messages == []
    call_command("send_feedback_digests", "--frequency", "daily", verbosity=0)
    assert smtp.subjects() == ["Feedback on your register entries"]
    body = smtp.messages[0][1].get_payload(decode=True).decode()
    assert "Cameras: 3 new responses" in body  # the fixture's one and these two
    # Running it again straight away sends nothing new.
    call_command("send_feedback_digests", "--frequency", "daily", verbosity=0)
    assert len(smtp.messages) == 1


def test_weekly_summary_covers_the_week(world, owner, smtp):
    NotificationPreference.objects.create(user=owner, frequency="weekly")
    entry = world["entries"]["cameras"]
    old = give_feedback(entry, comment="Eight days ago")
    FeedbackSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    give_feedback(entry, comment="Yesterday", n=3)
    call_command("send_feedback_digests", "--frequency", "weekly", verbosity=0)
    body = smtp.messages[0][1].get_payload(decode=True).decode()
    assert "Cameras: 4 new responses" in body  # the fixture's one plus three, not the old one


def test_a_summary_the_mail_server_did_not_take_comes_with_the_next_one(world, owner, smtp):
    a_day_ago = timezone.now() - datetime.timedelta(days=1)
    preference = NotificationPreference.objects.create(user=owner, frequency="daily", last_digest_at=a_day_ago)
    with override_settings(EMAIL_PORT=free_port()), pytest.raises(CommandError, match="mail server failed"):
        call_command("send_feedback_digests", "--frequency", "daily", verbosity=0)
    preference.refresh_from_db()
    assert preference.last_digest_at == a_day_ago  # still owed
    call_command("send_feedback_digests", "--frequency", "daily", verbosity=0)
    assert smtp.subjects() == ["Feedback on your register entries"]
    assert "Cameras: 1 new responses" in smtp.messages[0][1].get_payload(decode=True).decode()


def test_a_sudden_run_of_uncomfortable_answers_is_sent_at_once_even_to_people_who_opted_out(client, world, owner, smtp):
    cache.clear()
    NotificationPreference.objects.create(user=owner, frequency="never")
    entry = world["entries"]["cameras"]
    for n in range(7):
        post_feedback(client, entry, comfort="very_uncomfortable", comment=f"No {n}", ip=f"192.0.2.{n + 10}")
    assert smtp.subjects() == ["Several people are uncomfortable with 'Cameras'"]


def test_a_mail_server_that_is_down_never_loses_the_feedback(client, world, owner):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=free_port()
    ):
        response = post_feedback(client, world["entries"]["cameras"], comment="Still saved")
    assert response.status_code == 302
    assert FeedbackSubmission.objects.filter(comment="Still saved").exists()
    # Not sent, and known not to be: the real worker tries again (tests/feedback/test_worker.py).
    assert FeedbackSubmission.objects.get(comment="Still saved").owners_notified_at is None


@override_settings(FEEDBACK_MIN_SECONDS_TO_FILL=3)
def test_a_form_sent_sooner_than_the_minimum_after_it_was_shown_is_refused(client, world):
    entry = world["entries"]["cameras"]
    response = post_feedback(client, entry, comment="Too quick", seconds_ago=1)
    assert response.status_code == 400
    assert "You sent the form very quickly" in response.content.decode()
    assert not FeedbackSubmission.objects.filter(comment="Too quick").exists()
    response = post_feedback(client, entry, comment="Took my time", seconds_ago=4)
    assert response.status_code == 302
    assert FeedbackSubmission.objects.filter(comment="Took my time").exists()


def test_owner_chooses_how_often_in_account_settings(client, world, owner):
    client.force_login(owner)
    response = client.get("/admin/account/")
    assert "Feedback emails" in response.content.decode()
    data = querydict_from_html(response.content.decode(), form_id=None)
    data["feedback_emails-frequency"] = "weekly"
    data["name_email-first_name"], data["name_email-last_name"] = "Olu", "Owner"
    response = client.post("/admin/account/", data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=owner).frequency == "weekly"
