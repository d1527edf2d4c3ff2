"""Queues the monthly "What residents told us" reports on the first working day of the month."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from datauses.models import Organisation
from feedback import insight
from feedback.models import InsightReportSent
from feedback.monthly_report import first_working_day, month_start, previous_month, recipients
from feedback.tasks import send_insight_report


class Command(BaseCommand):
    help = (
        "On the first working day of the month (weekdays that are not bank holidays in England and Wales), queue "
        "the report for the month before to each council's named people, and the partnership's to "
        "INSIGHT_REPORT_RECIPIENTS; on other days do nothing. Run it every morning. A report is never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), for a missed day.")
        parser.add_argument(
            "--now", action="store_true", help="Send the reports for the month before even if today is not the day."
        )

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError("Give the date as YYYY-MM-DD, for example 2026-12-01.") from error
        this_month = month_start(today)
        if not options["now"] and today != first_working_day(this_month):
            self.stdout.write(f"Nothing to send: the reports go out on {first_working_day(this_month):%d %B %Y}.")
            return
        month = previous_month(this_month)
        scopes = [insight.ALL] if recipients(None) else []
        for organisation in Organisation.objects.order_by("slug", "pk"):
            if organisation.report_recipients() and organisation.slug not in scopes:
                scopes.append(organisation.slug)
        queued = 0
        for scope in scopes:
            try:
                with transaction.atomic():
                    InsightReportSent.objects.create(scope=scope, month=month)
            except IntegrityError:
                continue  # already sent this month
            send_insight_report.enqueue(scope, month.isoformat())
            queued += 1
        self.stdout.write(self.style.SUCCESS(f"Queued {queued} reports about {month:%B %Y}."))
