"""Views of the feedback admin: lists and edit forms narrowed to what each person may see, and sentiment
for owners and comms officers (how comfortable people are, over time and by version)."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.panels import Panel
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from base.spreadsheets import plain_cell
from datauses.models import DataUsePage, Organisation

from .. import tallies
from ..filters import FeedbackFilterSet
from ..models import CouncilMonth, EntrySentiment, FeedbackSubmission, MonthTally, OwnerAnswer, State, VersionTally
from ..permissions import SentimentScope, answer_policy, can_see_entry, feedback_policy, may_see, visible, visible_to
from ..summary import by_month, by_version, least_comfortable_entries, tallied_spread
from .forms import BulkStateForm

ENTRIES_PER_PAGE = 50


class OnlyWhatTheyMaySee:
    """Mixed into every admin view of residents' words and public answers (edit, history, usage, revisions,
    unpublish, delete, choosers): another council's object, or another team's, is simply not found.

    Wagtail checks permissions on the model, not on the object, in most of these views."""

    def get_object(self, *args, **kwargs):
        found = super().get_object(*args, **kwargs)
        if found is not None and not may_see(self.request.user, found):
            raise Http404
        return found

    def get_object_list(self):  # choosers
        return visible(self.request.user, super().get_object_list())


def guarded(view_class):
    return type(view_class.__name__, (OnlyWhatTheyMaySee, view_class), {})


class FeedbackEditView(generic.EditView):
    """A response whose state changes is counted again in its entry's sentiment tallies (feedback.tallies), so
    marking it as spam takes it out of the figures at once."""

    def save_instance(self):
        instance = super().save_instance()
        if "state" in self.form.changed_data:
            tallies.recount([instance.entry_id])
        return instance


class FeedbackDeleteView(generic.DeleteView):
    """A deleted response leaves its entry's sentiment tallies at once."""

    def delete_action(self):
        entry_id = self.object.entry_id
        super().delete_action()
        tallies.recount([entry_id])


class ResidentAnswersPanel(Panel):
    """Everything the resident gave, in words: comfort, trust, conditions, comment, consent, whether they asked
    for a reply, language and the version of the entry they read. The reply address only for the entry's owners."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "feedback/admin/resident_answers.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            submission = self.instance
            context["submission"] = submission
            context["reply_address"] = submission.reply_address_for(self.request.user)
            context["private_replies"] = submission.private_replies.select_related("author") if submission.pk else []
            if submission.pk and answer_policy.user_has_permission_for_instance(
                self.request.user, "add", OwnerAnswer(entry=submission.entry)
            ):
                context["answer_url"] = (
                    reverse("wagtailsnippets_feedback_owneranswer:add") + f"?submission={submission.pk}"
                )
            if context["reply_address"]:
                context["reply_url"] = reverse("feedback_inbox:reply", args=[submission.pk])
            return context


class VisibleOnlyIndexView(generic.IndexView):
    """The inbox (and page problems) narrowed to what the person may see; its export holds the same rows, in
    words in the person's language, local times to the minute, every cell spreadsheet-safe."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # A CSV is streamed after the view returns: keep the request's language and time zone for it.
        self.export_language = translation.get_language()
        self.export_timezone = timezone.get_current_timezone()

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.model is FeedbackSubmission and self.permission_policy.user_has_permission(self.request.user, "change"):
            query = self.request.GET.copy()
            query.pop("p", None)
            url = reverse("sentiment:bulk_state") + ("?" + query.urlencode() if query else "")
            buttons.append(HeaderButton(_("Mark all shown"), url=url, icon_name="tasks"))
        return buttons

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for name in row:
            try:
                field = item._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.choices:  # a label in words, not the stored code
                row[name] = getattr(item, f"get_{name}_display")()
        return row

    def preprocess_field_value(self, field, value, export_format):
        # Comments are what residents typed: keep the export openable and free of formulas.
        return plain_cell(value)

    def stream_csv(self, queryset):
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            yield from super().stream_csv(queryset)

    def write_xlsx(self, queryset, output):
        with translation.override(self.export_language), timezone.override(self.export_timezone):
            return super().write_xlsx(queryset, output)

    def get_base_queryset(self):
        # The export holds exactly the rows the inbox shows with the same filters, flagged ones included: their
        # personal details were removed before they were saved.
        queryset = visible_to(self.request.user, super().get_base_queryset()).select_related("entry")
        if self.model is FeedbackSubmission:
            queryset = queryset.select_related("reply_contact")
        return queryset


