"""The public feedback endpoints. Entry pages stay cacheable, so these forms carry no CSRF token:
a signed start time, a honeypot, a rate limit and a duplicate window stand in for it. Following an entry
(feedback.following) works the same way, and its confirm and unsubscribe pages take a secret token instead."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, PageViewRestriction

from datauses.models import DataCategory, DataUsePage, Organisation, ServiceArea

from . import following, guards
from .forms import AlertForm, FeedbackForm, FollowForm, ProblemReportForm
from .models import AboutYou, FeedbackSubmission, PageProblemReport, ReplyContact, State
from .tasks import confirm_following, notify_owners

logger = logging.getLogger(__name__)


def _entry(entry_id):
    """The live entry, unless it is in a private section, with its council and language, in one query (Wagtail's
    public() first reads every view restriction with a query of its own)."""
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    entry = (
        DataUsePage.objects.live()
        .filter(~Exists(restricted), pk=entry_id)
        .select_related("organisation", "locale")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def _feedback_form(entry, data=None):
    """The feedback form, with the council's optional 'about you' questions if it asks any."""
    return FeedbackForm(data, questions=entry.organisation.about_you_questions)


def _original(entry):
    """The entry feedback on this one belongs to (DataUsePage.original_entry), with no query for an entry in the
    site's main language, which most are."""
    if entry.locale.language_code == get_supported_content_language_variant(settings.LANGUAGE_CODE):
        return entry
    return entry.original_entry


def _render_form(request, entry, form, problem_form, status=200, message=""):
    # Every re-shown form gets a fresh start time (start_token), so a person who was stopped is not stopped again.
    context = {
        "page": entry,
        "entry": entry,
        "form": form,
        "problem_form": problem_form,
        "start_token": guards.start_token(entry.pk),
        "message": message,
        "language_url_name": "feedback:submit",  # the switcher links to this form for the entry's translation
    }
    return render(request, "feedback/feedback_page.html", context, status=status)


def _too_fast_message():
    return _(
        "You sent the form very quickly, so we could not tell it came from a person. "
        "Please wait a few seconds, then send it again."
    )


