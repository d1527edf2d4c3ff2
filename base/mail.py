"""Email sent by the worker: the retry schedule when the mail server fails, a partial send's record, and the
language to write to a member of staff in. Shared by the register's and the feedback loop's tasks."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

# Pauses before the second, third... try: about five and a half hours in all before giving up.
RETRY_DELAYS = [datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240)]


class SendFailed(Exception):
    """Sending stopped part-way; ``sent_to`` holds the addresses that did get their email."""

    def __init__(self, sent_to):
        super().__init__(f"Sent to {len(sent_to)} before the mail server failed")
        self.sent_to = sent_to


def try_again_later(this_task, error, attempt, *args, **kwargs):
    """Queue ``this_task`` again after the next pause, or raise ``error`` once the tries are used up.
    A backend that cannot wait (the immediate one, in tests) gets no second try."""
    if attempt > len(RETRY_DELAYS) or not this_task.get_backend().supports_defer:
        raise error
    if isinstance(error, SendFailed):  # stopped part-way: the next try skips the people already told
        kwargs["already_told"] = sorted({*kwargs.get("already_told", ()), *error.sent_to})
    run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
    this_task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1, **kwargs)
    logger.warning(
        "%s: the mail server failed (%s); try %d of %d at %s",
        this_task.name,
        error.__cause__ or error,
        attempt + 1,
        len(RETRY_DELAYS) + 1,
        run_after.isoformat(timespec="seconds"),
    )
    return 0


def language_of(person):
    """The language the person chose for the admin, else the site's."""
    profile = getattr(person, "wagtail_userprofile", None)
    return (profile and profile.preferred_language) or settings.LANGUAGE_CODE
