"""The public history of an entry: one dated note for each published version that said what changed.

Written when a version with a new change note is published (datauses/signals.py), in the language of the page
published, so the entry's "Changes to this entry", the register's "Recently changed" and the open-data feeds all
read one table instead of digging notes out of old revisions."""

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
