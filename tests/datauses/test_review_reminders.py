"""Review reminders (`python manage.py send_review_reminders`, daily): 30 days before the review date, on the day,
and each week while overdue, to the owner team and the council's editors, one email per person per run."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from base.mail import RETRY_DELAYS
from datauses.councils import add_council
from datauses.models import ReviewReminder, ServiceOwnerTeam
from datauses.review_reminders import send_review_reminder, send_review_reminders, stage_on
from tests.factories import DataUsePageFactory
from tests.feedback.conftest import MailServer

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
ADMIN = "http://testserver"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def days(n, start=TODAY):
    return start + datetime.timedelta(days=n)


def team(name):
    return ServiceOwnerTeam.objects.get(name=name, locale=Locale.get_default())


@pytest.fixture
def councils(home_page):
    bristol = add_council("bristol", "Bristol City Council", "Bristol", "BRS", languages=["cy"], teams=["Cameras team"])
    leeds = add_council("leeds", "Leeds City Council", "Leeds", "LDS", teams=["Sensors team"])
    return bristol, leeds


@pytest.fixture
def people(councils, django_user_model):
    def member(username, *groups, email=None, **fields):
        email = f"{username}@example.org" if email is None else email
        user = django_user_model.objects.create_user(username, email=email, password="x", **fields)
        user.groups.add(*Group.objects.filter(name__in=groups))
        return user

    return {
        "owner": member("owner", "Bristol: Cameras team"),
        "left": member("left", "Bristol: Cameras team", is_active=False),
        "no_address": member("no-address", "Bristol: Cameras team", email=""),
        "editor": member("editor", "Bristol editors"),
        "both": member("both", "Bristol: Cameras team", "Bristol editors"),
        "dpo": member("dpo", "Bristol data protection officers"),
        "translator": member("translator", "Bristol translators"),
        "leeds_editor": member("leeds-editor", "Leeds editors"),
        "leeds_owner": member("leeds-owner", "Leeds: Sensors team"),
    }


@pytest.fixture
def entries(councils):
    bristol, leeds = councils
    return {
        "cameras": DataUsePageFactory(
            parent=bristol.register, title="Cameras", owner_team=team("Cameras team"), next_review_due=days(30)
        ),
        "chatbot": DataUsePageFactory(parent=bristol.register, title="Chatbot", next_review_due=days(0)),
        "parking": DataUsePageFactory(
            parent=bristol.register, title="Parking", owner_team=team("Cameras team"), next_review_due=days(-14)
        ),
        "draft": DataUsePageFactory(parent=bristol.register, title="Draft", next_review_due=days(0), live=False),
        "fine": DataUsePageFactory(parent=bristol.register, title="Fine", next_review_due=days(29)),
        "late": DataUsePageFactory(parent=bristol.register, title="Late", next_review_due=days(-10)),
        "sensors": DataUsePageFactory(
            parent=leeds.register, title="Leeds sensors", owner_team=team("Sensors team"), next_review_due=days(30)
        ),
    }


def outbox_by_recipient():
    found = {}
    for message in mail.outbox:
        for address in message.to:
            found.setdefault(address, []).append(message)
    return found


def listed(message):
    """The entry titles an email lists."""
    return re.findall(r"^- [A-Z]{3}-\d{4} (.+?): ", message.body, flags=re.M)


# ---- who is told ------------------------------------------------------------------------------------------------


def test_the_owner_team_and_that_councils_editors_are_told_and_no_one_else(entries, people):
    assert send_review_reminders(today=TODAY) == (5, 4)  # five people, about four entries
    told = outbox_by_recipient()
    assert set(told) == {
        "owner@example.org",
        "editor@example.org",
        "both@example.org",
        "leeds-editor@example.org",
        "leeds-owner@example.org",
    }  # not the data protection officer, the translator, someone who left or someone with no address
    assert sorted(listed(told["owner@example.org"][0])) == ["Cameras", "Parking"]
    assert sorted(listed(told["editor@example.org"][0])) == ["Cameras", "Chatbot", "Parking"]
    assert sorted(listed(told["leeds-editor@example.org"][0])) == ["Leeds sensors"]
    assert not any("Leeds" in title for title in listed(told["editor@example.org"][0]))


def test_each_person_gets_one_email_listing_all_their_entries(entries, people):
    send_review_reminders(today=TODAY)
    told = outbox_by_recipient()
    assert all(len(messages) == 1 for messages in told.values())
    assert len(mail.outbox) == 5
    [both] = told["both@example.org"]  # in the team and an editor: told once, each entry once
    assert sorted(listed(both)) == ["Cameras", "Chatbot", "Parking"]
    [message] = told["editor@example.org"]
    assert message.subject == "3 register entries to review"
    body = message.body
    assert body.index("Overdue") < body.index("Due today") < body.index("Due in 30 days")
    assert "the review was due on 18 May 2026, 14 days ago" in body
    assert "the review is due on 1 July 2026" in body
    for name in ("cameras", "chatbot", "parking"):
        assert f"Review it: {ADMIN}/admin/pages/{entries[name].pk}/edit/\n" in body
    assert "Draft" not in body and "Fine" not in body and "Late" not in body  # Late is 10 days late


def test_running_twice_on_the_same_day_sends_nothing_more(entries, people):
    send_review_reminders(today=TODAY)
    sent = len(mail.outbox)
    recorded = ReviewReminder.objects.count()
    assert send_review_reminders(today=TODAY) == (0, 0)
    assert len(mail.outbox) == sent and ReviewReminder.objects.count() == recorded == 4


def test_each_reminder_is_recorded_with_its_stage(entries, people):
    send_review_reminders(today=TODAY)
    recorded = set(ReviewReminder.objects.values_list("entry__title", "due_on", "stage", "sent_on"))
    assert recorded == {
        ("Cameras", days(30), ReviewReminder.Stage.DUE_SOON, TODAY),
        ("Leeds sensors", days(30), ReviewReminder.Stage.DUE_SOON, TODAY),
        ("Chatbot", TODAY, ReviewReminder.Stage.DUE, TODAY),
        ("Parking", days(-14), ReviewReminder.Stage.OVERDUE, TODAY),
    }  # Late is 10 days late: not a weekly mark


def test_an_entry_nobody_can_be_told_about_is_not_recorded(councils, people):
    # Leeds' entry with no team, and nobody in Leeds' editors with an address.
    Group.objects.get(name="Leeds editors").user_set.clear()
    DataUsePageFactory(parent=councils[1].register, title="Orphan", next_review_due=TODAY)
    assert send_review_reminders(today=TODAY) == (0, 0)
    assert not ReviewReminder.objects.exists() and mail.outbox == []


# ---- when ---------------------------------------------------------------------------------------------------------

DUE = datetime.date(2026, 9, 15)


@pytest.mark.parametrize(
    ("offset", "stage"),
    [
        (-31, None),
        (-30, ReviewReminder.Stage.DUE_SOON),
        (-29, None),
        (-1, None),
        (0, ReviewReminder.Stage.DUE),
        (1, None),
        (6, None),
        (7, ReviewReminder.Stage.OVERDUE),
        (8, None),
        (13, None),
        (14, ReviewReminder.Stage.OVERDUE),
        (21, ReviewReminder.Stage.OVERDUE),
        (364, ReviewReminder.Stage.OVERDUE),
    ],
)
def test_each_stage_on_its_day_and_overdue_only_every_seventh_day(councils, people, offset, stage):
    entry = DataUsePageFactory(
        parent=councils[0].register, title="Cameras", owner_team=team("Cameras team"), next_review_due=DUE
    )
    assert stage_on(DUE, days(offset, DUE)) == stage
    send_review_reminders(today=days(offset, DUE))
    if stage is None:
        assert mail.outbox == [] and not ReviewReminder.objects.exists()
    else:
        assert {m.to[0] for m in mail.outbox} == {"owner@example.org", "editor@example.org", "both@example.org"}
        assert list(ReviewReminder.objects.values_list("entry", "stage", "sent_on")) == [
            (entry.pk, stage, days(offset, DUE))
        ]


def test_weekly_overdue_reminders_each_go_once(councils, people):
    DataUsePageFactory(parent=councils[0].register, owner_team=team("Cameras team"), next_review_due=DUE)
    sent = []
    for offset in range(-35, 30):
        send_review_reminders(today=days(offset, DUE))
        send_review_reminders(today=days(offset, DUE))  # a second run the same day
        sent += [offset for message in mail.outbox if message.to == ["owner@example.org"]]
        mail.outbox.clear()
    assert sent == [-30, 0, 7, 14, 21, 28]


def test_a_run_after_a_missed_day_does_not_send_the_missed_days_reminders(councils, people):
    DataUsePageFactory(parent=councils[0].register, owner_team=team("Cameras team"), next_review_due=DUE)
    DataUsePageFactory(parent=councils[0].register, owner_team=team("Cameras team"), next_review_due=days(1, DUE))
    send_review_reminders(today=days(1, DUE))  # the run on the review day was missed
    [message] = [m for m in mail.outbox if m.to == ["owner@example.org"]]
    assert message.subject == "1 register entry to review"


def test_a_review_date_moved_on_after_a_reminder_starts_again(councils, people):
    entry = DataUsePageFactory(parent=councils[0].register, owner_team=team("Cameras team"), next_review_due=DUE)
    send_review_reminders(today=DUE)
    entry.last_reviewed, entry.next_review_due = DUE, datetime.date(2027, 9, 15)
    entry.save_revision().publish()
    mail.outbox.clear()
    send_review_reminders(today=days(7, DUE))  # reviewed: nothing overdue any more
    assert mail.outbox == []


def test_a_welsh_copy_is_not_reminded_about_separately(entries, people):
    welsh = Locale.objects.get(language_code="cy")
    copy = entries["chatbot"].copy_for_translation(welsh, copy_parents=True)
    copy.save_revision().publish()
    send_review_reminders(today=TODAY)
    [message] = outbox_by_recipient()["editor@example.org"]
    assert listed(message).count("Chatbot") == 1
    assert not ReviewReminder.objects.filter(entry=copy).exists()


# ---- language -----------------------------------------------------------------------------------------------------


def test_the_email_is_in_the_language_the_person_chose_for_the_admin(entries, people):
    profile = UserProfile.get_for_user(people["editor"])
    profile.preferred_language = "cy"
    profile.save()
    send_review_reminders(today=TODAY)
    told = outbox_by_recipient()
    [welsh] = told["editor@example.org"]
    [english] = told["owner@example.org"]
    assert "Gorffenaf 2026" in welsh.body and "July" not in welsh.body  # dates in Welsh
    assert "1 July 2026" in english.body


# ---- the command --------------------------------------------------------------------------------------------------


def test_the_command_queues_the_days_reminders(entries, people):
    out = io.StringIO()
    call_command("send_review_reminders", "--date", TODAY.isoformat(), stdout=out)
    assert "Queued review reminders about 4 entries for 5 people." in out.getvalue()
    assert len(mail.outbox) == 5
    call_command("send_review_reminders", "--date", TODAY.isoformat(), stdout=io.StringIO())
    assert len(mail.outbox) == 5


@pytest.mark.parametrize("bad", ["tomorrow", "2026-13-01", "01/06/2026"])
def test_the_command_refuses_a_date_it_cannot_read_politely(bad):
    with pytest.raises(CommandError, match="Give the date as YYYY-MM-DD"):
        call_command("send_review_reminders", "--date", bad)


def test_the_command_uses_today_without_a_date(entries, people):
    out = io.StringIO()
    call_command("send_review_reminders", stdout=out)
    assert out.getvalue().startswith("Queued review reminders")


# ---- through the worker's queue -----------------------------------------------------------------------------------


def queued():
    return list(
        DBTaskResult.objects.filter(task_path="datauses.review_reminders.send_review_reminder").order_by(
            "enqueued_at", "pk"
        )
    )


@pytest.fixture
def mail_server():
    server = MailServer()
    with server.settings():
        yield server
    server.stop()


def run(task_result):
    """What the worker does with one queued reminder."""
    kwargs = task_result.args_kwargs
    return send_review_reminder.call(*kwargs["args"], **kwargs["kwargs"])


def test_the_run_only_queues_one_task_per_person_and_records_what_it_queued(entries, people, mail_server):
    with override_settings(TASKS=DATABASE_QUEUE):
        assert send_review_reminders(today=TODAY) == (5, 4)
    tasks = queued()
    assert len(tasks) == 5 and all(task.status == TaskResultStatus.READY for task in tasks)
    assert mail_server.inbox.messages == []  # nothing is sent by the run itself
    assert ReviewReminder.objects.count() == 4
    [editor] = [task for task in tasks if task.args_kwargs["args"][0] == people["editor"].pk]
    _user_id, day, reminders = editor.args_kwargs["args"]
    assert day == TODAY.isoformat()
    assert sorted(pk for pk, _due, _stage in reminders) == sorted(
        entries[name].pk for name in ("cameras", "chatbot", "parking")
    )


def test_a_mail_server_that_is_down_loses_no_reminder(entries, people, mail_server):
    with override_settings(TASKS=DATABASE_QUEUE):
        send_review_reminders(today=TODAY)
        [editor] = [task for task in queued() if task.args_kwargs["args"][0] == people["editor"].pk]
        assert run(editor) == 0  # the mail server is down: tried again later
        [retry] = [task for task in queued() if task.args_kwargs["kwargs"].get("attempt") == 2]
        assert retry.args_kwargs["args"] == editor.args_kwargs["args"]
        assert retry.run_after >= editor.enqueued_at + RETRY_DELAYS[0]
        assert send_review_reminders(today=TODAY) == (0, 0)  # recorded: a second run queues nothing more
    mail_server.start()
    assert run(retry) == 1
    [(recipients, message)] = mail_server.inbox.messages
    assert recipients == ["editor@example.org"]
    assert message["Subject"] == "3 register entries to review"


def test_an_entry_reviewed_before_the_worker_sends_is_left_out(entries, people):
    with override_settings(TASKS=DATABASE_QUEUE):
        send_review_reminders(today=TODAY)
    cameras = entries["cameras"]
    cameras.next_review_due = datetime.date(2027, 6, 1)
    cameras.save_revision().publish()
    [owner] = [task for task in queued() if task.args_kwargs["args"][0] == people["owner"].pk]
    assert run(owner) == 1
    [message] = mail.outbox
    assert listed(message) == ["Parking"]


def test_someone_who_left_before_the_worker_sends_gets_nothing(entries, people):
    with override_settings(TASKS=DATABASE_QUEUE):
        send_review_reminders(today=TODAY)
    people["owner"].is_active = False
    people["owner"].save()
    [owner] = [task for task in queued() if task.args_kwargs["args"][0] == people["owner"].pk]
    assert run(owner) == 0 and mail.outbox == []
