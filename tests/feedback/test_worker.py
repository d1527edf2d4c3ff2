"""The real background path: the feedback form only queues the owners' email in the database, and the worker
(`manage.py db_worker`) sends it to a mail server on loopback, trying again later while that server is down."""

import io
import logging
import re
import shlex
import signal
import socket
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from feedback.models import FeedbackSubmission, OwnerAnswer, ReplyContact
from feedback.tasks import RETRY_DELAYS, delete_expired_feedback_text, notify_owners, send_feedback_digests
from search.tasks import delete_old_searches
from tests.factories import started_token
from tests.feedback.conftest import give_feedback

pytestmark = pytest.mark.django_db(transaction=True)  # the worker opens and commits its own transactions

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(world, owner):
    """Tasks go to the database queue from here on (the world's pages were made with tasks run at once)."""
    with override_settings(TASKS=DATABASE_QUEUE):
        yield


def run_worker():
    """The worker as deployed, in batch mode: it runs every task that is due, then exits."""
    signals = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    levels = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())
    finally:  # the worker installs its own signal handlers and log levels; give pytest its own back
        for sig, handler in signals.items():
            signal.signal(sig, handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def queued(task_name):
    return list(DBTaskResult.objects.filter(task_path=f"feedback.tasks.{task_name}").order_by("enqueued_at"))


def post_feedback(client, entry, comment):
    started = started_token(entry)
    return client.post(
        f"/feedback/{entry.pk}/",
        {"started": started, "comfort": "not_sure", "comment": comment},
        REMOTE_ADDR="192.0.2.1",
    )


def as_if_the_pause_were_over(task_result):
    DBTaskResult.objects.filter(pk=task_result.pk).update(run_after=timezone.now())


# ---- the feedback form and the owners' email -----------------------------------------------------


def test_the_form_only_queues_the_email_and_thanks_the_person_while_the_mail_server_is_down(
    client, world, queue, mail_server
):
    entry = world["entries"]["cameras"]
    response = post_feedback(client, entry, comment="Sent while the mail server is down")
    assert response.status_code == 302
    assert response.url == f"/feedback/{entry.pk}/thanks/"
    assert client.get(response.url).status_code == 200

    submission = FeedbackSubmission.objects.get(comment="Sent while the mail server is down")
    [task] = queued("notify_owners")
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs == {"args": [submission.pk], "kwargs": {}}
    assert submission.owners_notified_at is None  # not sent yet, and known to be
    assert mail_server.inbox.messages == []


def test_the_worker_delivers_the_queued_email_to_the_mail_server(client, world, queue, mail_server):
    mail_server.start()
    entry = world["entries"]["cameras"]
    post_feedback(client, entry, comment="Please tell the owner")
    assert mail_server.inbox.messages == []  # the request itself sends nothing

    run_worker()

    assert mail_server.inbox.subjects() == ["New feedback on 'Cameras'"]
    recipients, message = mail_server.inbox.messages[0]
    assert recipients == ["owner@example.org"]
    assert f"/admin/feedback/inbox/?entry={entry.pk}" in message.get_payload(decode=True).decode()
    [task] = queued("notify_owners")
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert FeedbackSubmission.objects.get(comment="Please tell the owner").owners_notified_at is not None


def test_a_failed_send_is_tried_again_later_and_then_delivered(client, world, queue, mail_server):
    post_feedback(client, world["entries"]["cameras"], comment="Worth the wait")
    submission = FeedbackSubmission.objects.get(comment="Worth the wait")

    run_worker()  # the mail server is down: connection refused

    first, retry = queued("notify_owners")
    assert first.status == TaskResultStatus.SUCCESSFUL  # this try is over; the next one is queued
    assert retry.status == TaskResultStatus.READY
    assert retry.args_kwargs == {"args": [submission.pk], "kwargs": {"attempt": 2, "spike": False}}
    assert retry.run_after >= first.started_at + RETRY_DELAYS[0]
    submission.refresh_from_db()
    assert submission.owners_notified_at is None

    run_worker()  # too early: the retry waits for its time
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.READY

    mail_server.start()
    as_if_the_pause_were_over(retry)
    run_worker()

    assert mail_server.inbox.subjects() == ["New feedback on 'Cameras'"]
    assert mail_server.inbox.messages[0][0] == ["owner@example.org"]
    assert DBTaskResult.objects.get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).exists()
    submission.refresh_from_db()
    assert submission.owners_notified_at is not None


@pytest.fixture
def hung_relay():
    """A mail server that takes the connection and then never says a word (no SMTP greeting)."""
    relay = socket.socket()
    relay.bind(("127.0.0.1", 0))
    relay.listen(8)  # connections complete in the kernel's backlog; nothing ever answers them
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=relay.getsockname()[1],
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=1,
    ):
        yield
    relay.close()


def test_a_relay_that_never_answers_holds_up_neither_the_person_nor_the_worker(client, world, queue, hung_relay):
    started = time.monotonic()
    response = post_feedback(client, world["entries"]["cameras"], comment="Sent while the relay hangs")
    assert response.status_code == 302
    assert time.monotonic() - started < 2  # the request only queued the email

    started = time.monotonic()
    run_worker()
    assert time.monotonic() - started < 10  # EMAIL_TIMEOUT ends the try; it is not stuck on the relay

    first, retry = queued("notify_owners")
    assert first.status == TaskResultStatus.SUCCESSFUL and retry.status == TaskResultStatus.READY
    assert FeedbackSubmission.objects.get(comment="Sent while the relay hangs").owners_notified_at is None