def _check_request(request, entry, form, problem_form):
    """The checks both forms share before their answers are read. Returns a response to send instead, or None."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > guards.MAX_BODY_BYTES:
        return _render_form(
            request,
            entry,
            _feedback_form(entry),
            problem_form.__class__(),
            status=413,
            message=_("What you sent was too long for us to accept. Please shorten it and try again."),
        )
    seconds = guards.seconds_since_start(request.POST.get("started"), entry.pk)
    if seconds is None:
        return _render_form(
            request,
            entry,
            form,
            problem_form,
            status=400,
            message=_("Please check your answers, then send the form again."),
        )
    if guards.sent_too_fast(seconds):
        # Said plainly: a person who reads and types quickly needs to know to wait, not to look for a mistake.
        return _render_form(request, entry, form, problem_form, status=400, message=_too_fast_message())
    return None


def _check_rate(request, entry, form, problem_form):
    """Only posts that would be kept count towards the limit: a mistake or a refused bot never uses it up."""
    if guards.rate_limited(request):
        return _render_form(
            request,
            entry,
            form,
            problem_form,
            status=429,
            message=_(
                "You have sent us a lot of feedback in a short time, so we cannot accept more just now. "
                "Please try again in an hour. Your answers are still below, so you will not need to type them again."
            ),
        )
    return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def feedback(request, entry_id):
    entry = _entry(entry_id)
    if request.method == "GET":
        return _render_form(request, entry, _feedback_form(entry), ProblemReportForm())
    form = _feedback_form(entry, request.POST)
    if request.POST.get("website"):
        return redirect("feedback:thanks", entry_id=entry.pk)  # a bot: say thanks, keep nothing
    stop = _check_request(request, entry, form, ProblemReportForm())
    if stop:
        return stop
    if not form.is_valid():
        return _render_form(request, entry, form, ProblemReportForm(), status=400)
    stop = _check_rate(request, entry, form, ProblemReportForm())
    if stop:
        return stop
    data = form.cleaned_data
    abusive = guards.looks_abusive(data["comment"])
    # Feedback on a translation belongs to the original entry, so it is counted with the English.
    original = _original(entry)
    key = guards.dedupe_key(
        "feedback",
        original.pk,
        guards.client_key(request),
        data["comfort"],
        data["trust"],
        sorted(data["conditions"]),
        data["comment"],
        data["publish_consent"],
        data["email"],
        sorted(form.about_you_answers().items()),
    )
    try:
        with transaction.atomic():
            submission = FeedbackSubmission.objects.create(
                entry=original,
                organisation=original.organisation,
                revision_id=original.live_revision_id,
                language=get_language() or "",
                comfort=data["comfort"],
                trust=data["trust"],
                conditions=sorted(data["conditions"]),
                comment=data["comment"],
                publish_consent=data["publish_consent"],
                flagged_personal_data=data["comment_had_personal_data"],
                flagged_abuse=abusive,
                state=State.FLAGGED if data["comment_had_personal_data"] or abusive else State.NEW,
                dedupe_key=key,
            )
            if data["email"]:
                ReplyContact.objects.create(submission=submission, email=data["email"])
            if about_you := form.about_you_answers():
                AboutYou.objects.create(submission=submission, **about_you)
    except IntegrityError:
        pass  # the same answers a moment ago (a double click): they already count once
    else:
        # Only queued: the worker sends the email, so a slow or broken mail server never holds the person up.
        try:
            notify_owners.enqueue(submission.pk)
        except Exception:
            # Their feedback is saved and owners_notified_at stays empty, so it is still known to be unsent.
            logger.exception("Could not queue the owners' email about feedback %s", submission.pk)
    return redirect("feedback:thanks", entry_id=entry.pk)


@csrf_exempt
@require_http_methods(["POST"])
def problem(request, entry_id):
    entry = _entry(entry_id)
    form = ProblemReportForm(request.POST)
    if request.POST.get("website"):
        return redirect("feedback:problem_thanks", entry_id=entry.pk)
    stop = _check_request(request, entry, _feedback_form(entry), form)
    if stop:
        return stop
    if not form.is_valid():
        return _render_form(request, entry, _feedback_form(entry), form, status=400)
    stop = _check_rate(request, entry, _feedback_form(entry), form)
    if stop:
        return stop
    data = form.cleaned_data
    key = guards.dedupe_key("problem", entry.pk, guards.client_key(request), data["kind"], data["details"])
    try:
        with transaction.atomic():
            PageProblemReport.objects.create(
                entry=entry,  # the page as read: a problem may be with the translation
                organisation=_original(entry).organisation,
                kind=data["kind"],
                details=data["details"],
                flagged_personal_data=data["details_had_personal_data"],
                dedupe_key=key,
            )
    except IntegrityError:
        pass
    return redirect("feedback:problem_thanks", entry_id=entry.pk)


def thanks(request, entry_id):
    entry = _entry(entry_id)
    context = {"page": entry, "entry": entry, "kind": "feedback", "language_url_name": "feedback:thanks"}
    return render(request, "feedback/thanks.html", context)


def problem_thanks(request, entry_id):
    entry = _entry(entry_id)
    context = {"page": entry, "entry": entry, "kind": "problem", "language_url_name": "feedback:problem_thanks"}
    return render(request, "feedback/thanks.html", context)


# ---- following an entry -------------------------------------------------------------------------------------


def _render_follow(request, entry, form, status=200, message=""):
    context = {
        "page": entry,
        "entry": entry,
        "form": form,
        "start_token": guards.start_token(entry.pk),
        "message": message,
        "language_url_name": "feedback:follow",
    }
    return render(request, "feedback/follow/follow_page.html", context, status=status)


def _screen_sign_up(request, make_form, show, start_for, sent, too_long, check_again):
    """The checks the sign-up forms (following an entry, email alerts) make before anything is kept, in order: the
    size of what was sent (before it is read), the honeypot, the signed start time, sent too fast, the answers,
    the rate limit. ``make_form(data)`` builds the form, ``show(form, status, message)`` shows it again and
    ``sent`` is the response a bot gets. Returns (the form, a response to send instead or None)."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > guards.MAX_BODY_BYTES:
        return None, show(make_form(), 413, too_long)
    form = make_form(request.POST)
    if request.POST.get("website"):
        return form, sent  # a bot: keep nothing, send nothing
    seconds = guards.seconds_since_start(request.POST.get("started"), start_for)
    if seconds is None:
        return form, show(form, 400, check_again)
    if guards.sent_too_fast(seconds):
        return form, show(form, 400, _too_fast_message())
    if not form.is_valid():
        return form, show(form, 400, "")
    if guards.rate_limited(request):
        message = _(
            "You have sent us a lot of forms in a short time, so we cannot accept more just now. "
            "Please try again in an hour."
        )
        return form, show(form, 429, message)
    return form, None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def follow(request, entry_id):
    """'Get emails about this entry': the form is at the end of the entry page; this page shows it again when
    something was wrong. Whatever happens to the address, the person is sent to the same 'Check your email' page,
    so nobody can use the form to learn who follows an entry."""
    entry = _entry(entry_id)
    if request.method == "GET":
        return _render_follow(request, entry, FollowForm())
    form, stop = _screen_sign_up(
        request,
        FollowForm,
        lambda form, status, message: _render_follow(request, entry, form, status=status, message=message),
        start_for=entry.pk,
        sent=redirect("feedback:follow_sent", entry_id=entry.pk),
        too_long=_("What you sent was too long for us to accept. Please enter only your email address."),
        check_again=_("Please check your email address, then send the form again."),
    )
    if stop:
        return stop
    follower, send = following.follow(entry, form.cleaned_data["email"], get_language() or settings.LANGUAGE_CODE)
    if send:
        # Only queued: the worker sends the email. If even queueing fails, asking again sends it.
        try:
            confirm_following.enqueue(follower.pk)
        except Exception:
            logger.exception("Could not queue the confirm email for follower %s", follower.pk)
    return redirect("feedback:follow_sent", entry_id=entry.pk)


