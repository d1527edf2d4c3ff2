"""Every page shows its council's brand: a change to it forgets the kept pages (base/page_cache.py)."""

from base import page_cache

from .models import BrandingSettings

page_cache.purge_when_changed(BrandingSettings, uid="home")
