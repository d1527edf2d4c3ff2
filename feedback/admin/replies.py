"""An owner's private reply to the one person who left an address with their feedback. Only the entry's owners
(the people who can see the address) may write one; it is kept with the feedback and sent by the worker."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import FeedbackSubmission, PrivateReply
from ..permissions import visible
from ..tasks import send_private_reply
from .forms import PrivateReplyForm

logger = logging.getLogger(__name__)


def may_reply(user, submission):
    """Only the entry's owners, and only while the person's address is still kept."""
    return submission.reply_address_for(user) is not None


def reply(request, pk):
    submission = visible(request.user, FeedbackSubmission.objects.select_related("entry")).filter(pk=pk).first()
    if submission is None:
        raise Http404
    if not may_reply(request.user, submission):
        raise PermissionDenied
    edit_url = reverse("feedback_inbox:edit", args=[submission.pk])
    form = PrivateReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        private_reply = PrivateReply.objects.create(
            submission=submission, author=request.user, body=form.cleaned_data["body"]
        )
        # In the audit log (the council history) as who wrote to whom and when; never what was written.
        log(instance=private_reply, action="wagtail.create", user=request.user)
        try:
            send_private_reply.enqueue(private_reply.pk)
        except Exception:
            # The reply is kept and listed on the feedback as "not sent yet", so nothing typed is lost.
            logger.exception("Could not queue private reply %s", private_reply.pk)
        messages.success(request, _("Your reply is saved and will be emailed to the person in the next minute."))
        return redirect(edit_url)
    return render(
        request,
        "feedback/admin/private_reply.html",
        {
            "header_title": _("Reply privately by email"),
            "header_icon": "mail",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse("feedback_inbox:index"), "label": _("Feedback inbox")},
                {"url": edit_url, "label": str(submission)},
                {"url": "", "label": _("Reply privately by email")},
            ],
            "submission": submission,
            "form": form,
            "edit_url": edit_url,
        },
        status=400 if request.method == "POST" else 200,
    )
