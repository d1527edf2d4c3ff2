"""Reminding people to review their entries: 30 days before the review date, on the day, and each week while it
is overdue. The owner team and the council's editors are told; each person gets one email a run, listing all
their entries, in the language they chose for the admin, sent by the worker (which tries again while the mail
server is down). Run daily by `python manage.py send_review_reminders` (see README "Background work")."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from base.mail import language_of, try_again_later

from . import roles
from .models import DataUsePage, ReviewReminder
from .review_dates import SOON_DAYS, main_language

Stage = ReviewReminder.Stage
# The order stages are listed in an email: the most pressing first.
STAGES = [Stage.OVERDUE, Stage.DUE, Stage.DUE_SOON]


def stage_on(due, today):
    """The reminder a review date calls for on ``today``, or None: 30 days before, on the day, and every seventh
    day after it."""
    days = (due - today).days
    if days == SOON_DAYS:
        return Stage.DUE_SOON
    if days == 0:
        return Stage.DUE
    if days < 0 and days % 7 == 0:
        return Stage.OVERDUE
    return None


def reminders_for(today):
    """(entry id, review date, stage, council short name, owner team group id) of each live entry in the site's
    main language whose reminder falls on ``today`` and has not been sent."""
    soon = today + datetime.timedelta(days=SOON_DAYS)
    rows = (
        DataUsePage.objects.live()
        .filter(locale__language_code=main_language())
        .filter(Q(next_review_due=soon) | Q(next_review_due__lte=today))
        .values_list("pk", "next_review_due", "organisation__short_name", "owner_team__group_id")
        .order_by("next_review_due", "pk")
    )
    wanted = [(pk, due, stage_on(due, today), council, group) for pk, due, council, group in rows]
    wanted = [row for row in wanted if row[2] is not None]
    sent = set(
        ReviewReminder.objects.filter(sent_on=today, entry_id__in=[row[0] for row in wanted]).values_list(
            "entry_id", "due_on", "stage"
        )
    )
    return [row for row in wanted if row[:3] not in sent]


def recipients_of(reminders):
    """{user id: [(entry id, review date, stage), ...]}: each entry's owner team members and its council's editors
    (its "<council> editors" group), active and with an email address. Data protection officers are not told."""
    editors = {council: roles.EDITOR.name.format(council=council) for _pk, _due, _stage, council, _group in reminders}
    groups = {group for *_rest, group in reminders if group}
    memberships = get_user_model().groups.through.objects
    members = defaultdict(set)  # group id or editors' group name -> user ids
    for user_id, group_id, group_name in (
        memberships.filter(Q(group_id__in=groups) | Q(group__name__in=set(editors.values())))
        .filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", "group_id", "group__name")
    ):
        members[group_id].add(user_id)
        members[group_name].add(user_id)
    people = defaultdict(list)
    for pk, due, stage, council, group in reminders:
        for user_id in members[group] | members[editors[council]]:  # members[None] is empty: no team
            people[user_id].append((pk, due, stage))
    return people


def send_review_reminders(today=None):
    """Queue today's review reminders: one task per person, listing all their entries. Each reminder is recorded
    (ReviewReminder) with its tasks, in one transaction, so a second run on the same day sends nothing more and
    nothing is recorded that was not handed to the worker. Returns (people, entries)."""
    today = today or timezone.localdate()
    people = recipients_of(reminders_for(today))
    with transaction.atomic():
        claimed = set()
        for pk, due, stage in sorted({item for items in people.values() for item in items}):
            try:
                with transaction.atomic():  # a run at the same time got there first: it sends this one
                    ReviewReminder.objects.create(entry_id=pk, due_on=due, stage=stage, sent_on=today)
            except IntegrityError:
                continue
            claimed.add((pk, due, stage))
        told = 0
        for user_id, items in sorted(people.items()):
            mine = [[pk, due.isoformat(), str(stage)] for pk, due, stage in items if (pk, due, stage) in claimed]
            if mine:
                send_review_reminder.enqueue(user_id, today.isoformat(), mine)
                told += 1
    return told, len(claimed)


@task()
def send_review_reminder(user_id, day, reminders, attempt=1):
    """Email one person their entries to review (``reminders``: [entry id, review date, stage] as queued by
    send_review_reminders on ``day``). An entry reviewed or unpublished since is left out."""
    person = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .first()
    )
    if person is None:
        return 0
    entries = DataUsePage.objects.live().in_bulk([pk for pk, _due, _stage in reminders])
    listed = [
        (entries[pk], stage)
        for pk, due, stage in reminders
        if pk in entries and entries[pk].next_review_due == datetime.date.fromisoformat(due)
    ]
    if not listed:
        return 0
    with translation.override(language_of(person)):
        subject, body = reminder_email(listed, datetime.date.fromisoformat(day))
    try:
        return send_mail(subject, body, None, [person.email])
    except OSError as error:
        return try_again_later(send_review_reminder, error, attempt, user_id, day, reminders)


def edit_url(entry):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=[entry.pk])


def reminder_email(listed, today):
    """The subject and body of one person's reminder, in the active language. ``listed``: (entry, stage) pairs."""
    subject = ngettext("%(n)d register entry to review", "%(n)d register entries to review", len(listed)) % {
        "n": len(listed)
    }
    headings = {
        Stage.OVERDUE: _("Overdue"),
        Stage.DUE: _("Due today"),
        Stage.DUE_SOON: _("Due in 30 days"),
    }
    parts = [
        _(
            "These register entries need reviewing. Open each one, check it is still right, change what is "
            "out of date and set the next review date. The changes go live when your data protection officer "
            "signs them off."
        )
    ]
    for stage in STAGES:
        entries = sorted((entry for entry, at in listed if at == stage), key=lambda e: (e.reference, e.pk))
        if not entries:
            continue
        lines = [headings[stage]]
        for entry in entries:
            due = date_format(entry.next_review_due, "j F Y")
            late = (today - entry.next_review_due).days
            if stage == Stage.OVERDUE:
                when = ngettext(
                    "the review was due on %(due)s, %(n)d day ago",
                    "the review was due on %(due)s, %(n)d days ago",
                    late,
                ) % {"due": due, "n": late}
            else:
                when = _("the review is due on %(due)s") % {"due": due}
            label = f"{entry.reference} {entry.title}" if entry.reference else entry.title
            lines.append("- " + _("%(entry)s: %(when)s.") % {"entry": label, "when": when})
            lines.append("  " + _("Review it: %(url)s") % {"url": edit_url(entry)})
        parts.append("\n".join(lines))
    parts.append(
        _(
            "You get this email because you are in the team that owns these entries or are one of your council's "
            "editors. It is sent 30 days before a review is due, on the day, and each week while it is overdue."
        )
    )
    return subject, "\n\n".join(parts) + "\n"
