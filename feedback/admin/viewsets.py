"""How the feedback admin is put together: the inbox, page problems, sentiment and public answers,
grouped under one Feedback menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.action_menu import PublishMenuItem, UnpublishMenuItem
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from ..filters import FeedbackFilterSet
from ..models import FeedbackSubmission, OwnerAnswer, PageProblemReport
from ..permissions import answer_policy, answerable_entries, feedback_policy, visible
from . import replies, review_rules, views
from .forms import FeedbackReviewForm, OwnerAnswerForm


class GuardedViews:
    """Every view of the viewset shows only objects the person may see (see views.OnlyWhatTheyMaySee)."""

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(views.guarded(view_class), **kwargs)


class GuardedChooserViewSet(GuardedViews, SnippetChooserViewSet):
    pass


class ResidentsWordsViewSet(GuardedViews, ModelViewSet):
    """What residents sent: listed and edited only as far as each person may see it, never added or copied."""

    index_view_class = views.VisibleOnlyIndexView
    add_to_admin_menu = False  # listed under the Feedback menu
    copy_view_enabled = False
    search_backend_name = None  # searched in the database, within what the person may see


class FeedbackViewSet(ResidentsWordsViewSet):
    model = FeedbackSubmission
    name = "feedback_inbox"
    edit_view_class = views.FeedbackEditView
    delete_view_class = views.FeedbackDeleteView
    url_prefix = "feedback/inbox"
    icon = "comment"
    menu_label = _("Feedback inbox")
    inspect_view_enabled = False
    filterset_class = FeedbackFilterSet
    search_fields = ["comment"]
    list_display = [
        "created_at",
        "entry_label",
        "language_name",
        "comfort",
        "trust",
        "comment",
        "state",
        "flagged_personal_data",
    ]
    # The same rows as the inbox shows with its filters, in words (see views.VisibleOnlyIndexView).
    list_export = [
        "created_at",
        "entry_label",
        "language_name",
        "comfort",
        "trust",
        "condition_labels",
        "comment",
        "publish_consent",
        "asked_for_reply",
        "state",
        "flagged_personal_data",
    ]
    export_headings = {
        "created_at": _("Date"),
        "comfort": _("Comfort"),
        "trust": _("Trust"),
        "comment": _("Comment"),
        "state": _("State"),
        "flagged_personal_data": _("Flagged for personal data"),
    }
    export_filename = "feedback"

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("<int:pk>/reply/", replies.reply, name="reply")]

    edit_handler = ObjectList(
        [
            HelpPanel(content=_("Change the state, and approve a comment for publication if its writer agreed to it.")),
            views.ResidentAnswersPanel(heading=_("What the resident said")),
            FieldPanel("state"),
            FieldPanel("state_reason"),
            FieldPanel("approved_for_publication"),
        ],
        base_form_class=FeedbackReviewForm,
    )


class ProblemReportViewSet(ResidentsWordsViewSet):
    model = PageProblemReport
    name = "page_problems"
    url_prefix = "feedback/page-problems"
    icon = "warning"
    menu_label = _("Page problems")
    search_fields = ["details"]
    list_display = ["created_at", "entry_label", "kind", "details", "state"]
    list_filter = ["kind", "state"]
    list_export = ["created_at", "entry_label", "kind", "details", "state"]
    export_headings = {"created_at": _("Date"), "kind": _("Problem"), "details": _("Details"), "state": _("State")}

    panels = [FieldPanel("details", read_only=True), FieldPanel("state")]


class FeedbackRoleMenuItem(MenuItem):
    """Shown to owners, comms officers and admins: anyone the feedback permission policy lets in."""

    def is_shown(self, request):
        return feedback_policy.user_has_permission(request.user, "view")


class AnswersMenuItem(MenuItem):
    """Shown to the people who answer residents: owners, comms officers and admins."""

    def is_shown(self, request):
        return answer_policy.user_has_permission(request.user, "view")


class SentimentViewSet(ViewSet):
    name = "sentiment"
    url_prefix = "feedback/sentiment"
    icon = "view"
    menu_label = _("Sentiment")
    menu_item_class = FeedbackRoleMenuItem

    def get_urlpatterns(self):
        return [
            path("", views.overview, name="index"),
            path("entry/<int:entry_id>/", views.entry_sentiment, name="entry"),
            path("mark/", views.bulk_state, name="bulk_state"),
        ]


class OwnerAnswerViewSet(GuardedViews, SnippetViewSet):
    class ByRole:
        """The answer's add and edit views. Wagtail's snippet action menu offers Publish and Unpublish only to
        holders of the global model permission; owners and comms officers publish by their role, so the menu
        asks the answer policy instead, for this answer. No autosave: it would save a draft as soon as an
        entry is chosen."""

        def setup(self, request, *args, **kwargs):
            super().setup(request, *args, **kwargs)
            self.autosave_enabled = False

        def _get_action_menu(self):
            menu = super()._get_action_menu()
            answer = None if self.view_name == "create" else self.object  # edit, and reverting to a revision
            if self.locked_for_user or not self.permission_policy.user_may_publish(self.request.user, answer):
                return menu
            items = [item for item in (menu.default_item, *menu.menu_items) if item is not None]
            shown = {item.name for item in items}
            if PublishMenuItem.name not in shown:
                items.append(PublishMenuItem(order=30))
            if self.view_name == "edit" and answer.live and UnpublishMenuItem.name not in shown:
                items.append(UnpublishMenuItem(order=20))
            items.sort(key=lambda item: item.order)
            menu.default_item, menu.menu_items = items[0], items[1:]
            return menu

    class AddAnswerView(ByRole, CreateView):
        def get_initial(self):
            """ "Answer in public" on a piece of feedback opens this form with that feedback (and its entry) chosen;
            ?entry= chooses an entry. Anything the person may not see is ignored."""
            initial = super().get_initial()
            submission_id, entry_id = self.request.GET.get("submission", ""), self.request.GET.get("entry", "")
            if submission_id.isdigit():
                submission = visible(self.request.user, FeedbackSubmission.objects.filter(pk=submission_id)).first()
                if submission is not None:
                    initial.update(entry=submission.entry_id, submission=submission.pk)
            elif entry_id.isdigit() and answerable_entries(self.request.user).filter(pk=entry_id).exists():
                initial["entry"] = int(entry_id)
            return initial

    class EditAnswerView(ByRole, EditView):
        pass

    add_view_class = AddAnswerView
    edit_view_class = EditAnswerView
    model = OwnerAnswer
    icon = "openquote"
    menu_label = _("Public answers")
    url_prefix = "feedback/answers"
    search_backend_name = None
    search_fields = ["you_said", "we_did"]
    list_display = ["you_said", "entry", "outcome", "live"]
    list_filter = ["outcome"]
    copy_view_enabled = False

    add_to_admin_menu = False  # listed under Snippets, and linked from the Feedback menu
    chooser_viewset_class = GuardedChooserViewSet
    edit_handler = ObjectList(OwnerAnswer.panels, base_form_class=OwnerAnswerForm)

    def get_queryset(self, request):
        return visible(request.user, OwnerAnswer.objects.all()).select_related("entry")


class FeedbackGroup(ViewSetGroup):
    menu_label = _("Feedback")
    menu_icon = "comment"
    menu_order = 240
    items = (FeedbackViewSet, SentimentViewSet, ProblemReportViewSet)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            AnswersMenuItem(
                _("Public answers"),
                reverse("wagtailsnippets_feedback_owneranswer:list"),
                icon_name="openquote",
                order=900,
            )
        )
        items.append(
            review_rules.ReviewRulesMenuItem(
                _("Review rules"), reverse("review_rules:index"), icon_name="warning", order=950
            )
        )
        return items