def follow_sent(request, entry_id):
    entry = _entry(entry_id)
    context = {
        "page": entry,
        "entry": entry,
        "days": following.CONFIRM_WITHIN.days,
        "language_url_name": "feedback:follow_sent",
    }
    return render(request, "feedback/follow/check_email.html", context)


def _render_token_page(request, template, follower=None, status=200, **context):
    """A page reached from a link in a follower's email. It is branded with the entry's council; the language
    switcher keeps the token (no ``page`` is given, so it links to this same address in the other language).
    An alert's pages are the same with the alert's words (templates under feedback/alerts/)."""
    if follower is not None and follower.is_alert:
        context.update(
            alert=following.describe_alert(follower), token=follower.token, alerts_url=following.alerts_page(follower)
        )
        context["days"] = following.CONFIRM_WITHIN.days
        return render(request, template.replace("feedback/follow/", "feedback/alerts/"), context, status=status)
    if follower is not None:
        entry = following.entry_for(follower, get_language())
        context.update(
            entry=entry,
            council=entry.organisation,
            council_home=entry.get_parent(),
            months=follower.entry.organisation.feedback_retention_months,
            token=follower.token,
        )
    context["days"] = following.CONFIRM_WITHIN.days
    return render(request, template, context, status=status)


# The token in the address is the secret, so these need no CSRF token, and set no cookie. A GET never changes
# anything (mail programs and link scanners open links on their own); only the button's POST does.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def follow_confirm(request, token):
    follower = following.find(token)
    if follower is None:
        return _render_token_page(request, "feedback/follow/link_not_working.html", status=404)
    if following.has_expired(follower):
        # 410 rather than 404: the link was real, and the page says how to get a new one.
        return _render_token_page(request, "feedback/follow/link_not_working.html", follower, status=410, expired=True)
    if request.method == "POST":
        following.confirm(follower)
    confirmed = follower.confirmed_at is not None
    return _render_token_page(request, "feedback/follow/confirm.html", follower, confirmed=confirmed)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def follow_unsubscribe(request, token):
    """Also the address in the List-Unsubscribe header: a mail program's one-click unsubscribe (RFC 8058) is a
    POST with the body List-Unsubscribe=One-Click, with no page shown. Any POST here unsubscribes."""
    follower = following.find(token)
    if follower is None:
        # Never followed, or already unsubscribed (a second click, or the mail program got there first).
        return _render_token_page(request, "feedback/follow/unsubscribe.html", state="not_following")
    if request.method == "POST":
        following.unsubscribe(token)
        return _render_token_page(request, "feedback/follow/unsubscribe.html", follower, state="done")
    return _render_token_page(request, "feedback/follow/unsubscribe.html", follower, state="ask")


