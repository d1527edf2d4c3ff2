"""Owners reply privately, by email, to one person who left an address: the reply is kept with the feedback and
sent by the worker; only the entry's owners may write one; the address still goes with the comment."""

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from feedback.models import FeedbackSubmission, PrivateReply, ReplyContact
from feedback.retention import delete_expired_text, months_ago
from tests.factories import ServiceOwnerTeamFactory
from tests.feedback.conftest import admin_group, give_feedback
from tests.feedback.test_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits its own transactions


@pytest.fixture
def asked(world):
    submission = give_feedback(world["entries"]["cameras"], comment="Why keep the photos a month?")
    ReplyContact.objects.create(submission=submission, email="resident@example.com")
    return submission


def reply_url(submission):
    return f"/admin/feedback/inbox/{submission.pk}/reply/"


def test_owner_replies_from_the_inbox_and_the_worker_emails_only_that_person(client, world, owner, asked, smtp):
    client.force_login(owner)
    item = client.get(f"/admin/feedback/inbox/edit/{asked.pk}/").content.decode()
    assert "Reply privately by email" in item and reply_url(asked) in item

    with override_settings(TASKS=DATABASE_QUEUE):
        response = client.post(reply_url(asked), {"body": "We keep them a month because of appeals. Sorry."})
        assert response.status_code == 302
        assert smtp.messages == []  # the request only queued it
        reply = PrivateReply.objects.get()
        assert reply.author == owner and reply.sent_at is None
        assert "not sent yet" in client.get(f"/admin/feedback/inbox/edit/{asked.pk}/").content.decode()
        run_worker()

    [(recipients, message)] = smtp.messages
    assert recipients == ["resident@example.com"]
    assert "A reply from" in message["Subject"] and "Cameras" in message["Subject"]
    assert "We keep them a month because of appeals." in message.get_payload(decode=True).decode()
    reply.refresh_from_db()
    assert reply.sent_at is not None
    item = client.get(f"/admin/feedback/inbox/edit/{asked.pk}/").content.decode()
    assert "We keep them a month because of appeals." in item and "sent " in item


def test_an_empty_reply_is_refused_politely(client, owner, asked):
    client.force_login(owner)
    response = client.post(reply_url(asked), {"body": "  "})
    assert response.status_code == 400
    assert "Write your reply before sending it." in response.content.decode()
    assert not PrivateReply.objects.exists()


def refused(response):
    """Wagtail's answer to a refused admin page: back to the dashboard, with its 'no permission' message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.parametrize("who", ["comms", "admin"])
def test_staff_who_cannot_see_the_address_may_not_reply(client, world, asked, who):
    """The comms officer and the superuser see the feedback but not the address, so they cannot write to it."""
    client.force_login(world["users"][who])
    assert refused(client.get(reply_url(asked)))
    assert refused(client.post(reply_url(asked), {"body": "Hello"}))
    assert "Reply privately by email" not in client.get(f"/admin/feedback/inbox/edit/{asked.pk}/").content.decode()
    assert not PrivateReply.objects.exists()


def test_staff_who_cannot_see_the_feedback_are_told_it_is_not_there(client, world, asked):
    client.force_login(world["users"]["nobody"])
    assert client.post(reply_url(asked), {"body": "Hello"}).status_code == 404
    assert not PrivateReply.objects.exists()


def test_another_councils_owner_cannot_reply_to_bristols_residents(client, world, asked, django_user_model):
    group = admin_group("Leeds sensors owners")
    sensors = world["entries"]["sensors"]
    ServiceOwnerTeamFactory(organisation=sensors.organisation, name="Sensors", group=group, locale=sensors.locale)
    leeds_owner = django_user_model.objects.create_user("leeds-owner", password="x")
    leeds_owner.groups.add(group)
    client.force_login(leeds_owner)
    assert client.post(reply_url(asked), {"body": "Hello"}).status_code == 404
    assert not PrivateReply.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client, asked):
    response = client.post(reply_url(asked), {"body": "Hello"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not PrivateReply.objects.exists()


def test_no_reply_button_when_the_person_left_no_address(client, world, owner):
    silent = give_feedback(world["entries"]["cameras"], comment="No address")
    client.force_login(owner)
    assert "Reply privately by email" not in client.get(f"/admin/feedback/inbox/edit/{silent.pk}/").content.decode()
    assert refused(client.get(reply_url(silent)))


def test_a_reply_waiting_when_the_mail_server_is_down_is_kept_and_sent_later(client, owner, asked, mail_server):
    client.force_login(owner)
    with override_settings(TASKS=DATABASE_QUEUE):
        client.post(reply_url(asked), {"body": "Sent when the server is back."})
        run_worker()  # the server is down: the task is queued again for later
        reply = PrivateReply.objects.get()
        assert reply.sent_at is None
        mail_server.start()
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # the pause is over
        run_worker()
    reply.refresh_from_db()
    assert reply.sent_at is not None
    assert [m[0] for m in mail_server.inbox.messages] == [["resident@example.com"]]


def test_the_address_is_still_deleted_with_the_comment_and_the_reply_is_kept(client, owner, asked):
    client.force_login(owner)
    client.post(reply_url(asked), {"body": "Thanks for asking."})  # sent at once by the test settings' worker
    FeedbackSubmission.objects.filter(pk=asked.pk).update(created_at=months_ago(13))
    delete_expired_text()
    assert not ReplyContact.objects.exists()
    assert PrivateReply.objects.get().body == "Thanks for asking."
    # A reply written after the address went is kept, and marked as never to be sent.
    asked.refresh_from_db()
    assert refused(client.get(reply_url(asked)))
