"""Reviews opened by residents' feedback: a run of 'uncomfortable' answers, or a fall in the net comfort score
between two published versions. A review ends when the council publishes an answer or a new version."""


def open_review(entry):
    """The entry's open review, or None."""
    return entry.reviews.filter(closed_at__isnull=True).first()


def open_if_needed(entry, now=None):
    """Open a review of ``entry`` if its feedback crosses its owner team's rule and none is open. Returns the new
    Review, or None. Logged in the entry's history."""
    return None


def close_for_answer(answer, now=None):
    """End the open review of the answer's entry, if any, because an answer was published. Returns it or None."""
    return None


def close_for_new_version(entry, revision, now=None):
    """End the open review of ``entry``, if any, because a new version was published. Returns it or None."""
    return None


def tell_staff(review, already_told=()):
    """Email the owner team and comms officers about an opened review. Returns the number sent; raises
    notifications.SendFailed if the mail server fails part-way."""
    return 0
