"""Keeps, from Wagtail's revisions, the published versions of entries published before versions were kept."""

from django.core.management.base import BaseCommand

from datauses import history
from datauses.models import DataUsePage


class Command(BaseCommand):
    help = (
        "Keep every published version of every entry for the public versions pages and the download with "
        "history, rebuilding from Wagtail's revisions the ones published before this was kept. Run it once "
        "after upgrading; running it again changes nothing."
    )

    def handle(self, *args, **options):
        added = 0
        entries = DataUsePage.objects.filter(alias_of__isnull=True, first_published_at__isnull=False)
        for entry in entries.select_related("locale").iterator(chunk_size=200):
            added += history.record_missing(entry)
        self.stdout.write(self.style.SUCCESS(f"Kept {added} published versions that were not kept before."))
