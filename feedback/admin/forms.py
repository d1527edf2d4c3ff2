"""Forms of the feedback admin: reviewing feedback, answering it in public, marking it in bulk, emails."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import NotificationPreference, State
from ..permissions import can_see_entry


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


class BulkStateForm(forms.Form):
    state = forms.ChoiceField(choices=State.choices, label=_("Mark them as"))
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason (needed for 'Not actionable')"),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == State.NOT_ACTIONABLE and not cleaned.get("reason"):
            self.add_error("reason", _("Say why this feedback is not actionable."))
        return cleaned


class NotificationPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
