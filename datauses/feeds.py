"""Atom feeds of the register's changes: what the councils changed in their entries and why, for the whole
partnership and for each council, in the language of the address (the same notes as "Recently changed")."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from wagtail.models import Locale

from .changes import recent_notes
from .councils import council_for

# The newest items a feed holds: feed readers ask again often and keep what they have seen.
FEED_ITEMS = 50


class CouncilFeed(Feed):
    """An Atom feed for the partnership, or for one council (its slug in the address). Each item is given by
    item_link and told apart by ``anchor`` and its id (the same entry can change, or be answered, again)."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False
    anchor = "item"

    def get_object(self, request, slug=None):
        self.request = request
        return council_for(slug) if slug else None

    def item_guid(self, item):
        return f"{self.request.build_absolute_uri(self.item_link(item))}#{self.anchor}-{item.pk}"


class ChangesFeed(CouncilFeed):
    anchor = "change"

    def title(self, organisation):
        if organisation is None:
            return _("Recently changed in the data use register")
        return _("Recently changed: %(council)s") % {"council": organisation.name}

    def subtitle(self, organisation):
        return _("What the councils changed in their register entries, and why. The newest changes come first.")

    def link(self, organisation):
        if organisation is None:
            return reverse("recently_changed")
        return reverse("recently_changed_council", args=[organisation.slug])

    def items(self, organisation):
        return recent_notes(Locale.get_active(), organisation).select_related("entry__locale")[:FEED_ITEMS]

    def item_title(self, note):
        return note.entry.title

    def item_description(self, note):
        return note.note

    def item_link(self, note):
        return note.entry.get_url(self.request)

    def item_pubdate(self, note):
        return note.published_at

    def item_updateddate(self, note):
        return note.published_at

    def item_author_name(self, note):
        return note.entry.organisation.name
