"""Every page shows its council's brand: a change to it forgets the kept pages (base/page_cache.py)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from base import page_cache

from .models import BrandingSettings


@receiver(post_save, sender=BrandingSettings)
@receiver(post_delete, sender=BrandingSettings)
def branding_changed(sender, **kwargs):
    transaction.on_commit(page_cache.purge)
