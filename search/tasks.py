"""Background work for search: forgetting old searches, run daily (see README "Background work")."""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

from .models import SearchWithoutResults


def forget_old_searches(today=None):
    """Delete search counts older than WAGTAILSEARCH_HITS_MAX_AGE days; promoted queries stay.
    Returns how many days of counts and how many searches that found nothing were deleted."""
    oldest = (today or timezone.localdate()) - datetime.timedelta(days=settings.WAGTAILSEARCH_HITS_MAX_AGE)
    empty, _ = SearchWithoutResults.objects.filter(date__lt=oldest).delete()
    hits, _ = QueryDailyHits.objects.filter(date__lt=oldest).delete()
    # Queries with no hits left and no promotions go too.
    Query.garbage_collect()
    return {"search_counts": hits, "searches_without_results": empty}


@task()
def delete_old_searches():
    return forget_old_searches()
