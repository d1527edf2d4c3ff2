"""The public feedback endpoints. Entry pages stay cacheable, so these forms carry no CSRF token:
a signed start time, a honeypot, a rate limit and a duplicate window stand in for it."""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from datauses.models import DataUsePage

from . import guards
from .forms import FeedbackForm, ProblemReportForm
from .models import FeedbackSubmission, PageProblemReport, ReplyContact, State
from .tasks import notify_owners

logger = logging.getLogger(__name__)


def _entry(entry_id):
    entry = DataUsePage.objects.live().public().select_related("organisation").filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


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


def _check_request(request, entry, form, problem_form):
    """The checks both forms share before their answers are read. Returns a response to send instead, or None."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > guards.MAX_BODY_BYTES:
        return _render_form(
            request,
            entry,
            form.__class__(),
            problem_form.__class__(),
            status=413,
            message=_("What you sent was too long for us to accept. Please shorten it and try again."),
        )
    seconds = guards.seconds_since_start(request.POST.get("started"), entry.pk)
    if seconds is None or seconds < settings.FEEDBACK_MIN_SECONDS_TO_FILL:
        return _render_form(
            request,
            entry,
            form,
            problem_form,
            status=400,
            message=_("Please check your answers, then send the form again."),
        )
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
        return _render_form(request, entry, FeedbackForm(), ProblemReportForm())
    form = FeedbackForm(request.POST)
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
    original = entry.original_entry
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
    stop = _check_request(request, entry, FeedbackForm(), form)
    if stop:
        return stop
    if not form.is_valid():
        return _render_form(request, entry, FeedbackForm(), form, status=400)
    stop = _check_rate(request, entry, FeedbackForm(), form)
    if stop:
        return stop
    data = form.cleaned_data
    key = guards.dedupe_key("problem", entry.pk, guards.client_key(request), data["kind"], data["details"])
    try:
        with transaction.atomic():
            PageProblemReport.objects.create(
                entry=entry,  # the page as read: a problem may be with the translation
                organisation=entry.original_entry.organisation,
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
