"""Deleting feedback text once each council's retention period is over. The anonymous counts stay."""

import datetime

from django.db import transaction
from django.utils import timezone

from datauses.models import Organisation

from .models import FeedbackSubmission, PageProblemReport, ReplyContact


def months_ago(months, now=None):
    now = now or timezone.now()
    return now - datetime.timedelta(days=round(months * 365.25 / 12))


@transaction.atomic
def delete_expired_text(now=None):
    """Blank old comments and report details and delete old reply addresses. Safe to run any number of times."""
    totals = {"comments": 0, "reply_addresses": 0, "problem_reports": 0}
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
    return totals
