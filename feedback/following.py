"""Residents who follow an entry: double opt-in by email, one-click unsubscribe, no account. The address is kept
apart from any feedback, used for nothing else, and deleted on unsubscribing or after the council's retention
period without activity (see feedback.retention)."""

import datetime
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry, Revision

from datauses.models import DataUsePage

from .models import Follower, OwnerAnswer, Review
from .notifications import SendFailed, entry_in

# What followers are told about (the ``event`` of tasks.tell_followers).
CHANGED = "changed"  # a new version with a public change note; object: the revision
ANSWERED = "answered"  # a public answer was published; object: the answer
REVIEW_OPENED = "review_opened"  # object: the review
REVIEW_CLOSED = "review_closed"  # object: the review
EVENTS = (CHANGED, ANSWERED, REVIEW_OPENED, REVIEW_CLOSED)

# A confirm link works for this long after the person last asked; after that the unconfirmed address is deleted.
CONFIRM_WITHIN = datetime.timedelta(days=7)


# ---- following, confirming, unsubscribing -----------------------------------------------------------------


def follow(entry, email, language):
    """Start (or repeat) a request to follow ``entry`` (its original, whichever language it was read in).

    Returns (follower, needs_email): whether a confirm email should go. A confirmed follower who asks again
    gets no email: they already get the emails, and a second message would let anyone make the site write to
    them over and over. The page the person sees is the same either way, so nobody learns who follows what."""
    original = entry.original_entry
    email = _normalise(email)
    now = timezone.now()
    follower = Follower.objects.filter(entry=original, email=email).first()
    if follower is None:
        try:
            with transaction.atomic():
                follower = Follower.objects.create(
                    entry=original, email=email, language=language, token=secrets.token_urlsafe(32), last_active_at=now
                )
            return follower, True
        except IntegrityError:  # the same request a moment ago (a double click)
            follower = Follower.objects.get(entry=original, email=email)
    # Asking again counts as activity: it keeps a confirmed address for another retention period, and gives an
    # unconfirmed one another week. The token stays the same, so a confirm email that arrives late still works.
    follower.last_active_at = now
    if follower.confirmed_at:
        follower.save(update_fields=["last_active_at"])
        return follower, False
    follower.language = language
    follower.save(update_fields=["last_active_at", "language"])
    return follower, True


def _normalise(email):
    # As Django does for accounts: the part after @ is not case-sensitive, the part before it may be.
    name, _at, domain = email.strip().rpartition("@")
    return f"{name}@{domain.lower()}"


def find(token):
    """The follower with this token, or None."""
    if not token:
        return None
    return Follower.objects.select_related("entry").filter(token=token).first()


def has_expired(follower, now=None):
    """An unconfirmed request whose confirm link no longer works (retention deletes it)."""
    return follower.confirmed_at is None and follower.last_active_at < (now or timezone.now()) - CONFIRM_WITHIN


def confirm(follower, now=None):
    """Confirm the address (the second step of the double opt-in). Confirming twice changes nothing more."""
    now = now or timezone.now()
    follower.confirmed_at = follower.confirmed_at or now
    follower.last_active_at = now
    follower.save(update_fields=["confirmed_at", "last_active_at"])
    return follower


def unsubscribe(token):
    """Delete the follower with this token, address and all. Returns True if there was one."""
    return bool(token) and Follower.objects.filter(token=token).delete()[0] > 0


# ---- what changed -----------------------------------------------------------------------------------------


def has_new_change_note(entry, revision):
    """Does the version just published carry a change note the previous published version did not?"""
    note = _change_note(revision)
    if not note:
        return False
    # Wagtail logs a publication after it sends page_published, so the latest logged one is the version before.
    previous = (
        PageLogEntry.objects.filter(page_id=entry.pk, action="wagtail.publish", revision_id__isnull=False)
        .exclude(revision_id=revision.pk)
        .order_by("-timestamp", "-pk")
        .values_list("revision_id", flat=True)
        .first()
    )
    previous_revision = Revision.objects.filter(pk=previous).first() if previous else None
    return note != _change_note(previous_revision)


def _change_note(revision):
    return ((revision.content or {}).get("change_note") or "").strip() if revision is not None else ""


# ---- emails -------------------------------------------------------------------------------------------------


def tell_followers(entry_id, event, object_id, already_told=()):
    """Email each confirmed follower of the entry about the event, in their language, one message each, with a
    one-click unsubscribe link. Returns the number sent; raises notifications.SendFailed part-way."""
    if event not in EVENTS:
        raise ValueError(f"Followers are not told about {event!r}")
    entry = DataUsePage.objects.filter(pk=entry_id).first()
    if entry is None:
        return 0
    entry = entry.original_entry
    about = _event_object(event, object_id)
    if about is None or not entry.live:
        return 0  # the answer or review has gone since, or the entry is no longer published: nothing to link to
    followers = (
        Follower.objects.filter(entry=entry, confirmed_at__isnull=False).exclude(email__in=already_told).order_by("pk")
    )
    shown_in = {}  # the entry in each follower language, looked up once
    told = []
    for follower in followers:
        language = follower.language or settings.LANGUAGE_CODE
        with translation.override(language):
            if language not in shown_in:
                shown_in[language] = entry_in(entry, language)
            shown = shown_in[language]
            subject, body = _event_message(event, about, shown)
            try:
                _send(follower, subject, body, shown.full_url)
            except OSError as error:
                raise SendFailed(told) from error
        told.append(follower.email)
    return len(told)


