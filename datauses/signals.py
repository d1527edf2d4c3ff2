"""What the register does when an entry is published: keep its change note as a dated public record."""

from django.utils import timezone
from wagtail.signals import page_published

from .models import ChangeNote, DataUsePage


def keep_change_note(sender, instance, revision, **kwargs):
    """A published version whose change note differs from the last one kept adds a dated note."""
    note = (instance.change_note or "").strip()
    if not note:
        return
    last = ChangeNote.objects.filter(entry=instance).first()
    if last is not None and last.note.strip() == note:
        return
    ChangeNote.objects.create(
        entry=instance, revision=revision, note=note, published_at=instance.last_published_at or timezone.now()
    )


def connect():
    page_published.connect(keep_change_note, sender=DataUsePage, dispatch_uid="datauses_keep_change_note")