def _sentiment_scope(request):
    """What the person may see, once their role is checked; the tallies first take in any response the worker
    has not counted yet, so the figures are those of the responses themselves."""
    if not feedback_policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    tallies.catch_up()
    return SentimentScope(request.user)


def overview(request):
    scope = _sentiment_scope(request)
    sentiments = scope.narrow(EntrySentiment.objects.all())
    councils = Organisation.objects.filter(pk__in=sentiments.values("organisation_id")).order_by("name")
    council = None
    if request.GET.get("council", "").isdigit():
        council = councils.filter(pk=request.GET["council"]).first()
        if council:
            sentiments = sentiments.filter(organisation=council)
    total, spread, net = tallied_spread(sentiments)
    months = by_month(*scope.council_months(CouncilMonth.objects.all(), MonthTally.objects.all(), council))
    page = Paginator(least_comfortable_entries(sentiments), ENTRIES_PER_PAGE).get_page(request.GET.get("p"))
    return render(
        request,
        "feedback/admin/sentiment_overview.html",
        {
            "header_title": _("Sentiment"),
            "header_icon": "view",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Feedback")},  # a menu of its own, with no page
                {"url": "", "label": _("Sentiment")},
            ],
            "councils": councils,
            "council": council,
            "total": total,
            "spread": spread,
            "net": net,
            "months": months,
            "entries": page,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


def entry_sentiment(request, entry_id):
    scope = _sentiment_scope(request)
    entry = get_object_or_404(DataUsePage, pk=entry_id)
    if not can_see_entry(request.user, entry):
        raise PermissionDenied
    total, spread, net = tallied_spread(scope.narrow(EntrySentiment.objects.filter(entry_id=entry_id)))
    return render(
        request,
        "feedback/admin/sentiment_entry.html",
        {
            "header_title": _("Sentiment: %(title)s") % {"title": entry.title},
            "header_icon": "view",
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": "", "label": _("Feedback")},
                {"url": reverse("sentiment:index"), "label": _("Sentiment")},
                {"url": "", "label": entry.title},
            ],
            "entry": entry,
            "total": total,
            "spread": spread,
            "net": net,
            "months": by_month(scope.narrow(MonthTally.objects.filter(entry_id=entry_id))),
            "versions": by_version(scope.narrow(VersionTally.objects.filter(entry_id=entry_id))),
            "reviews": entry.reviews.select_related("answer"),
        },
    )


def bulk_state(request):
    """Change the state of every piece of feedback the inbox is showing (its filters are in the query string)."""
    if not feedback_policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    filterset = FeedbackFilterSet(
        request.GET, queryset=visible_to(request.user, FeedbackSubmission.objects.all()), request=request
    )
    chosen = filterset.qs if filterset.is_valid() else FeedbackSubmission.objects.none()
    form = BulkStateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        state, reason = form.cleaned_data["state"], form.cleaned_data["reason"]
        changed, entries = 0, set()
        with transaction.atomic():
            for submission in chosen.select_for_update().exclude(state=state):
                submission.state = state
                submission.state_reason = reason or submission.state_reason
                submission.save(update_fields=["state", "state_reason"])
                log(instance=submission, action="wagtail.edit", user=request.user, data={"state": state, "bulk": True})
                changed += 1
                entries.add(submission.entry_id)
            tallies.recount(entries)
        messages.success(
            request, _("%(n)d pieces of feedback marked as %(state)s.") % {"n": changed, "state": State(state).label}
        )
        return redirect(reverse("feedback_inbox:index") + ("?" + request.GET.urlencode() if request.GET else ""))
    return render(
        request,
        "feedback/admin/bulk_state.html",
        {
            "page_title": _("Mark feedback in bulk"),
            "form": form,
            "count": chosen.count(),
            "query": request.GET.urlencode(),
        },
    )
