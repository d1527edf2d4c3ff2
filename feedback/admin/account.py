"""The "Feedback emails" panel in a service owner's account settings."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from ..models import NotificationPreference
from ..permissions import is_service_owner
from .forms import NotificationPreferenceForm


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
