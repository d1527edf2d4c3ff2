"""Reviews opened by residents' feedback in an entry's history (Wagtail's page log): what each entry says, in the
reader's language, from the facts logged with it (see feedback.reviews)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogFormatter

from ..reviews import CLOSED, OPENED, describe, describe_closing


def register_review_actions(actions):
    """Registered by feedback/wagtail_hooks.py."""

    @actions.register_action(OPENED)
    class ReviewOpened(LogFormatter):
        label = gettext_lazy("Review opened by residents' feedback")

        def format_message(self, log_entry):
            return _("Under review because of residents' feedback. %(why)s") % {"why": describe(log_entry.data)}

    @actions.register_action(CLOSED)
    class ReviewClosed(LogFormatter):
        label = gettext_lazy("Review closed")

        def format_message(self, log_entry):
            return describe_closing(log_entry.data)
