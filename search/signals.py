"""What search remembers between requests and must forget when editors change it."""

from wagtail.contrib.search_promotions.models import SearchPromotion

from base import page_cache


def connect():
    # The words editors promote pages for are remembered (query_log.promoted_pages): forget them once saved.
    page_cache.purge_when_changed(SearchPromotion, uid="search")
