"""The public history of an entry: one dated note for each published version that said what changed.

Written when a version with a new change note is published (datauses/signals.py), in the language of the page
published, so the entry's "Changes to this entry", the register's "Recently changed" and the open-data feeds all
read one table instead of digging notes out of old revisions."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeNoteQuerySet(models.QuerySet):
    def public(self):
        """Notes on entries that are published and public now."""
        return self.filter(entry__live=True, entry__view_restrictions__isnull=True)


class ChangeNote(models.Model):
    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="change_notes")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField()
    published_at = models.DateTimeField(db_index=True)

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("change note")

    def __str__(self):
        return self.note


class PublishedVersionQuerySet(models.QuerySet):
    def public(self):
        """Versions of entries that are published and public now."""
        return self.filter(entry__live=True, entry__view_restrictions__isnull=True)


class PublishedVersion(models.Model):
    """One version of an entry as it was published: what the public saw, kept as the open data columns and
    lists (datauses/history.py) so that old versions can be compared and downloaded without rebuilding
    them from Wagtail's revisions. Written whenever the entry is published (datauses/signals.py)."""

    entry = models.ForeignKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="published_versions")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.PositiveIntegerField(help_text=_("1 for the first version published, then 2, 3..."))
    published_at = models.DateTimeField()
    change_note = models.TextField(blank=True, help_text=_("The change note published with this version, if new."))
    content = models.JSONField(encoder=DjangoJSONEncoder)

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "number"]
        verbose_name = _("published version")
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="one_version_number_per_entry")]

    def __str__(self):
        return f"{self.entry_id} v{self.number}"
