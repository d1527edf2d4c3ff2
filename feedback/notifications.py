"""Telling service owners about new feedback: one email per response, or daily and weekly summaries.
A sudden run of 'uncomfortable' answers is always sent at once. Called by the worker (feedback.tasks) and the
scheduled commands; a mail server that is down raises OSError (smtplib's errors and timeouts all are)."""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from base.mail import SendFailed

from .models import UNCOMFORTABLE, FeedbackSubmission, NotificationPreference, ReplyContact, State

logger = logging.getLogger(__name__)

SPIKE_WINDOW = datetime.timedelta(hours=1)
SPIKE_THRESHOLD = 5  # uncomfortable answers on one entry within the window


def owners_of(entry):
    """Active people with an email address in the entry's owner team group."""
    team = entry.owner_team
    if team is None or team.group_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(groups=team.group_id, is_active=True).exclude(email="")


def frequency_of(user):
    preference = NotificationPreference.objects.filter(user=user).first()
    return preference.frequency if preference else NotificationPreference.Frequency.IMMEDIATE


def inbox_url(entry_id=None):
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("feedback_inbox:index")
    return f"{url}?entry={entry_id}" if entry_id else url


def is_spike(submission):
    if submission.comfort not in UNCOMFORTABLE:
        return False
    since = timezone.now() - SPIKE_WINDOW
    recent = FeedbackSubmission.objects.filter(
        entry_id=submission.entry_id, comfort__in=UNCOMFORTABLE, created_at__gte=since
    ).exclude(state=State.SPAM)
    # One alert per entry per window, however many more arrive.
    return recent.count() >= SPIKE_THRESHOLD and cache.add(
        f"feedback-spike:{submission.entry_id}", 1, timeout=int(SPIKE_WINDOW.total_seconds())
    )


def notify_new_feedback(submission, spike=None):
    """Email owners who want each response, or everyone on a spike, then mark the submission as notified.
    Returns the number of emails sent. ``spike`` is decided here unless a retry passes the first decision on."""
    entry = submission.entry
    if spike is None:
        spike = is_spike(submission)
    recipients = [
        user.email
        for user in owners_of(entry)
        if spike or frequency_of(user) == NotificationPreference.Frequency.IMMEDIATE
    ]
    if not recipients:
        _mark_notified(submission)
        return 0
    if spike:
        subject = _("Several people are uncomfortable with '%(title)s'") % {"title": entry.title}
        body = _(
            "At least %(n)d people said they are uncomfortable with '%(title)s' in the last hour.\n\n"
            "Read what they said: %(url)s\n"
        ) % {"n": SPIKE_THRESHOLD, "title": entry.title, "url": inbox_url(entry.pk)}
    else:
        subject = _("New feedback on '%(title)s'") % {"title": entry.title}
        body = _(
            "Someone answered '%(comfort)s' about '%(title)s'.\n\nRead it and respond: %(url)s\n\n"
            "You can change how often we email you in your account settings."
        ) % {"comfort": submission.get_comfort_display(), "title": entry.title, "url": inbox_url(entry.pk)}
    sent = send_mail(subject, body, None, recipients)
    _mark_notified(submission)
    return sent


def _mark_notified(submission):
    submission.owners_notified_at = timezone.now()
    FeedbackSubmission.objects.filter(pk=submission.pk).update(owners_notified_at=submission.owners_notified_at)


def send_digests(frequency, now=None):
    """One summary email per owner who asked for this frequency, covering feedback since their last one.

    An owner whose email cannot be sent keeps their start time, so the next run covers what they missed;
    the others still get theirs, then the first error is raised so that the scheduler reports it."""
    now = now or timezone.now()
    period = datetime.timedelta(days=1 if frequency == NotificationPreference.Frequency.DAILY else 7)
    sent = 0
    failure = None
    preferences = (
        NotificationPreference.objects.filter(frequency=frequency, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for preference in preferences:
        since = preference.last_digest_at or now - period
        feedback = FeedbackSubmission.objects.filter(
            entry__owner_team__group__in=preference.user.groups.all(), created_at__gte=since, created_at__lt=now
        ).exclude(state=State.SPAM)
        counts = {}
        for title, entry_id in feedback.values_list("entry__title", "entry_id"):
            counts[(title, entry_id)] = counts.get((title, entry_id), 0) + 1
        if counts:
            lines = [
                _("%(title)s: %(n)d new responses — %(url)s") % {"title": t, "n": n, "url": inbox_url(pk)}
                for (t, pk), n in sorted(counts.items())
            ]
            try:
                sent += send_mail(
                    _("Feedback on your register entries"),
                    _("New feedback since %(since)s:\n\n")
                    % {"since": timezone.localtime(since).strftime("%d %B %Y %H:%M")}
                    + "\n".join(lines),
                    None,
                    [preference.user.email],
                )
            except OSError as error:
                logger.warning(
                    "Could not send the %s feedback summary to user %s: %s", frequency, preference.user_id, error
                )
                failure = failure or error
                preference.last_digest_at = since
                preference.save(update_fields=["last_digest_at"])
                continue
        preference.last_digest_at = now
        preference.save(update_fields=["last_digest_at"])
    if failure:
        raise failure
    return sent


def tell_people_who_asked_for_a_reply(answer, already_told=()):
    """When an answer is published, email everyone who left a reply address on what it answers, except
    ``already_told`` (a retry after a failure part-way). Raises SendFailed if the mail server fails."""
    contacts = ReplyContact.objects.filter(submission__entry_id=answer.entry_id).exclude(email__in=already_told)
    if answer.submission_id:
        contacts = contacts.filter(submission_id=answer.submission_id)
    # Each person hears back in the language they gave their views in.
    languages = {}
    for email, language in contacts.order_by("pk").values_list("email", "submission__language"):
        languages.setdefault(email, language or settings.LANGUAGE_CODE)
    told = []
    for language in sorted(set(languages.values())):
        addresses = sorted(email for email, chosen in languages.items() if chosen == language)
        with translation.override(language):
            _send_answer(answer, entry_in(answer.entry, language), addresses, told)
    return len(told)


def entry_in(entry, language):
    """The entry's live translation in ``language``, or the entry itself."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    translated = entry.get_translation_or_none(locale) if locale else None
    return translated if translated is not None and translated.live else entry


def _send_answer(answer, entry, addresses, told):
    entry_url = entry.full_url or ""
    subject = _("The council has answered feedback on '%(title)s'") % {"title": entry.title}
    body = _(
        "You asked for a reply when you gave your views on '%(title)s'.\n\n"
        "You said: %(you_said)s\n\nWe did: %(we_did)s\n\n%(outcome)s.\n\nRead it on the register: %(url)s\n"
    ) % {
        "title": entry.title,
        "you_said": answer.you_said,
        "we_did": answer.we_did,
        "outcome": answer.get_outcome_display(),
        "url": entry_url,
    }
    # One message each, so nobody sees anyone else's address.
    for address in addresses:
        try:
            send_mail(subject, body, None, [address])
        except OSError as error:
            raise SendFailed(told) from error
        told.append(address)
