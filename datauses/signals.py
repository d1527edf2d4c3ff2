"""What the register does when an entry is published: keep its change note as a dated public record, and
forget the kept copies of the pages that show it (our page cache, and a CDN's through Wagtail's frontend cache)."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from base import page_cache

from . import history
from .models import (
    ChangeNote,
    DataCategory,
    DataUsePage,
    GlossaryTerm,
    Organisation,
    RegisterPage,
    ServiceArea,
    ServiceOwnerTeam,
    SharingPartner,
)

# Rows every public page may show (a council's name and brand, the taxonomy, the glossary, redirects, files),
# and who may see a page (a view restriction): a change to any of them forgets every kept page.
SHOWN_EVERYWHERE = (
    Organisation,
    ServiceArea,
    DataCategory,
    SharingPartner,
    ServiceOwnerTeam,
    GlossaryTerm,
    ChangeNote,
    Site,
    Locale,
    Redirect,
    PageViewRestriction,
)


def keep_change_note(sender, instance, revision, **kwargs):
    """A published version is kept (datauses/history.py); one whose change note differs from the last one kept
    also adds a dated note."""
    _keep_note(instance, revision)
    if not instance.alias_of_id:  # an untranslated copy shows its original's versions
        history.record(instance, revision)


def _keep_note(instance, revision):
    note = (instance.change_note or "").strip()
    if not note:
        return
    last = ChangeNote.objects.filter(entry=instance).first()
    if last is not None and last.note.strip() == note:
        return
    ChangeNote.objects.create(
        entry=instance, revision=revision, note=note, published_at=instance.last_published_at or timezone.now()
    )


def purge_page(sender, instance, **kwargs):
    """A page went live, changed, moved or went away: forget kept pages, and tell a CDN which addresses."""
    transaction.on_commit(page_cache.purge)
    if getattr(settings, "WAGTAILFRONTENDCACHE", None) and isinstance(instance, DataUsePage | RegisterPage):
        transaction.on_commit(lambda: purge_listings(instance))


def purge_deleted_page(sender, instance, **kwargs):
    if isinstance(instance, Page):
        transaction.on_commit(page_cache.purge)


def listing_pages(page):
    """The pages that list an entry or register, in every language: its register, home and the combined views.

    Wagtail's frontend cache purges the page itself (and its translations' addresses) on publish."""
    pages = list(Page.objects.live().filter(depth__lte=2).exclude(depth=1))  # each language's home page
    for ancestor in page.get_ancestors().filter(depth__gt=2).specific():
        if isinstance(ancestor, RegisterPage):
            pages.extend(ancestor.get_translations(inclusive=True).live())
    pages.extend(RegisterPage.objects.live().filter(organisation__isnull=True))
    return pages


def listing_addresses(page):
    """The register's own views that list entries: "Recently changed", for the partnership and the council."""
    site = page.get_site()
    if site is None:
        return []
    organisation = getattr(page.specific_deferred, "organisation", None)
    addresses = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            addresses.append(site.root_url + reverse("recently_changed"))
            if organisation is not None:
                addresses.append(site.root_url + reverse("recently_changed_council", args=[organisation.slug]))
    return addresses


def purge_listings(page):
    batch = PurgeBatch()
    batch.add_page(page)
    batch.add_pages(listing_pages(page))
    batch.add_urls(listing_addresses(page))
    batch.purge()


def connect():
    page_published.connect(keep_change_note, sender=DataUsePage, dispatch_uid="datauses_keep_change_note")
    page_published.connect(purge_page, dispatch_uid="datauses_purge_published")
    page_unpublished.connect(purge_page, dispatch_uid="datauses_purge_unpublished")
    post_page_move.connect(purge_page, dispatch_uid="datauses_purge_moved")
    post_delete.connect(purge_deleted_page, dispatch_uid="datauses_purge_deleted")
    page_cache.purge_when_changed(*SHOWN_EVERYWHERE, get_image_model(), get_document_model(), uid="datauses")