def test_after_the_last_try_the_task_fails_and_the_feedback_is_still_known_as_unsent(world, queue, mail_server):
    submission = world["feedback"]["cameras"]
    notify_owners.enqueue(submission.pk, attempt=len(RETRY_DELAYS) + 1)

    run_worker()

    [task] = queued("notify_owners")
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "builtins.ConnectionRefusedError"
    assert FeedbackSubmission.objects.filter(pk=submission.pk, owners_notified_at=None).exists()


def test_feedback_is_kept_and_the_person_thanked_when_the_queue_cannot_be_written(
    client, world, queue, monkeypatch, caplog
):
    create = DBTaskResult.objects.create

    def database_hiccup_for_the_email(**fields):
        # Saving the feedback queues Wagtail's reference index update too; only the email's row fails.
        if fields["task_path"] == "feedback.tasks.notify_owners":
            raise OperationalError("database is locked")
        return create(**fields)

    monkeypatch.setattr(DBTaskResult.objects, "create", database_hiccup_for_the_email)
    entry = world["entries"]["cameras"]
    with caplog.at_level(logging.ERROR, logger="feedback.views"):
        response = post_feedback(client, entry, comment="Saved all the same")
    assert response.status_code == 302
    assert response.url == f"/feedback/{entry.pk}/thanks/"
    assert FeedbackSubmission.objects.get(comment="Saved all the same").owners_notified_at is None
    assert "Could not queue the owners' email" in caplog.text
    assert queued("notify_owners") == []


# ---- public answers and the people who asked for a reply ------------------------------------------


def publish_answer(entry, *addresses):
    """An answer to a theme, published the way the admin does it; everyone who left an address is told."""
    for address in addresses:
        ReplyContact.objects.create(submission=give_feedback(entry, comment="Why keep them so long?"), email=address)
    answer = OwnerAnswer.objects.create(entry=entry, you_said="Too long.", we_did="One day now.", live=False)
    answer.save_revision().publish()
    return answer


def test_publishing_an_answer_queues_the_replies_and_the_worker_sends_them(world, queue, mail_server):
    mail_server.start()
    publish_answer(world["entries"]["cameras"], "resident@example.com")
    [task] = queued("tell_repliers")
    assert task.status == TaskResultStatus.READY
    assert mail_server.inbox.messages == []

    run_worker()

    assert mail_server.inbox.subjects() == ["The council has answered feedback on 'Cameras'"]
    assert mail_server.inbox.messages[0][0] == ["resident@example.com"]


def test_a_reply_that_fails_part_way_is_tried_again_without_emailing_anyone_twice(world, queue, mail_server):
    mail_server.inbox.refuse = {"b@example.org"}
    mail_server.start()
    publish_answer(world["entries"]["cameras"], "a@example.org", "b@example.org")

    run_worker()

    assert [recipients for recipients, _ in mail_server.inbox.messages] == [["a@example.org"]]
    _, retry = queued("tell_repliers")
    assert retry.args_kwargs["kwargs"]["already_told"] == ["a@example.org"]

    mail_server.inbox.refuse = set()
    as_if_the_pause_were_over(retry)
    run_worker()

    assert [recipients for recipients, _ in mail_server.inbox.messages] == [["a@example.org"], ["b@example.org"]]


# ---- the daily and weekly jobs -------------------------------------------------------------------


def documented_schedule():
    """The cron lines in README "Background work", as (cron fields, command name, arguments)."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    section = readme.split("## Background work", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```crontab\n(.*?)```", section, re.DOTALL).group(1)
    jobs = []
    for line in block.splitlines():
        if line.strip() and not line.startswith("#"):
            *fields, command = line.split(None, 5)
            python, manage, name, *arguments = shlex.split(command)
            assert (python, manage) == ("python", "manage.py")
            jobs.append((fields, name, arguments))
    return jobs


def test_the_schedule_lists_digests_retention_and_search_log_clean_up_and_every_line_runs():
    jobs = documented_schedule()
    by_command = {(name, *arguments): fields for fields, name, arguments in jobs}
    assert by_command["send_feedback_digests", "--frequency", "daily"] == ["0", "7", "*", "*", "*"]
    assert by_command["send_feedback_digests", "--frequency", "weekly"] == ["0", "7", "*", "*", "1"]  # Mondays
    assert by_command[("delete_expired_feedback",)][2:] == ["*", "*", "*"]  # every day
    assert by_command[("delete_old_searches",)][2:] == ["*", "*", "*"]
    with override_settings(TASKS=DATABASE_QUEUE):
        for fields, name, arguments in jobs:
            assert all(re.fullmatch(r"[0-9*,/-]+", field) for field in fields), fields
            call_command(name, *arguments, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_periodic_jobs_also_run_as_tasks_in_the_worker():
    with override_settings(TASKS=DATABASE_QUEUE):
        results = [
            send_feedback_digests.enqueue("daily"),
            send_feedback_digests.enqueue("weekly"),
            delete_expired_feedback_text.enqueue(),
            delete_old_searches.enqueue(),
        ]
        run_worker()
        for result in results:
            result.refresh()
            assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
