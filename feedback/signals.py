"""Publishing a public answer goes through Wagtail's own snippet views, so we listen for it there."""

from django.dispatch import receiver
from wagtail.signals import published

from .models import OwnerAnswer
from .tasks import tell_repliers


@receiver(published, sender=OwnerAnswer)
def answer_published(sender, instance, **kwargs):
    # Only the first publication tells people; later corrections do not email them again.
    if instance.first_published_at == instance.last_published_at:
        tell_repliers.enqueue(instance.pk)
