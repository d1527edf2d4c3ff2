"""Forget every page the page cache keeps (base/page_cache.py) and everything each process remembers
(base/memo.py), for after a change made outside the admin."""

from django.core.management.base import BaseCommand

from base import page_cache


class Command(BaseCommand):
    help = "Forget every kept public page and what each process remembers, so the next visit is built afresh."

    def handle(self, *args, **options):
        if not page_cache.generation_kept():
            self.stdout.write(
                "The page cache and the memo are off (PAGE_CACHE_SECONDS=0, SITE_MEMO=false): nothing to forget."
            )
            return
        page_cache.purge()
        self.stdout.write("Every kept page is forgotten, and every process works its pages out afresh.")
