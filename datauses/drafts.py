"""Clearing away abandoned new entries. The editor saves a new page as a draft as soon as someone types in the
add form (Wagtail's autosave), so a form left half-way leaves a blank draft behind. A draft that was never
published or sent for sign-off, still lacks what every entry needs, and nobody has touched for a week is
deleted, so blank drafts do not pile up in the editors' lists. Its reference is not reused."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import DataUsePage

ABANDONED_AFTER = datetime.timedelta(days=7)

# What the add form asks for first: a draft still without them was never really started.
BLANK = Q(summary="") | Q(purpose="")


def abandoned_drafts(now=None):
    now = now or timezone.now()
    return (
        DataUsePage.objects.filter(live=False, first_published_at__isnull=True, alias_of__isnull=True)
        .filter(BLANK)
        .filter(Q(latest_revision_created_at__lt=now - ABANDONED_AFTER) | Q(latest_revision_created_at__isnull=True))
    )


@transaction.atomic
def delete_abandoned_drafts(now=None):
    """Delete the abandoned drafts (each logged in its register's history); returns how many."""
    count = 0
    for draft in abandoned_drafts(now):
        if draft.workflow_in_progress:  # waiting for sign-off is not abandoned
            continue
        draft.delete()  # logs "wagtail.delete" in the audit log
        count += 1
    return count
