"""What people said about an entry, in the aggregate, for the public summary and the owners' views."""

from collections import Counter

from django.db.models import Count

from .models import COMFORTABLE, UNCOMFORTABLE, Comfort, Condition, FeedbackSubmission, OwnerAnswer, State

# Below this many responses only the number is shown, so nobody's answer can be picked out.
MIN_RESPONSES_TO_SHOW = 10
PUBLISHED_COMMENTS = 5


def counted(queryset):
    """Feedback that counts towards sentiment: everything except what was hidden as spam."""
    return queryset.exclude(state=State.SPAM)


def comfort_spread(queryset):
    counts = dict(counted(queryset).values_list("comfort").annotate(n=Count("pk")).order_by())
    total = sum(counts.values())
    rows = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "percent": round(100 * counts.get(value, 0) / total) if total else 0,
        }
        for value, label in Comfort.choices
    ]
    comfortable = sum(counts.get(v, 0) for v in COMFORTABLE)
    uncomfortable = sum(counts.get(v, 0) for v in UNCOMFORTABLE)
    net = round(100 * (comfortable - uncomfortable) / total) if total else None
    return total, rows, net


def summarise(entry):
    feedback = FeedbackSubmission.objects.filter(entry=entry)
    total, rows, net = comfort_spread(feedback)
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
    chosen = Counter(
        condition for conditions in counted(feedback).values_list("conditions", flat=True) for condition in conditions
    )
    summary.update(
        rows=rows,
        net_comfort_score=net,
        conditions=[{"label": labels[c], "count": n} for c, n in chosen.most_common() if c in labels][:3],
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


def by_month(queryset):
    """Responses and net comfort score for each month, oldest first."""
    from django.db.models.functions import TruncMonth

    rows = (
        counted(queryset)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "comfort")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return grouped(rows)


def by_version(queryset):
    """Responses and net comfort score for each published version of an entry, oldest first."""
    rows = (
        counted(queryset)
        .values_list("revision__created_at", "comfort")
        .annotate(n=Count("pk"))
        .order_by("revision__created_at")
    )
    return grouped(rows)


def grouped(rows):
    """Comfort counts per key (an entry, a month or a version) with their net comfort score."""
    groups = {}
    for key, comfort, n in rows:
        group = groups.setdefault(key, {"key": key, "total": 0, "comfortable": 0, "uncomfortable": 0})
        group["total"] += n
        group["comfortable"] += n if comfort in COMFORTABLE else 0
        group["uncomfortable"] += n if comfort in UNCOMFORTABLE else 0
    for group in groups.values():
        group["net"] = round(100 * (group["comfortable"] - group["uncomfortable"]) / group["total"])
        group["bar"] = abs(group["net"]) // 2  # half of the 0-100 scale each side of the middle
    return list(groups.values())


def least_comfortable_entries(queryset):
    """Every entry with feedback, least comfortable first: total, comfortable, uncomfortable, net score."""
    from django.db.models import Q

    rows = (
        counted(queryset)
        .values("entry_id", "entry__title", "organisation__short_name")
        .annotate(
            total=Count("pk"),
            comfortable=Count("pk", filter=Q(comfort__in=COMFORTABLE)),
            uncomfortable=Count("pk", filter=Q(comfort__in=UNCOMFORTABLE)),
        )
    )
    entries = [{**row, "net": round(100 * (row["comfortable"] - row["uncomfortable"]) / row["total"])} for row in rows]
    return sorted(entries, key=lambda row: (row["net"], -row["total"], row["entry__title"]))
