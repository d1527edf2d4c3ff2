"""What people said about an entry, in the aggregate, for the public summary and the owners' views."""

from collections import Counter

from django.db.models import Count, Sum

from .models import (
    COMFORTABLE,
    COMFORTS,
    UNCOMFORTABLE,
    Comfort,
    Condition,
    EntrySentiment,
    FeedbackSubmission,
    OwnerAnswer,
)
from .tallies import counted

# Below this many responses only the number is shown, so nobody's answer can be picked out.
MIN_RESPONSES_TO_SHOW = 10
PUBLISHED_COMMENTS = 5
SUMS = {comfort: Sum(comfort) for comfort in COMFORTS}


def spread(counts):
    """The comfort spread and net comfort score from a count for each answer: (total, rows, net)."""
    counts = {value: counts.get(value) or 0 for value in COMFORTS}
    total = sum(counts.values())
    rows = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "percent": round(100 * counts[value] / total) if total else 0,
        }
        for value, label in Comfort.choices
    ]
    comfortable = sum(counts[v] for v in COMFORTABLE)
    uncomfortable = sum(counts[v] for v in UNCOMFORTABLE)
    net = round(100 * (comfortable - uncomfortable) / total) if total else None
    return total, rows, net


def comfort_spread(queryset):
    """The spread of a queryset of responses, counted from the responses themselves."""
    return spread(dict(counted(queryset).values_list("comfort").annotate(n=Count("pk")).order_by()))


def tallied_spread(sentiments):
    """The spread from a queryset of EntrySentiment tallies (one query)."""
    return spread(sentiments.order_by().aggregate(**SUMS))


def entry_counts(entry):
    """One entry's comfort and condition counts: its tallies, plus its responses the worker has not counted yet."""
    counts, chosen = Counter(), Counter()
    for row in EntrySentiment.objects.filter(entry=entry).values(*COMFORTS, "conditions"):
        chosen.update(row.pop("conditions"))
        counts.update(row)
    waiting = counted(FeedbackSubmission.objects.filter(entry=entry, tallied=False)).values_list(
        "comfort", "conditions"
    )
    for comfort, conditions in waiting:
        counts[comfort] += 1
        chosen.update(conditions or [])
    return counts, chosen


def summarise(entry):
    feedback = FeedbackSubmission.objects.filter(entry=entry)
    counts, chosen = entry_counts(entry)
    total, rows, net = spread(counts)
    summary = {
        "total": total,
        "enough": total >= MIN_RESPONSES_TO_SHOW,
        # The council's own published words are always shown, however few responses there are.
        "answers": list(
            OwnerAnswer.objects.filter(entry=entry, live=True)
            .select_related("submission")
            .order_by("-first_published_at", "-pk")
        ),
    }
    if not summary["enough"]:
        summary["shown_comments"] = set()
        return summary
    labels = dict(Condition.choices)
    summary.update(
        rows=rows,
        net_comfort_score=net,
        conditions=[
            {"label": labels[c], "count": chosen[c]}
            for c in sorted(chosen, key=lambda c: (-chosen[c], list(labels).index(c) if c in labels else 0))
            if c in labels and chosen[c]
        ][:3],
        comments=list(
            counted(feedback)
            .filter(publish_consent=True, approved_for_publication=True)
            .exclude(comment="")
            .order_by("-created_at")
            .values("pk", "comment", "created_at")[:PUBLISHED_COMMENTS]
        ),
    )
    summary["shown_comments"] = {comment["pk"] for comment in summary["comments"]}
    return summary


def by_month(*tallies):
    """Responses and net comfort score for each month, oldest first, from MonthTally or CouncilMonth querysets
    (one query each; several are added together)."""
    rows = (row for queryset in tallies for row in queryset.order_by().values_list("month").annotate(**SUMS))
    return sorted(grouped(rows), key=lambda group: group["key"])


def by_version(tallies):
    """Responses and net comfort score for each published version of an entry, oldest first, from VersionTally."""
    rows = tallies.values_list("revision__created_at").annotate(**SUMS).order_by("revision__created_at")
    return grouped(rows)


def grouped(rows):
    """Comfort counts per key (an entry, a month or a version) with their net comfort score. Each row is either
    (key, comfort, n) or (key, n for each answer in COMFORTS order)."""
    groups = {}
    for key, *counts in rows:
        counts = {counts[0]: counts[1]} if len(counts) == 2 else dict(zip(COMFORTS, counts, strict=True))
        group = groups.setdefault(key, {"key": key, "total": 0, "comfortable": 0, "uncomfortable": 0})
        for comfort, n in counts.items():
            group["total"] += n or 0
            group["comfortable"] += (n or 0) if comfort in COMFORTABLE else 0
            group["uncomfortable"] += (n or 0) if comfort in UNCOMFORTABLE else 0
    groups = [group for group in groups.values() if group["total"]]
    for group in groups:
        group["net"] = round(100 * (group["comfortable"] - group["uncomfortable"]) / group["total"])
        group["bar"] = abs(group["net"]) // 2  # half of the 0-100 scale each side of the middle
    return groups


def least_comfortable_entries(sentiments):
    """Entries with feedback, least comfortable first, from a queryset of EntrySentiment tallies: a queryset of
    dicts with entry_id, entry__title, organisation__short_name, total, comfortable, uncomfortable and net, to page."""
    return sentiments.values(
        "entry_id", "entry__title", "organisation__short_name", "total", "comfortable", "uncomfortable", "net"
    ).order_by("net", "-total", "entry__title", "entry_id")
