"""Residents who follow an entry: double opt-in by email, one-click unsubscribe, no account. The address is kept
apart from any feedback, used for nothing else, and deleted on unsubscribing or after the council's retention
period without activity (see feedback.retention)."""

# What followers are told about (the ``event`` of tasks.tell_followers).
CHANGED = "changed"  # a new version with a public change note; object: the revision
ANSWERED = "answered"  # a public answer was published; object: the answer
REVIEW_OPENED = "review_opened"  # object: the review
REVIEW_CLOSED = "review_closed"  # object: the review
EVENTS = (CHANGED, ANSWERED, REVIEW_OPENED, REVIEW_CLOSED)


def has_new_change_note(entry, revision):
    """Does the version just published carry a change note the previous published version did not?"""
    return False


def tell_followers(entry_id, event, object_id, already_told=()):
    """Email each confirmed follower of the entry about the event, in their language, one message each, with a
    one-click unsubscribe link. Returns the number sent; raises notifications.SendFailed part-way."""
    return 0


def send_confirmation(follower):
    """Email the confirm link. Returns the number sent (1)."""
    return 0
