"""Sends the daily or weekly feedback summaries to service owners who asked for them."""

from django.core.management.base import BaseCommand

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
        sent = send_digests(frequency)
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} {frequency} feedback summaries."))
