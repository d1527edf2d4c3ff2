"""Forget searches older than WAGTAILSEARCH_HITS_MAX_AGE days (90 by default). Safe to run daily from cron."""

from django.core.management.base import BaseCommand

from search.tasks import forget_old_searches


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        deleted = forget_old_searches()
        self.stdout.write(
            "Deleted {search_counts} days of search counts and {searches_without_results} of searches "
            "that found nothing.".format(**deleted)
        )
