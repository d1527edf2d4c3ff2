"""The two public forms on every entry: what you think, and 'is something on this page wrong?'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from base.redaction import clean_text
from base.text import remove_unsafe_characters
from datauses.models import OUTWARD_CODE, AboutYouQuestion, AgeBand, UsesService

from .models import Comfort, Condition, Follower, PageProblemReport, Trust

COMMENT_MAX_LENGTH = 1200
DETAILS_MAX_LENGTH = 600


class PublicTextField(forms.CharField):
    """Free text from the public. Control and text-direction characters go before any check, so a stray NUL
    or right-to-left override is dropped rather than refused, and never reaches the database."""

    def to_python(self, value):
        if isinstance(value, str):
            value = remove_unsafe_characters(value)
        return super().to_python(value)


class SpamCheckMixin(forms.Form):
    # A field people never see; bots fill it in. Named plainly so password managers leave it alone.
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)


class PostcodeDistrictField(forms.CharField):
    """The first half of a postcode. A whole postcode is accepted and only its first half kept."""

    def to_python(self, value):
        value = " ".join(remove_unsafe_characters(value or "").upper().split())
        if not value:
            return ""
        outward = value.split(" ")[0] if " " in value else (value[:-3] if len(value) > 4 else value)
        if not OUTWARD_CODE.fullmatch(outward):
            raise forms.ValidationError(_("Enter the first half of your postcode, like BS1 or CF10, or leave it empty"))
        return outward


# Chosen, it is the same as not answering: nothing is kept.
PREFER_NOT_TO_SAY = ("", _("Prefer not to say"))


def about_you_fields():
    """The optional 'about you' questions, by AboutYouQuestion code."""
    return {
        AboutYouQuestion.AGE_BAND: forms.ChoiceField(
            choices=[*AgeBand.choices, PREFER_NOT_TO_SAY],
            widget=forms.RadioSelect,
            required=False,
            label=_("How old are you? (optional)"),
            error_messages={"invalid_choice": _("Select an age band, or leave it empty")},
        ),
        AboutYouQuestion.USES_SERVICE: forms.ChoiceField(
            choices=[*UsesService.choices, PREFER_NOT_TO_SAY],
            widget=forms.RadioSelect,
            required=False,
            label=_("Do you use this service? (optional)"),
            error_messages={"invalid_choice": _("Select yes or no, or leave it empty")},
        ),
        AboutYouQuestion.POSTCODE_DISTRICT: PostcodeDistrictField(
            required=False,
            max_length=12,
            label=_("The first half of your postcode (optional)"),
            help_text=_("For example, BS1 or CF10. We keep only the first half, even if you type it all."),
        ),
    }


class FeedbackForm(SpamCheckMixin):
    def __init__(self, *args, questions=(), **kwargs):
        """questions: the council's optional 'about you' questions (Organisation.about_you_questions)."""
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)
        available = about_you_fields()
        self.about_you = [code for code in AboutYouQuestion.values if code in (questions or [])]
        for code in self.about_you:
            self.fields[code] = available[code]

    def about_you_fields(self):
        return [self[code] for code in self.about_you]

    def about_you_answers(self):
        """The 'about you' answers given, by question ({} when none were asked or none answered)."""
        return {code: self.cleaned_data[code] for code in self.about_you if self.cleaned_data.get(code)}

    comfort = forms.ChoiceField(
        choices=Comfort.choices,
        widget=forms.RadioSelect,
        label=_("How comfortable are you with the council using data in this way?"),
        error_messages={"required": _("Select how comfortable you are with the council using data in this way")},
    )
    trust = forms.ChoiceField(
        choices=Trust.choices,
        widget=forms.RadioSelect,
        required=False,
        label=_("Do you trust the council to use this data responsibly?"),
        error_messages={"invalid_choice": _("Select yes, partly, no or not sure")},
    )
    conditions = forms.MultipleChoiceField(
        choices=Condition.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Would any of these make you more comfortable?"),
        help_text=_("Select all that apply."),
        error_messages={"invalid_choice": _("Select only the options shown")},
    )
    comment = PublicTextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("What worries you, or what would help?"),
        help_text=_("Do not include personal details such as your name, address or phone number."),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"max_length": _("What worries you must be %(limit_value)d characters or fewer")},
    )
    publish_consent = forms.BooleanField(required=False, label=_("You may publish my comment without my name"))
    email = forms.EmailField(
        required=False,
        label=_("Email address (optional)"),
        help_text=_(
            "Only if you would like a reply. We will only use it to reply to you, we keep it apart from your "
            "comment, and we delete it with your comment."
        ),
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )

    def clean(self):
        cleaned = super().clean()
        conditions = cleaned.get("conditions") or []
        if Condition.NOTHING in conditions and len(conditions) > 1:
            self.add_error("conditions", _("Select 'Nothing would' on its own, or only the other options"))
        comment, found = clean_text(cleaned.get("comment", ""))
        cleaned["comment"] = comment
        cleaned["comment_had_personal_data"] = found
        return cleaned


class ProblemReportForm(SpamCheckMixin):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "problem-%s")
        super().__init__(*args, **kwargs)

    kind = forms.ChoiceField(
        choices=PageProblemReport.Kind.choices,
        widget=forms.RadioSelect,
        label=_("What is the problem?"),
        error_messages={"required": _("Select what the problem is")},
    )
    details = PublicTextField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Tell us more (optional)"),
        help_text=_("Do not include personal details."),
        max_length=DETAILS_MAX_LENGTH,
        error_messages={"max_length": _("Tell us more must be %(limit_value)d characters or fewer")},
    )

    def clean(self):
        cleaned = super().clean()
        details, found = clean_text(cleaned.get("details", ""))
        cleaned["details"] = details
        cleaned["details_had_personal_data"] = found
        return cleaned


def sign_up_email():
    """The address asked for by the sign-up forms (following an entry, email alerts): required, and no longer
    than Follower.email keeps."""
    return forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be %(limit_value)d characters or fewer"),
        },
    )


class FollowForm(SpamCheckMixin):
    """'Get an email when this entry changes': an address, and nothing else."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "follow-%s")
        super().__init__(*args, **kwargs)

    email = sign_up_email()


class AlertForm(SpamCheckMixin):
    """'Get email alerts': which entries, how often, and an address."""

    def __init__(self, *args, councils=(), areas=(), kinds=(), **kwargs):
        kwargs.setdefault("auto_id", "alert-%s")
        super().__init__(*args, **kwargs)
        # Chosen by their codes, which are the same in every language; shown by their names in the reader's.
        self.fields["council"].choices = [("", _("Every council"))] + [(c.slug, c.localized.name) for c in councils]
        self.fields["service_area"].choices = [("", _("Every service area"))] + [
            (a.slug, a.localized.name) for a in areas
        ]
        self.fields["data"].choices = [("", _("Every kind of data"))] + [(k.slug, k.localized.name) for k in kinds]

    council = forms.ChoiceField(label=_("Council"), required=False)
    service_area = forms.ChoiceField(label=_("Service area"), required=False)
    data = forms.ChoiceField(label=_("Kind of data"), required=False)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Follower.Frequency.choices,
        initial=Follower.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how often you want emails")},
    )
    email = sign_up_email()
