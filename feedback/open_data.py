"""Feedback counts as open data: for each published entry of a council that allows it
(Organisation.publish_feedback_counts), how many people gave each answer. Never what anyone wrote, never a
date or anything else about a person, and nothing at all for an entry with fewer than MIN_RESPONSES
responses, so that nobody can be picked out. The figures are the sentiment tallies owners see
(feedback.tallies), which the worker brings up to date within minutes of a response.
"""

from collections import Counter, defaultdict

from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.models import Locale

from base.spreadsheets import safe_cell
from datauses.models import DataUsePage
from datauses.open_data import LICENCE, csv_text, json_text, open_file

from .models import Comfort, Condition, EntrySentiment

# Fewer responses than this and an entry's counts are not published (the Office for National Statistics'
# usual threshold for small counts is similar).
MIN_RESPONSES = 10
COMFORT_COLUMNS = [choice.value for choice in Comfort]
CONDITION_COLUMNS = [f"would_be_more_comfortable_with_{choice.value}" for choice in Condition]
COLUMNS = ["reference", "title", "council", "council_code", "responses", *COMFORT_COLUMNS, *CONDITION_COLUMNS]


def counts(locale):
    """One row per published entry in ``locale`` of the councils that allow it, best known first: the counts
    of every language version of the entry together; None for the figures of an entry under the threshold."""
    entries = list(
        DataUsePage.objects.live()
        .public()
        .filter(locale=locale, organisation__publish_feedback_counts=True)
        .select_related("organisation")
        .order_by("organisation__name", "title", "pk")
    )
    keys = {entry.translation_key for entry in entries}
    versions = DataUsePage.objects.filter(translation_key__in=keys).values_list("pk", "translation_key")
    key_of = dict(versions)
    totals = defaultdict(Counter)
    for sentiment in EntrySentiment.objects.filter(entry_id__in=key_of):
        total = totals[key_of[sentiment.entry_id]]
        total["responses"] += sentiment.total
        for comfort in COMFORT_COLUMNS:
            total[comfort] += getattr(sentiment, comfort)
        for condition in Condition:
            total[f"would_be_more_comfortable_with_{condition.value}"] += (sentiment.conditions or {}).get(
                condition.value, 0
            )
    rows = []
    for entry in entries:
        total = totals[entry.translation_key]
        published = total["responses"] >= MIN_RESPONSES
        row = {
            "reference": entry.reference,
            "title": entry.title,
            "council": entry.organisation.name,
            "council_code": entry.organisation.slug,
        }
        for column in COLUMNS[4:]:
            row[column] = total[column] if published else None
        rows.append(row)
    return rows


@require_safe
def feedback_counts(request, file_format):
    """GET /open-data/feedback.csv or .json."""
    rows = counts(Locale.get_active())
    if file_format == "csv":
        text = csv_text(
            COLUMNS, (["" if row[column] is None else safe_cell(row[column]) for column in COLUMNS] for row in rows)
        )
    else:
        text = json_text(
            {
                "licence": LICENCE,
                "generated_at": timezone.now().replace(microsecond=0),
                "fewest_responses_shown": MIN_RESPONSES,
                "entries": rows,
            }
        )
    return open_file(text, file_format, "data-use-register-feedback-counts")
