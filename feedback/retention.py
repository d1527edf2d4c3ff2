"""Deleting feedback text once each council's retention period is over. The anonymous counts stay. Followers'
addresses go too: after the retention period without activity, or a week after an unconfirmed request."""

import datetime

from django.db import transaction
from django.utils import timezone

from datauses.models import Organisation

from .following import CONFIRM_WITHIN
from .models import FeedbackSubmission, Follower, PageProblemReport, ReplyContact


def months_ago(months, now=None):
    now = now or timezone.now()
    return now - datetime.timedelta(days=round(months * 365.25 / 12))


# How long an alert about every council is kept after the person last asked for it (a council's own setting
# applies to alerts about that council).
ALERT_RETENTION_MONTHS = 12


@transaction.atomic
def delete_expired_text(now=None):
    """Blank old comments and report details and delete old reply and follower addresses. Safe to run any number
    of times."""
    now = now or timezone.now()
    totals = {"comments": 0, "reply_addresses": 0, "problem_reports": 0, "followers": 0, "unconfirmed_followers": 0}
    # Unconfirmed first: a request nobody confirmed within the week is never kept longer, whatever the council.
    totals["unconfirmed_followers"] = Follower.objects.filter(
        confirmed_at__isnull=True, last_active_at__lt=now - CONFIRM_WITHIN
    ).delete()[0]
    for organisation in Organisation.objects.all():
        cutoff = months_ago(organisation.feedback_retention_months, now)
        old = FeedbackSubmission.objects.filter(organisation=organisation, created_at__lt=cutoff)
        totals["reply_addresses"] += ReplyContact.objects.filter(submission__in=old).delete()[0]
        totals["comments"] += old.exclude(comment="").update(
            comment="", publish_consent=False, approved_for_publication=False
        )
        totals["problem_reports"] += (
            PageProblemReport.objects.filter(organisation=organisation, created_at__lt=cutoff)
            .exclude(details="")
            .update(details="")
        )
        # Activity is confirming or asking to follow again (feedback.following.follow), not the emails we send.
        totals["followers"] += Follower.objects.filter(
            entry__organisation=organisation, last_active_at__lt=cutoff
        ).delete()[0]
        totals["followers"] += Follower.objects.filter(
            entry__isnull=True, council=organisation, last_active_at__lt=cutoff
        ).delete()[0]
    # Alerts about every council follow the default period.
    totals["followers"] += Follower.objects.filter(
        entry__isnull=True, council__isnull=True, last_active_at__lt=months_ago(ALERT_RETENTION_MONTHS, now)
    ).delete()[0]
    return totals