# ---- email alerts -------------------------------------------------------------------------------------------

ALERTS_FORM = 0  # the "entry" the alerts form's start token is for: no entry


def _alert_terms():
    locale = Locale.get_default()
    councils = Organisation.objects.filter(locale=locale).order_by("name")
    areas = ServiceArea.objects.filter(locale=locale).order_by("name")
    kinds = DataCategory.objects.filter(locale=locale).order_by("name")
    return {"councils": list(councils), "areas": list(areas), "kinds": list(kinds)}


def _render_alerts(request, form, status=200, message=""):
    context = {
        "form": form,
        "start_token": guards.start_token(ALERTS_FORM),
        "message": message,
        "language_url_name": "feedback:alerts",
    }
    return render(request, "feedback/alerts/alerts_page.html", context, status=status)


def _chosen(terms, form, name):
    value = (form.data.get(name) if form.is_bound else form.initial.get(name)) or ""
    return next((term for term in terms if term.slug == value), None)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def alerts(request):
    """'Get email alerts': new and changed entries of a council, a service area or a kind of data, at once or
    daily. Double opt-in and one-click unsubscribe as for following an entry (feedback.following)."""
    terms = _alert_terms()
    if request.method == "GET":
        initial = {name: request.GET.get(name, "") for name in ("council", "service_area", "data")}
        form = AlertForm(initial=initial, **terms)
        return _render_alerts(request, form)
    form, stop = _screen_sign_up(
        request,
        lambda data=None: AlertForm(data, **terms),
        lambda form, status, message: _render_alerts(request, form, status=status, message=message),
        start_for=ALERTS_FORM,
        sent=redirect("feedback:alerts_sent"),
        too_long=_(
            "What you sent was too long for us to accept. Please choose your alerts and enter your email address."
        ),
        check_again=_("Please check your choices and your email address, then send the form again."),
    )
    if stop:
        return stop
    data = form.cleaned_data
    follower, send = following.subscribe(
        data["email"],
        get_language() or settings.LANGUAGE_CODE,
        data["frequency"],
        council=_chosen(terms["councils"], form, "council"),
        service_area=_chosen(terms["areas"], form, "service_area"),
        data_category=_chosen(terms["kinds"], form, "data"),
    )
    if send:
        try:
            confirm_following.enqueue(follower.pk)
        except Exception:
            logger.exception("Could not queue the confirm email for alert %s", follower.pk)
    return redirect("feedback:alerts_sent")


def alerts_sent(request):
    context = {"days": following.CONFIRM_WITHIN.days, "language_url_name": "feedback:alerts_sent"}
    return render(request, "feedback/alerts/check_email.html", context)
