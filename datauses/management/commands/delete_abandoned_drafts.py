"""Deletes new entries that were started, left blank and not touched for a week."""

from django.core.management.base import BaseCommand

from datauses.drafts import delete_abandoned_drafts


class Command(BaseCommand):
    help = (
        "Delete draft entries that were never published or sent for sign-off, still have no summary or no "
        "'what the service does', and have not been changed for 7 days: forms someone started and left. Each "
        "deletion is in the audit log. Safe to run more than once; run it daily."
    )

    def handle(self, *args, **options):
        count = delete_abandoned_drafts()
        self.stdout.write(self.style.SUCCESS(f"Deleted {count} abandoned draft entries."))
