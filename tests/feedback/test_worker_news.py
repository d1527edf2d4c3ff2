"""The worker's part in reviews and following, through the real database queue: kept apart from the other review
and following tests because each of these commits its own transactions (a transactional test empties the
database afterwards, so a module is either all transactional or not at all)."""

import pytest
from django.test import override_settings
from django.utils import timezone

from feedback.models import Follower, Review
from tests.factories import started_token
from tests.feedback.test_following import ask_to_follow, body, links
from tests.feedback.test_reviews import DAY, UNDER_REVIEW, say
from tests.feedback.test_worker import DATABASE_QUEUE, run_worker

pytestmark = pytest.mark.django_db(transaction=True)  # the worker opens and commits its own transactions


def test_the_tenth_uncomfortable_answer_through_the_form_opens_a_review_and_the_worker_tells_the_staff(
    client, smtp, staff, cameras
):
    say(cameras, "very_uncomfortable", 9, when=timezone.now() - 2 * DAY)
    with override_settings(TASKS=DATABASE_QUEUE):
        response = client.post(
            f"/feedback/{cameras.pk}/",
            {"started": started_token(cameras), "comfort": "very_uncomfortable"},
            REMOTE_ADDR="192.0.2.1",
        )
        assert response.status_code == 302
        assert not Review.objects.exists() and smtp.messages == []  # the request only queued the work

        run_worker()

    review = Review.objects.get()
    assert review.reason == Review.Reason.UNCOMFORTABLE_RUN and review.is_open
    assert review.detail.startswith("10 people said they were uncomfortable between")
    told = sorted(
        (recipients[0], message["Subject"])
        for recipients, message in smtp.messages
        if message["Subject"].startswith("Residents")
    )
    assert [address for address, _subject in told] == ["both@example.org", "comms@example.org", "owner@example.org"]
    assert UNDER_REVIEW in client.get(cameras.url).content.decode()


def test_the_worker_sends_the_confirm_email_and_then_news_of_a_change(client, cameras, mail_server):
    entry = cameras
    mail_server.start()
    with override_settings(TASKS=DATABASE_QUEUE):
        ask_to_follow(client, entry)
        assert mail_server.inbox.messages == []  # the request only queued it
        run_worker()
        [(_, message)] = mail_server.inbox.messages
        client.post(links(message)[0][0])
        assert Follower.objects.get().confirmed_at is not None

        entry.change_note = "We now delete recordings after 7 days, not 31."
        entry.save_revision().publish()
        run_worker()

    assert mail_server.inbox.subjects()[1] == "'Cameras' has changed"
    assert "What changed: We now delete recordings after 7 days, not 31." in body(mail_server.inbox.messages[1][1])
