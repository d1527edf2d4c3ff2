"""Forms of the feedback admin: reviewing feedback, answering it in public, marking it in bulk, emails."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ..models import FeedbackSubmission, NotificationPreference, PrivateReply, State
from ..permissions import answerable_entries, visible


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


class EntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, entry):
        return f"{entry.title} ({entry.organisation})"


class SubmissionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, submission):
        # What staff recognise a piece of feedback by, never its id.
        when = date_format(timezone.localtime(submission.created_at), "j F Y")
        return f"{submission.entry.title}, {when}, {submission.get_comfort_display()}"


class OwnerAnswerForm(WagtailAdminModelForm):
    """Offers only the entries this person may answer, and only feedback they may see (on the chosen entry
    once there is one), so nobody is shown another team's or council's feedback."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        entry_field, submission_field = self.fields["entry"], self.fields["submission"]
        self.fields["entry"] = EntryChoiceField(
            queryset=answerable_entries(user).select_related("organisation").order_by("title"),
            label=entry_field.label,
            help_text=entry_field.help_text,
            error_messages={"invalid_choice": _("You can only answer feedback on entries your team or council owns.")},
        )
        submissions = visible(user, FeedbackSubmission.objects.all())
        entry_id = self.chosen_entry_id()
        if entry_id is not None:
            submissions = submissions.filter(entry_id=entry_id)
        self.fields["submission"] = SubmissionChoiceField(
            queryset=submissions.select_related("entry").order_by("-created_at"),
            required=False,
            label=submission_field.label,
            help_text=submission_field.help_text,
            error_messages={"invalid_choice": _("Choose a comment left on the same entry.")},
        )

    def chosen_entry_id(self):
        if self.is_bound:
            value = self.data.get(self.add_prefix("entry"), "")
            return int(value) if str(value).isdigit() else None
        chosen = self.instance.entry_id or self.initial.get("entry")
        return getattr(chosen, "pk", chosen)

    def clean(self):
        cleaned = super().clean()
        entry = cleaned.get("entry")
        if (
            entry is not None
            and self.for_user is not None
            and not answerable_entries(self.for_user).filter(pk=entry.pk).exists()
        ):
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


class PrivateReplyForm(forms.ModelForm):
    class Meta:
        model = PrivateReply
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        error_messages = {"body": {"required": _("Write your reply before sending it.")}}
