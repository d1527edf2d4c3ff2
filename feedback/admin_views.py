"""Sentiment views for owners and comms officers: how comfortable people are, over time and by version."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from datauses.models import DataUsePage, Organisation

from .models import FeedbackSubmission
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
