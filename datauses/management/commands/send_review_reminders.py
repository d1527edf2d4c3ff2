"""Queues today's review reminders: 30 days before an entry's review date, on the day, and weekly while overdue."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from datauses.review_reminders import send_review_reminders


def day(text):
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Give the date as YYYY-MM-DD, like 2026-06-01, not {text!r}.") from None


class Command(BaseCommand):
    help = (
        "Remind owner teams and their council's editors about entries whose review is due in 30 days, due today, "
        "or overdue by a whole number of weeks: one email per person listing all their entries, sent by the worker. "
        "Running it again on the same day sends nothing more. Run it daily; --date runs a day that was missed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", type=str, default=None, help="The day to send the reminders for (YYYY-MM-DD); today if left out."
        )

    def handle(self, *args, date=None, **options):
        people, entries = send_review_reminders(today=day(date) if date else None)
        self.stdout.write(self.style.SUCCESS(f"Queued review reminders about {entries} entries for {people} people."))
