"""Sentiment views for owners and comms officers: how comfortable people are, over time and by version."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from datauses.models import DataUsePage, Organisation

from .filters import FeedbackFilterSet
from .models import FeedbackSubmission, State
from .permissions import FeedbackPermissionPolicy, can_see_entry, visible_to
from .summary import by_month, by_version, comfort_spread, least_comfortable_entries

policy = FeedbackPermissionPolicy(FeedbackSubmission)


def _visible_feedback(request):
    if not policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    return visible_to(request.user, FeedbackSubmission.objects.all())


def overview(request):
    feedback = _visible_feedback(request)
    councils = Organisation.objects.filter(pk__in=feedback.values("organisation_id")).order_by("name")
    council = None
    if request.GET.get("council", "").isdigit():
        council = councils.filter(pk=request.GET["council"]).first()
        if council:
            feedback = feedback.filter(organisation=council)
    total, spread, net = comfort_spread(feedback)
    return render(
        request,
        "feedback/admin/sentiment_overview.html",
        {
            "page_title": _("Sentiment"),
            "councils": councils,
            "council": council,
            "total": total,
            "spread": spread,
            "net": net,
            "months": by_month(feedback),
            "entries": least_comfortable_entries(feedback),
        },
    )


def entry_sentiment(request, entry_id):
    feedback = _visible_feedback(request).filter(entry_id=entry_id)
    entry = get_object_or_404(DataUsePage, pk=entry_id)
    if not can_see_entry(request.user, entry):
        raise PermissionDenied
    total, spread, net = comfort_spread(feedback)
    return render(
        request,
        "feedback/admin/sentiment_entry.html",
        {
            "page_title": _("Sentiment: %(title)s") % {"title": entry.title},
            "entry": entry,
            "total": total,
            "spread": spread,
            "net": net,
            "months": by_month(feedback),
            "versions": by_version(feedback),
        },
    )


class BulkStateForm(forms.Form):
    state = forms.ChoiceField(choices=State.choices, label=gettext_lazy("Mark them as"))
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Reason (needed for 'Not actionable')"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == State.NOT_ACTIONABLE and not cleaned.get("reason"):
            self.add_error("reason", gettext_lazy("Say why this feedback is not actionable."))
        return cleaned


def bulk_state(request):
    """Change the state of every piece of feedback the inbox is showing (its filters are in the query string)."""
    if not policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    filterset = FeedbackFilterSet(request.GET, queryset=visible_to(request.user, FeedbackSubmission.objects.all()))
    chosen = filterset.qs if filterset.is_valid() else FeedbackSubmission.objects.none()
    form = BulkStateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        state, reason = form.cleaned_data["state"], form.cleaned_data["reason"]
        changed = 0
        with transaction.atomic():
            for submission in chosen.select_for_update().exclude(state=state):
                submission.state = state
                submission.state_reason = reason or submission.state_reason
                submission.save(update_fields=["state", "state_reason"])
                log(instance=submission, action="wagtail.edit", user=request.user, data={"state": state, "bulk": True})
                changed += 1
        messages.success(
            request, _("%(n)d pieces of feedback marked as %(state)s.") % {"n": changed, "state": State(state).label}
        )
        return redirect(reverse("feedback_inbox:index") + ("?" + request.GET.urlencode() if request.GET else ""))
    return render(
        request,
        "feedback/admin/bulk_state.html",
        {
            "page_title": _("Mark feedback in bulk"),
            "form": form,
            "count": chosen.count(),
            "query": request.GET.urlencode(),
        },
    )
