"""Forget every page the page cache keeps (base/page_cache.py), for after a change made outside the admin."""

from django.core.management.base import BaseCommand

from base import page_cache


class Command(BaseCommand):
    help = "Forget every kept public page, so the next visit to each is built afresh."

    def handle(self, *args, **options):
        if not page_cache.seconds():
            self.stdout.write("The page cache is off (PAGE_CACHE_SECONDS is 0): nothing to forget.")
            return
        page_cache.purge()
        self.stdout.write("Every kept page is forgotten.")
