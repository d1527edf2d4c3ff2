"""Forget searches older than WAGTAILSEARCH_HITS_MAX_AGE days (90 by default). Safe to run daily from cron."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from search.models import SearchWithoutResults


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        days = settings.WAGTAILSEARCH_HITS_MAX_AGE
        oldest = timezone.localdate() - datetime.timedelta(days=days)
        empty, _ = SearchWithoutResults.objects.filter(date__lt=oldest).delete()
        hits, _ = QueryDailyHits.objects.filter(date__lt=oldest).delete()
        # Queries with no hits left and no promotions go too; promoted queries stay.
        Query.garbage_collect()
        self.stdout.write(f"Deleted {hits} days of search counts and {empty} of searches that found nothing.")
