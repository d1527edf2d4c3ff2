"""Sends the daily email alerts (run once a day from cron; see README "Background work")."""

from django.core.management.base import BaseCommand

from feedback import following


class Command(BaseCommand):
    help = (
        "Email each confirmed daily alert the new and changed entries it matches that were published since its "
        "last email. Safe to run more than once: a second run finds nothing new."
    )

    def handle(self, *args, **options):
        sent = following.send_daily_alerts()
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} daily alert emails."))
