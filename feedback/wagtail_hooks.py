"""Registers the feedback admin (feedback/admin/) with Wagtail. Each person sees only what their role allows."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin import council_history, review_rules
from .admin.account import FeedbackEmailsPanel
from .admin.dashboard import add_owners_desk
from .admin.history import register_review_actions
from .admin.viewsets import FeedbackGroup, OwnerAnswerViewSet
from .permissions import register_policies

# Before any viewset asks for a policy, so that Wagtail does not make a default one.
register_policies()
register_snippet(OwnerAnswerViewSet)


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    return FeedbackGroup()


@hooks.register("register_account_settings_panel")
def register_feedback_emails_panel(request, user, profile):
    return FeedbackEmailsPanel(request, user, profile)


@hooks.register("construct_homepage_panels")
def register_owners_desk(request, panels):
    add_owners_desk(request, panels)


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    register_review_actions(actions)


@hooks.register("register_admin_urls")
def register_review_rule_urls():
    return review_rules.urlpatterns()


@hooks.register("register_admin_urls")
def register_council_history_urls():
    return council_history.urlpatterns()


@hooks.register("register_reports_menu_item")
def register_council_history_menu_item():
    return council_history.menu_item()
