"""Counts the feedback already given into the new sentiment tallies (what `manage.py refresh_sentiment` does,
written here with the models as they were at this migration)."""

import zoneinfo
from collections import defaultdict

from django.conf import settings
from django.db import migrations
from django.db.models import Count, DateField, Max, Q
from django.db.models.functions import TruncMonth

COMFORTABLE = ["very_comfortable", "fairly_comfortable"]
UNCOMFORTABLE = ["fairly_uncomfortable", "very_uncomfortable"]
COMFORTS = [COMFORTABLE[0], COMFORTABLE[1], "not_sure", UNCOMFORTABLE[0], UNCOMFORTABLE[1]]
BATCH = 500


def fill(apps, schema_editor):
    submissions = apps.get_model("feedback", "FeedbackSubmission")
    entry_sentiment = apps.get_model("feedback", "EntrySentiment")
    month_tally = apps.get_model("feedback", "MonthTally")
    version_tally = apps.get_model("feedback", "VersionTally")
    council_month = apps.get_model("feedback", "CouncilMonth")
    apps.get_model("feedback", "TallyLock").objects.get_or_create(pk=1)
    submissions.objects.filter(tallied=False).update(tallied=True)
    counted = submissions.objects.exclude(state="spam").order_by()
    by_comfort = {comfort: Count("pk", filter=Q(comfort=comfort)) for comfort in COMFORTS}
    new = Q(state="new")

    conditions = defaultdict(lambda: defaultdict(int))
    for entry, organisation, chosen, n in counted.values_list("entry_id", "organisation_id", "conditions").annotate(
        n=Count("pk")
    ):
        for condition in chosen or []:
            conditions[entry, organisation][condition] += n
    rows = []
    for row in counted.values("entry_id", "organisation_id").annotate(
        **by_comfort, new=Count("pk", filter=new), newest_new_at=Max("created_at", filter=new)
    ):
        total = sum(row[comfort] for comfort in COMFORTS)
        comfortable = sum(row[comfort] for comfort in COMFORTABLE)
        uncomfortable = sum(row[comfort] for comfort in UNCOMFORTABLE)
        rows.append(
            entry_sentiment(
                **row,
                total=total,
                comfortable=comfortable,
                uncomfortable=uncomfortable,
                net=round(100 * (comfortable - uncomfortable) / total),
                conditions=dict(conditions[row["entry_id"], row["organisation_id"]]),
            )
        )
    entry_sentiment.objects.bulk_create(rows, batch_size=BATCH)

    month = TruncMonth("created_at", output_field=DateField(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    months = counted.annotate(month=month).values("entry_id", "organisation_id", "month").annotate(**by_comfort)
    month_tally.objects.bulk_create([month_tally(**row) for row in months], batch_size=BATCH)
    versions = counted.values("entry_id", "organisation_id", "revision_id").annotate(**by_comfort)
    version_tally.objects.bulk_create([version_tally(**row) for row in versions], batch_size=BATCH)
    councils = counted.annotate(month=month).values("organisation_id", "month").annotate(**by_comfort)
    council_month.objects.bulk_create([council_month(**row) for row in councils], batch_size=BATCH)
    if schema_editor.connection.vendor == "postgresql":
        # Every row was just marked: fresh statistics let "any not yet counted?" use its small index at once.
        schema_editor.execute(f"ANALYZE {submissions._meta.db_table}")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0007_sentiment_tallies")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
