"""Publishing a public answer goes through Wagtail's own snippet views, and publishing an entry through its page
views, so we listen for both there."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, published

from base import page_cache
from datauses.models import DataUsePage

from . import following, reviews, tallies
from .models import OwnerAnswer, Review
from .tasks import send_alerts, tell_followers, tell_repliers


@receiver(published, sender=OwnerAnswer)
def answer_published(sender, instance, **kwargs):
    # Only the first publication tells people; later corrections do not email them again.
    if instance.first_published_at != instance.last_published_at:
        return
    tell_repliers.enqueue(instance.pk)
    tell_followers.enqueue(instance.entry_id, following.ANSWERED, instance.pk)
    review = reviews.close_for_answer(instance)
    if review is not None:
        tell_followers.enqueue(instance.entry_id, following.REVIEW_CLOSED, review.pk)


@receiver(page_published, sender=DataUsePage)
def entry_published(sender, instance, revision, **kwargs):
    entry = instance.original_entry
    if instance.pk != entry.pk:
        return  # a translation: followers hear about the original's changes, in their own language
    if following.has_new_change_note(entry, revision):
        tell_followers.enqueue(entry.pk, following.CHANGED, revision.pk)
    if following.has_new_change_note(entry, revision) or following.is_first_publication(entry, revision):
        send_alerts.enqueue(entry.pk, revision.pk)  # new, or changed with a public note: people with alerts hear
    review = reviews.close_for_new_version(entry, revision)
    if review is not None:
        tell_followers.enqueue(entry.pk, following.REVIEW_CLOSED, review.pk)


# Entries show the council's published answers and open reviews: kept copies of them must go.
page_cache.purge_when_changed(OwnerAnswer, Review, uid="feedback")


@receiver(pre_delete, sender=DataUsePage)
def entry_deleted(sender, instance, **kwargs):
    """A deleted entry's responses leave its council's monthly figures now, not at the nightly recount."""
    tallies.forget_entries([instance.pk])
