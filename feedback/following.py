"""Residents who follow an entry: double opt-in by email, one-click unsubscribe, no account. The address is kept
apart from any feedback, used for nothing else, and deleted on unsubscribing or after the council's retention
period without activity (see feedback.retention)."""

import datetime
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale, PageLogEntry, Revision, Site

from datauses.models import ChangeNote, DataUsePage

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
    return _ask({"entry": entry.original_entry, "email": _normalise(email)}, language)


def subscribe(email, language, frequency, council=None, service_area=None, data_category=None):
    """Start (or repeat) a request for email alerts about new and changed entries of a council, a service area or a
    kind of data (any of them; none: the whole register), sent at once or daily. As follow(), the same double
    opt-in, token and unsubscribe."""
    topic = alert_topic(council, service_area, data_category)
    filters = {"council": council, "service_area": service_area, "data_category": data_category}
    return _ask({"topic": topic, "email": _normalise(email)}, language, frequency=frequency, **filters)


def alert_topic(council=None, service_area=None, data_category=None):
    chosen = [(name, term) for name, term in (("council", council), ("area", service_area), ("data", data_category))]
    return "&".join(f"{name}={term.slug}" for name, term in chosen if term is not None) or "all"


def _ask(lookup, language, **choices):
    """The follower that ``lookup`` finds or makes, and whether a confirm email should go (see follow())."""
    now = timezone.now()
    follower = Follower.objects.filter(**lookup).first()
    if follower is None:
        try:
            with transaction.atomic():
                follower = Follower.objects.create(
                    **lookup, **choices, language=language, token=secrets.token_urlsafe(32), last_active_at=now
                )
            return follower, True
        except IntegrityError:  # the same request a moment ago (a double click)
            follower = Follower.objects.get(**lookup)
    # Asking again counts as activity: it keeps a confirmed address for another retention period, and gives an
    # unconfirmed one another week. The token stays the same, so a confirm email that arrives late still works.
    follower.last_active_at = now
    for name, value in choices.items():
        setattr(follower, name, value)
    changed = ["last_active_at", *choices]
    if follower.confirmed_at:
        follower.save(update_fields=changed)
        return follower, False
    follower.language = language
    follower.save(update_fields=[*changed, "language"])
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
    if follower.is_alert:
        return _send_alert_confirmation(follower)
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
    """One message to one follower, with the entry's address (for an alert: a line with the address to read),
    and the unsubscribe link in the words and in the headers mail programs read for their own unsubscribe
    button (RFC 2369, and RFC 8058 for one click)."""
    unsubscribe_url = link("feedback:follow_unsubscribe", follower)
    if follower.is_alert:
        footer = _(
            "%(link)s\n\n"
            "---\n"
            "You get this email because you asked for alerts about %(alert)s. We use your address only for them.\n"
            "To stop them and delete your address, unsubscribe: %(unsubscribe)s"
        ) % {"link": entry_url, "alert": describe_alert(follower), "unsubscribe": unsubscribe_url}
    else:
        if confirmed:
            footer = _(
                "Read the entry: %(entry)s\n\n"
                "---\n"
                "You get this email because you asked to follow this entry. We use your address only for these "
                "emails.\n"
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
    return public_root(follower.entry) + path


def public_root(entry=None):
    # PUBLIC_BASE_URL where it is set; otherwise the address of the entry's own site, as its full_url uses (the
    # default site for an alert, which has no entry).
    root = (getattr(settings, "PUBLIC_BASE_URL", "") or "").rstrip("/")
    if root:
        return root
    site = entry.get_site() if entry is not None else Site.objects.filter(is_default_site=True).first()
    return site.root_url.rstrip("/") if site is not None else ""


# ---- alerts -------------------------------------------------------------------------------------------------


def _in_language(term):
    """A council or term in the active language, where it has been translated."""
    try:
        return term.localized
    except AttributeError:
        return term


def describe_alert(follower):
    """What the alert is about, in the active language: "new and changed entries of Bristol City Council, about
    Housing, that use Health data"."""
    parts = [_("new and changed entries")]
    if follower.council_id:
        parts.append(_("of %(council)s") % {"council": _in_language(follower.council).name})
    else:
        parts.append(_("of every council"))
    if follower.service_area_id:
        parts.append(_("about %(area)s") % {"area": _in_language(follower.service_area).name})
    if follower.data_category_id:
        parts.append(_("that use %(kind)s data") % {"kind": _in_language(follower.data_category).name})
    return ", ".join(parts)


def alerts_page(follower):
    """The alerts page with this alert's filters chosen, in the follower's language."""
    query = urlencode(
        {
            name: term.slug
            for name, term in (
                ("council", follower.council),
                ("service_area", follower.service_area),
                ("data", follower.data_category),
            )
            if term is not None
        }
    )
    with translation.override(follower.language or settings.LANGUAGE_CODE):
        path = reverse("feedback:alerts")
    return public_root(None) + path + (f"?{query}" if query else "")


def _send_alert_confirmation(follower):
    with translation.override(follower.language or settings.LANGUAGE_CODE):
        alert = describe_alert(follower)
        subject = _("Confirm that you want email alerts from the data use register")
        body = _(
            "Someone asked for email alerts about %(alert)s on the data use register to be sent to this address, "
            "%(when)s.\n\n"
            "To start getting them, open this link and select the button on the page:\n%(confirm)s\n\n"
            "The link works for %(days)d days.\n\n"
            "If it was not you, ignore this email. You will not get any alerts unless the link is opened, and we "
            "will delete your address in %(days)d days."
        ) % {
            "alert": alert,
            "when": follower.get_frequency_display().lower(),
            "confirm": link("feedback:follow_confirm", follower),
            "days": CONFIRM_WITHIN.days,
        }
        _send(follower, subject, body, _("Your alerts: %(url)s") % {"url": alerts_page(follower)}, confirmed=False)
    return 1


def alerts_for(entry):
    """The confirmed alerts an entry (its original, in the site's main language) matches."""
    kinds = [link.category_id for link in entry.data_categories.all()]
    return (
        Follower.objects.filter(entry__isnull=True, confirmed_at__isnull=False)
        .filter(Q(council__isnull=True) | Q(council_id=entry.organisation_id))
        .filter(Q(service_area__isnull=True) | Q(service_area_id=entry.service_area_id))
        .filter(Q(data_category__isnull=True) | Q(data_category_id__in=kinds))
        .select_related("council", "service_area", "data_category")
        .order_by("pk")
    )


def is_first_publication(entry, revision):
    """Is this the entry's first publication (Wagtail logs it after page_published, so none is logged yet)?"""
    return not (
        PageLogEntry.objects.filter(page_id=entry.pk, action="wagtail.publish")
        .exclude(revision_id=revision.pk)
        .exists()
    )


def send_alerts(entry_id, revision_id, already_told=()):
    """Email each confirmed immediate alert the entry matches, that it was published or changed. Returns the
    number sent; raises notifications.SendFailed part-way."""
    entry = DataUsePage.objects.filter(pk=entry_id).select_related("organisation").first()
    if entry is None:
        return 0
    entry = entry.original_entry
    revision = Revision.page_revisions.filter(pk=revision_id).first()
    if revision is None or not entry.live or entry.get_view_restrictions().exists():
        return 0
    note = _change_note(revision)
    changed = bool(note) and not is_first_publication(entry, revision)  # once, not once for each follower
    followers = alerts_for(entry).filter(frequency=Follower.Frequency.IMMEDIATE).exclude(email__in=already_told)
    shown_in, told = {}, []
    for follower in followers:
        language = follower.language or settings.LANGUAGE_CODE
        with translation.override(language):
            if language not in shown_in:
                shown_in[language] = entry_in(entry, language)
            shown = shown_in[language]
            if changed:
                subject = _("Changed in the data use register: %(title)s") % {"title": shown.title}
                body = _("%(council)s has published a new version of '%(title)s'.\n\nWhat changed: %(note)s") % {
                    "council": shown.organisation.name,
                    "title": shown.title,
                    "note": note,
                }
            else:
                subject = _("New in the data use register: %(title)s") % {"title": shown.title}
                body = _("%(council)s has published '%(title)s'.\n\n%(summary)s") % {
                    "council": shown.organisation.name,
                    "title": shown.title,
                    "summary": shown.summary,
                }
            try:
                _send(follower, subject, body, _("Read the entry: %(url)s") % {"url": shown.full_url})
            except OSError as error:
                raise SendFailed(told) from error
        told.append(follower.email)
    return len(told)


def send_daily_alerts(now=None):
    """One email to each confirmed daily alert listing what it matches that was published since its last email
    (or since it was confirmed). Returns the number sent. Safe to run twice: the second finds nothing new."""
    now = now or timezone.now()
    sent = 0
    daily = Follower.objects.filter(entry__isnull=True, confirmed_at__isnull=False, frequency=Follower.Frequency.DAILY)
    for follower in daily.select_related("council", "service_area", "data_category").order_by("pk"):
        since = follower.last_sent_at or follower.confirmed_at
        items = _published_since(follower, since, now)
        if items:
            language = follower.language or settings.LANGUAGE_CODE
            with translation.override(language):
                lines = []
                for entry, what in items:
                    shown = entry_in(entry, language)
                    lines.append(
                        _("%(title)s (%(council)s): %(what)s\n%(url)s")
                        % {
                            "title": shown.title,
                            "council": shown.organisation.name,
                            "what": what,
                            "url": shown.full_url,
                        }
                    )
                subject = _("Today in the data use register: %(count)s new or changed entries") % {"count": len(items)}
                body = _("Published since our last email:") + "\n\n" + "\n\n".join(lines)
                _send(follower, subject, body, _("Your alerts: %(url)s") % {"url": alerts_page(follower)})
            sent += 1
        Follower.objects.filter(pk=follower.pk).update(last_sent_at=now)
    return sent


def _published_since(follower, since, now):
    """(entry, what happened) for the live, public original entries the alert matches that were first published
    or got a change note between ``since`` and ``now``, oldest first."""
    entries = DataUsePage.objects.live().public().filter(locale=Locale.get_default()).select_related("organisation")
    if follower.council_id:
        entries = entries.filter(organisation_id=follower.council_id)
    if follower.service_area_id:
        entries = entries.filter(service_area_id=follower.service_area_id)
    if follower.data_category_id:
        entries = entries.filter(data_categories__category_id=follower.data_category_id)
    found = {}
    for entry in entries.filter(first_published_at__gt=since, first_published_at__lte=now).distinct():
        found[entry.pk] = (entry.first_published_at, entry, _("new"))
    notes = ChangeNote.objects.filter(entry__in=entries, published_at__gt=since, published_at__lte=now)
    for note in notes.select_related("entry__organisation").order_by("published_at"):
        if note.entry_id not in found:
            found[note.entry_id] = (note.published_at, note.entry, _("changed: %(note)s") % {"note": note.note})
    return [(entry, what) for _when, entry, what in sorted(found.values(), key=lambda item: item[0])]