def _event_object(event, object_id):
    """What the event is about (the published revision, the live answer, the review), or None if it is gone."""
    if event == CHANGED:
        revision = Revision.page_revisions.filter(pk=object_id).first()
        return revision if _change_note(revision) else None
    if event == ANSWERED:
        return OwnerAnswer.objects.filter(pk=object_id, live=True).first()
    review = Review.objects.filter(pk=object_id).first()
    if event == REVIEW_CLOSED and review is not None and review.closed_at is None:
        return None  # reopened or never closed: there is no ending to tell
    return review


def _event_message(event, about, entry):
    """The subject and opening of an email about the event, in the active language."""
    title = entry.title
    if event == CHANGED:
        # The note is in the words the council published it in: translations are brought up to date later.
        return (
            _("'%(title)s' has changed") % {"title": title},
            _("The council has published a new version of '%(title)s'.\n\nWhat changed: %(note)s")
            % {"title": title, "note": _change_note(about)},
        )
    if event == ANSWERED:
        return (
            _("The council has answered feedback on '%(title)s'") % {"title": title},
            _(
                "The council has published an answer to residents' feedback on '%(title)s'.\n\n"
                "You said: %(you_said)s\n\nWe did: %(we_did)s\n\n%(outcome)s."
            )
            % {
                "title": title,
                "you_said": about.you_said,
                "we_did": about.we_did,
                "outcome": about.get_outcome_display(),
            },
        )
    if event == REVIEW_OPENED:
        return (
            _("The council is reviewing '%(title)s'") % {"title": title},
            _(
                "The council is reviewing this entry because of residents' feedback.\n\nEntry: %(title)s\n\n"
                "We will email you when the review ends."
            )
            % {"title": title},
        )
    subject = _("The council has finished reviewing '%(title)s'") % {"title": title}
    if not about.outcome:
        return subject, _("The council has finished its review of '%(title)s'.") % {"title": title}
    return (
        subject,
        _("The council has finished its review of '%(title)s'.\n\nHow it ended: %(outcome)s.")
        % {"title": title, "outcome": about.get_outcome_display()},
    )


def entry_for(follower, language=None):
    """The followed entry as shown in ``language`` (the follower's own by default): its live translation, or the
    original."""
    return entry_in(follower.entry, language or follower.language or settings.LANGUAGE_CODE)


def send_confirmation(follower):
    """Email the confirm link. Returns the number sent (1)."""
    with translation.override(follower.language or settings.LANGUAGE_CODE):
        entry = entry_for(follower)
        subject = _("Confirm that you want emails about '%(title)s'") % {"title": entry.title}
        body = _(
            "Someone asked for emails about '%(title)s' on the data use register to be sent to this address.\n\n"
            "To start getting them, open this link and select the button on the page:\n%(confirm)s\n\n"
            "The link works for %(days)d days.\n\n"
            "If it was not you, ignore this email. You will not get emails about this entry unless the link is "
            "opened, and we will delete your address in %(days)d days."
        ) % {"title": entry.title, "confirm": link("feedback:follow_confirm", follower), "days": CONFIRM_WITHIN.days}
        _send(follower, subject, body, entry.full_url, confirmed=False)
    return 1


def _send(follower, subject, body, entry_url, confirmed=True):
    """One message to one follower, with the entry's address, and the unsubscribe link in the words and in the
    headers mail programs read for their own unsubscribe button (RFC 2369, and RFC 8058 for one click)."""
    unsubscribe_url = link("feedback:follow_unsubscribe", follower)
    if confirmed:
        footer = _(
            "Read the entry: %(entry)s\n\n"
            "---\n"
            "You get this email because you asked to follow this entry. We use your address only for these emails.\n"
            "To stop them and delete your address, unsubscribe: %(unsubscribe)s"
        )
    else:
        footer = _(
            "Read the entry: %(entry)s\n\n"
            "---\n"
            "We use your address only for emails about this entry. To delete it now, unsubscribe: %(unsubscribe)s"
        )
    footer = footer % {"entry": entry_url or "", "unsubscribe": unsubscribe_url}
    message = EmailMessage(
        subject,
        f"{body}\n\n{footer}\n",
        None,
        [follower.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # no out-of-office replies
        },
    )
    message.send()


def link(url_name, follower):
    """The full address of a follower's confirm or unsubscribe page, in their language (/cy/... for Welsh), on
    the public site."""
    with translation.override(follower.language or settings.LANGUAGE_CODE):
        path = reverse(url_name, args=[follower.token])
    return _public_root(follower.entry) + path


def _public_root(entry):
    # PUBLIC_BASE_URL where it is set; otherwise the address of the entry's own site, as its full_url uses.
    root = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if root:
        return root
    site = entry.get_site()
    return site.root_url.rstrip("/") if site is not None else ""
