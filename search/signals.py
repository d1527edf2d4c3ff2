"""What search remembers between requests and must forget when editors change it."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.contrib.search_promotions.models import SearchPromotion

from base import page_cache


def purge_after_commit(**kwargs):
    # The words editors promote pages for are remembered (query_log.promoted_pages): forget them once saved.
    transaction.on_commit(page_cache.purge)


def connect():
    post_save.connect(purge_after_commit, sender=SearchPromotion, dispatch_uid="search_purge_promotion")
    post_delete.connect(purge_after_commit, sender=SearchPromotion, dispatch_uid="search_purge_promotion_deleted")
