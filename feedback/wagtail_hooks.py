"""The feedback inbox in the Wagtail admin. Each person sees only the feedback their role allows."""

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .admin_views import policy as sentiment_policy
from .filters import FeedbackFilterSet
from .models import FeedbackSubmission, NotificationPreference, OwnerAnswer, PageProblemReport, State
from .permissions import (
    AnswerPermissionPolicy,
    FeedbackPermissionPolicy,
    can_see_entry,
    is_service_owner,
    visible_entries,
    visible_to,
)

# Feedback only ever comes from the public form, so nobody may add it in the admin. Page problems go to
# the people who write the register, not to service owners.
register_permission_policy(FeedbackSubmission, FeedbackPermissionPolicy(FeedbackSubmission), exact_class=True)
register_permission_policy(
    PageProblemReport, FeedbackPermissionPolicy(PageProblemReport, owners_included=False), exact_class=True
)


class VisibleOnlyIndexView(generic.IndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.model is FeedbackSubmission and self.permission_policy.user_has_permission(self.request.user, "change"):
            query = self.request.GET.copy()
            query.pop("p", None)
            url = reverse("sentiment:bulk_state") + ("?" + query.urlencode() if query else "")
            buttons.append(HeaderButton(_("Mark all shown"), url=url, icon_name="tasks"))
        return buttons

    def get_base_queryset(self):
        queryset = visible_to(self.request.user, super().get_base_queryset()).select_related("entry")
        # Exports leave out rows flagged for personal data unless someone asks for them.
        if self.is_export and self.request.GET.get("include_flagged") != "1":
            queryset = queryset.filter(flagged_personal_data=False)
        return queryset


class VisibleOnlyEditView(generic.EditView):
    def get_queryset(self):
        return visible_to(self.request.user, self.model._default_manager.all())


class FeedbackReviewForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("approved_for_publication") and not self.instance.publish_consent:
            self.add_error(
                "approved_for_publication", _("This person did not agree to publication, so it cannot be approved.")
            )
        if cleaned.get("state") == State.NOT_ACTIONABLE and not cleaned.get("state_reason"):
            self.add_error("state_reason", _("Say why this feedback is not actionable."))
        return cleaned


class FeedbackViewSet(ModelViewSet):
    model = FeedbackSubmission
    name = "feedback_inbox"
    url_prefix = "feedback/inbox"
    icon = "comment"
    menu_label = _("Feedback inbox")
    index_view_class = VisibleOnlyIndexView
    edit_view_class = VisibleOnlyEditView
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = FeedbackFilterSet
    search_backend_name = None
    search_fields = ["comment"]
    list_display = [
        "created_at",
        "entry",
        "language_name",
        "comfort",
        "trust",
        "comment",
        "state",
        "flagged_personal_data",
    ]
    list_export = [
        "created_at",
        "entry",
        "language_name",
        "comfort",
        "trust",
        "conditions",
        "comment",
        "publish_consent",
        "state",
        "flagged_personal_data",
    ]
    export_filename = "feedback"
    edit_handler = ObjectList(
        [
            HelpPanel(content=_("Change the state, and approve a comment for publication if its writer agreed to it.")),
            FieldPanel("comment", read_only=True),
            FieldPanel("publish_consent", read_only=True),
            FieldPanel("state"),
            FieldPanel("state_reason"),
            FieldPanel("approved_for_publication"),
        ],
        base_form_class=FeedbackReviewForm,
    )


class ProblemReportViewSet(ModelViewSet):
    model = PageProblemReport
    name = "page_problems"
    url_prefix = "feedback/page-problems"
    icon = "warning"
    menu_label = _("Page problems")
    index_view_class = VisibleOnlyIndexView
    edit_view_class = VisibleOnlyEditView
    add_to_admin_menu = False
    copy_view_enabled = False
    search_backend_name = None
    search_fields = ["details"]
    list_display = ["created_at", "entry", "kind", "details", "state"]
    list_filter = ["kind", "state"]
    list_export = ["created_at", "entry", "kind", "details", "state"]

    panels = [FieldPanel("details", read_only=True), FieldPanel("state")]


class FeedbackRoleMenuItem(MenuItem):
    """Shown to owners, comms officers and admins: anyone the feedback permission policy lets in."""

    def is_shown(self, request):
        return sentiment_policy.user_has_permission(request.user, "view")


class SentimentViewSet(ViewSet):
    name = "sentiment"
    url_prefix = "feedback/sentiment"
    icon = "view"
    menu_label = _("Sentiment")
    menu_item_class = FeedbackRoleMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.overview, name="index"),
            path("entry/<int:entry_id>/", admin_views.entry_sentiment, name="entry"),
            path("mark/", admin_views.bulk_state, name="bulk_state"),
        ]


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    return FeedbackGroup()


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}


class FeedbackEmailsPanel(BaseSettingsPanel):
    name = "feedback_emails"
    title = _("Feedback emails")
    tab = notifications_tab
    order = 200
    form_class = NotificationPreferenceForm

    def is_active(self):
        return is_service_owner(self.user)

    def get_form(self):
        preference, _created = NotificationPreference.objects.get_or_create(user=self.user)
        if self.request.method == "POST":
            return self.form_class(self.request.POST, instance=preference, prefix=self.name)
        return self.form_class(instance=preference, prefix=self.name)


@hooks.register("register_account_settings_panel")
def register_feedback_emails_panel(request, user, profile):
    return FeedbackEmailsPanel(request, user, profile)


class OwnerAnswerForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        entry = cleaned.get("entry")
        if entry is not None and self.for_user is not None and not can_see_entry(self.for_user, entry):
            self.add_error("entry", _("You can only answer feedback on entries your team or council owns."))
        submission = cleaned.get("submission")
        if entry is not None and submission is not None and submission.entry_id != entry.pk:
            self.add_error("submission", _("Choose a comment left on the same entry."))
        return cleaned


class OwnerAnswerViewSet(SnippetViewSet):
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
    edit_handler = ObjectList(OwnerAnswer.panels, base_form_class=OwnerAnswerForm)

    def get_queryset(self, request):
        return OwnerAnswer.objects.filter(entry__in=visible_entries(request.user)).select_related("entry")


register_permission_policy(OwnerAnswer, AnswerPermissionPolicy(OwnerAnswer), exact_class=True)
register_snippet(OwnerAnswerViewSet)


class FeedbackGroup(ViewSetGroup):
    menu_label = _("Feedback")
    menu_icon = "comment"
    menu_order = 240
    items = (FeedbackViewSet, SentimentViewSet, ProblemReportViewSet)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            FeedbackRoleMenuItem(
                _("Public answers"),
                reverse("wagtailsnippets_feedback_owneranswer:list"),
                icon_name="openquote",
                order=900,
            )
        )
        return items
