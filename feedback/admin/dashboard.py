"""The owner's desk on the admin home: new feedback, falling comfort, draft answers and page problems, each
narrowed to what the signed-in person may see."""

from django.db.models import F, Max, Q, Sum
from django.urls import reverse
from wagtail.admin.ui.components import Component
from wagtail.models import PageLogEntry

from .. import tallies
from ..models import EntrySentiment, OwnerAnswer, PageProblemReport, State, VersionTally
from ..permissions import SentimentScope, feedback_policy, problem_policy, visible
from ..summary import SUMS, grouped

ROWS = 10


def new_feedback(scope):
    """Entries with feedback nobody has looked at yet, the most recent first (from the sentiment tallies)."""
    rows = (
        scope.narrow(EntrySentiment.objects.filter(new__gt=0))
        .values("entry_id", "entry__title", "entry__reference")
        .annotate(count=Sum("new"), newest=Max("newest_new_at"))
        .order_by("-newest", "entry_id")[:ROWS]
    )
    inbox = reverse("feedback_inbox:index")
    return [{**row, "url": f"{inbox}?entry={row['entry_id']}"} for row in rows]


def comfort_fell(scope):
    """Entries whose net comfort score on the live version is lower than on the version published before it."""
    rows = (
        scope.narrow(VersionTally.objects.filter(revision__isnull=False))
        .values_list("entry_id", "entry__title", "entry__live_revision_id", "revision_id")
        .annotate(**SUMS)
        .order_by()
    )
    # summary.by_version's figures, for every entry at once: one group for each entry and published version.
    versions = grouped(
        ((entry, title, live_revision, revision), *counts) for entry, title, live_revision, revision, *counts in rows
    )
    net, live = {}, {}
    for group in versions:
        entry, title, live_revision, revision = group["key"]
        net[entry, revision] = group["net"]
        if revision == live_revision:
            live[entry] = (title, live_revision)
    if not live:
        return []
    # Revision numbers only grow, so the version published before the live one is the highest lower number.
    previous = (
        PageLogEntry.objects.filter(
            action="wagtail.publish", page_id__in=list(live), revision_id__lt=F("page__live_revision_id")
        )
        .values_list("page_id")
        .annotate(revision=Max("revision_id"))
        .order_by()
    )
    fell = []
    for entry, previous_revision in previous:
        title, live_revision = live[entry]
        before, now = net.get((entry, previous_revision)), net[entry, live_revision]
        if before is not None and now < before:
            fell.append(
                {
                    "entry_id": entry,
                    "title": title,
                    "before": before,
                    "now": now,
                    "url": reverse("sentiment:entry", args=[entry]),
                }
            )
    return sorted(fell, key=lambda row: (row["now"] - row["before"], row["title"]))[:ROWS]


def draft_answers(user):
    """Public answers not yet published, or with changes not yet published."""
    answers = (
        visible(user, OwnerAnswer.objects.filter(Q(live=False) | Q(has_unpublished_changes=True)))
        .select_related("entry")
        .order_by("-created_at", "-pk")[:ROWS]
    )
    return [
        {"answer": answer, "url": reverse("wagtailsnippets_feedback_owneranswer:edit", args=[answer.pk])}
        for answer in answers
    ]


class OwnersDeskPanel(Component):
    """Shown only to people with a feedback role (see register_owners_desk in wagtail_hooks.py)."""

    name = "owners_desk"
    template_name = "feedback/admin/dashboard.html"
    order = 150  # above Wagtail's own panels about pages

    def __init__(self, may_see_problems):
        self.may_see_problems = may_see_problems

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        tallies.catch_up()  # responses the worker has not counted yet
        scope = SentimentScope(user)  # works out the person's roles once
        context = {
            "new_feedback": new_feedback(scope),
            "comfort_fell": comfort_fell(scope),
            "draft_answers": draft_answers(user),
            "may_see_problems": self.may_see_problems,
        }
        if self.may_see_problems:
            context["problems"] = visible(user, PageProblemReport.objects.filter(state=State.NEW)).count()
            context["problems_url"] = reverse("page_problems:index") + f"?state={State.NEW}"
        return context


def add_owners_desk(request, panels):
    """The construct_homepage_panels hook: the desk for owners, comms officers and admins; nothing for others."""
    if feedback_policy.user_has_permission(request.user, "view"):
        panels.append(OwnersDeskPanel(may_see_problems=problem_policy.user_has_permission(request.user, "view")))
