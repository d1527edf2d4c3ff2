"""Sends the daily or weekly feedback summaries to service owners who asked for them."""

from django.core.management.base import BaseCommand, CommandError

from feedback.models import NotificationPreference
from feedback.notifications import send_digests


class Command(BaseCommand):
    help = "Send feedback summaries. Run with --frequency daily every day and --frequency weekly every Monday."

    def add_arguments(self, parser):
        parser.add_argument(
            "--frequency",
            choices=[NotificationPreference.Frequency.DAILY, NotificationPreference.Frequency.WEEKLY],
            required=True,
        )

    def handle(self, *args, frequency, **options):
        try:
            sent = send_digests(frequency)
        except OSError as error:
            raise CommandError(
                f"The mail server failed ({error}). Owners who did not get their summary get it on the next run."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} {frequency} feedback summaries."))
