"""Deletes feedback text, reply addresses and followers' addresses older than each council's retention period."""

from django.core.management.base import BaseCommand

from feedback.retention import delete_expired_text


class Command(BaseCommand):
    help = (
        "Delete comments, page problem details and reply email addresses older than each council's retention "
        "period, followers who have not been active for that long and requests to follow never confirmed within "
        "7 days. Counts are kept. Safe to run more than once; run it daily."
    )

    def handle(self, *args, **options):
        totals = delete_expired_text()
        self.stdout.write(
            self.style.SUCCESS(
                "Deleted {comments} comments, {reply_addresses} reply addresses, {problem_reports} problem report "
                "details, {followers} followers' addresses and {unconfirmed_followers} unconfirmed requests to "
                "follow.".format(**totals)
            )
        )
