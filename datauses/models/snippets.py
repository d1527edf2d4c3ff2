"""Taxonomies shared by every entry: councils, service areas, kinds of data, partners, owner teams."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from base.languages import other_languages
from base.validators import validate_brand_colour

from .choices import AboutYouQuestion, AgeBand
from .tools import OrganisationType

# Council slugs the site's own addresses use ("all councils" in the insight figures and their downloads).
RESERVED_SLUGS = {"all", "report", "data"}
# Organisation fields kept the same in all its language copies (Organisation.save).
SAME_IN_EVERY_LANGUAGE = [
    "about_you_questions",
    "age_profile",
    "postcode_profile",
    "weight_to_population",
    "insight_report_recipients",
]
# The first half of a UK postcode (the outward code): BS1, LS6, CF10, SW1A.
OUTWARD_CODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")


class LanguagesField(models.JSONField):
    """A list of the site's language codes, chosen with tick boxes."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=other_languages(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )


class QuestionsField(models.JSONField):
    """The optional 'about you' questions a council asks, chosen with tick boxes (AboutYouQuestion)."""

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=AboutYouQuestion.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
        )


def parse_profile(text, groups=None, pattern=None):
    """A population profile as a council types it, one group a line ("16-24: 14", "BS1: 3.5"), as
    {group: percent}. Raises ValidationError with a plain message for the first line that is not right."""
    profile = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        group, colon, percent = line.partition(":")
        group = group.strip().upper() if pattern else group.strip()
        try:
            value = float(percent.strip().rstrip("%"))
        except ValueError:
            value = None
        if not colon or value is None or not 0 <= value <= 100:
            raise ValidationError(
                _("Line %(n)s: write the group, a colon and a percentage, like '16-24: 14'.") % {"n": number}
            )
        if (groups is not None and group not in groups) or (pattern is not None and not pattern.fullmatch(group)):
            raise ValidationError(
                _("Line %(n)s: '%(group)s' is not one of the groups.") % {"n": number, "group": group}
            )
        if group in profile:
            raise ValidationError(_("Line %(n)s: '%(group)s' is given twice.") % {"n": number, "group": group})
        profile[group] = value
    if sum(profile.values()) > 100.5:
        raise ValidationError(_("The percentages add up to more than 100."))
    return profile


class Organisation(TranslatableMixin, index.Indexed, models.Model):
    """A council (or other body) that publishes entries in the register."""

    name = models.CharField(max_length=255, help_text=_("The full name, for example 'Bristol City Council'."))
    short_name = models.CharField(
        max_length=60, help_text=_("A short name for menus and filters, for example 'Bristol'.")
    )
    slug = models.SlugField(
        max_length=60,
        help_text=_(
            "Used in web addresses and filters. Lower-case letters, numbers and hyphens. Do not change it "
            "once the register is public, or shared links will break."
        ),
    )
    reference_prefix = models.CharField(
        max_length=5,
        help_text=_("Two to five capital letters that start every entry reference, for example BRS gives BRS-0007."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown in the header of this council's register. Use a version that reads on the brand colour."),
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#1d4f91",
        validators=[validate_brand_colour],
        help_text=_("The header colour, like #1d4f91. White text must be readable on it (contrast 4.5 to 1)."),
    )
    website = models.URLField(blank=True, help_text=_("The council's own website."))
    intro = models.TextField(
        blank=True, help_text=_("One or two sentences shown at the top of this council's register.")
    )
    privacy_notice_url = models.URLField(blank=True, help_text=_("The council's main privacy notice."))
    languages = LanguagesField(
        default=list,
        blank=True,
        help_text=_(
            "The languages this council's pages are offered in, besides English. The language switcher shows "
            "only these. A page in a language you have not ticked sends readers to the English page, so only "
            "tick a language when you plan to translate your entries into it."
        ),
    )
    rights_request_url = models.URLField(
        blank=True,
        help_text=_("Where people ask to see, correct or delete their data. Linked from every entry."),
    )
    dpo_name = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("data protection officer"),
        help_text=_("The name or role of the data protection officer."),
    )
    dpo_email = models.EmailField(
        blank=True,
        verbose_name=_("data protection officer email"),
        help_text=_("A shared inbox the public can write to."),
    )
    dpo_phone = models.CharField(
        max_length=40,
        blank=True,
        verbose_name=_("data protection officer phone"),
        help_text=_("A phone number the public can call."),
    )
    dpo_postal_address = models.TextField(
        blank=True,
        verbose_name=_("data protection officer postal address"),
        help_text=_("For people who cannot or would rather not contact the council online."),
    )
    feedback_retention_months = models.PositiveSmallIntegerField(
        default=12,
        verbose_name=_("keep feedback text for (months)"),
        help_text=_(
            "Comments, page problem reports and reply email addresses are deleted after this many months. "
            "The anonymous counts are kept."
        ),
    )
    publish_feedback_counts = models.BooleanField(
        default=False,
        verbose_name=_("publish feedback counts as open data"),
        help_text=_(
            "Publish how many people gave each answer about each entry, never what they wrote. An entry with fewer "
            "than 10 responses shows no counts, so that nobody can be picked out."
        ),
    )

    about_you_questions = QuestionsField(
        default=list,
        blank=True,
        verbose_name=_("optional 'about you' questions on the feedback form"),
        help_text=_(
            "None are asked unless you tick them. Each is clearly optional on the form, which says why it is asked "
            "and that answers are only reported in groups of 10 or more. Answers are kept apart from comments, "
            "never exported one by one, and deleted with the response."
        ),
    )
    age_profile = models.TextField(
        blank=True,
        verbose_name=_("residents by age band (population profile)"),
        help_text=_(
            "Optional. The share of your adult residents in each age band, from the census, one band a line: "
            "16-24: 14, 25-34: 17, 35-44: 16, 45-54: 16, 55-64: 15, 65-74: 12, 75+: 10. The 'What residents told "
            "us' page compares who answered with it."
        ),
    )
    postcode_profile = models.TextField(
        blank=True,
        verbose_name=_("residents by postcode district (population profile)"),
        help_text=_("Optional. The share of your residents in each postcode district, one a line: BS1: 3.5."),
    )
    insight_report_recipients = models.TextField(
        blank=True,
        verbose_name=_("email the monthly 'What residents told us' report to"),
        help_text=_(
            "Optional. One email address a line, for example your board or data protection officer. The report "
            "for the month before goes out on the first working day of each month."
        ),
    )
    weight_to_population = models.BooleanField(
        default=False,
        verbose_name=_("also show comfort weighted to the population by age"),
        help_text=_(
            "Show, beside the raw figure, how comfortable people would be if those who answered matched your "
            "residents' ages. Needs the age question and the age profile."
        ),
    )

    organisation_type = models.CharField(
        max_length=30,
        choices=OrganisationType.choices,
        default=OrganisationType.LOCAL_AUTHORITY,
        help_text=_("The kind of body it is, as GOV.UK's algorithmic transparency records list them."),
    )
    govuk_slug = models.SlugField(
        max_length=100,
        blank=True,
        verbose_name=_("GOV.UK organisation"),
        help_text=_(
            "The council's name in GOV.UK addresses, like 'bristol-city-council' in "
            "www.gov.uk/government/organisations/bristol-city-council. Used in algorithmic transparency records."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("short_name"),
                FieldPanel("slug"),
                FieldPanel("reference_prefix"),
                FieldPanel("organisation_type"),
                FieldPanel("govuk_slug"),
            ],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("brand_colour"), FieldPanel("website"), FieldPanel("intro")],
            heading=_("Branding"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("privacy_notice_url"),
                FieldPanel("rights_request_url"),
                FieldPanel("dpo_name"),
                FieldPanel("dpo_email"),
                FieldPanel("dpo_phone"),
                FieldPanel("dpo_postal_address"),
            ],
            heading=_("Data protection"),
        ),
        FieldPanel("languages"),
        FieldPanel("feedback_retention_months"),
        FieldPanel("publish_feedback_counts"),
        MultiFieldPanel(
            [
                FieldPanel("about_you_questions"),
                FieldPanel("age_profile"),
                FieldPanel("postcode_profile"),
                FieldPanel("weight_to_population"),
            ],
            heading=_("Who we are hearing from"),
        ),
        FieldPanel("insight_report_recipients"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("short_name"),
        TranslatableField("intro"),
        TranslatableField("dpo_postal_address"),
        SynchronizedField("slug", overridable=False),
        SynchronizedField("languages", overridable=False),
        SynchronizedField("reference_prefix", overridable=False),
        SynchronizedField("brand_colour"),
        SynchronizedField("logo"),
        SynchronizedField("website"),
        SynchronizedField("privacy_notice_url"),
        SynchronizedField("rights_request_url"),
        SynchronizedField("dpo_name"),
        SynchronizedField("dpo_email"),
        SynchronizedField("dpo_phone"),
        SynchronizedField("feedback_retention_months"),
        SynchronizedField("publish_feedback_counts"),
        SynchronizedField("organisation_type"),
        SynchronizedField("govuk_slug"),
        SynchronizedField("about_you_questions", overridable=False),
        SynchronizedField("age_profile", overridable=False),
        SynchronizedField("postcode_profile", overridable=False),
        SynchronizedField("weight_to_population", overridable=False),
        SynchronizedField("insight_report_recipients", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_organisation_slug_per_locale")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # What a council asks residents about themselves, and whom it tells, is the same in every language, at
        # once (wagtail-localize would only copy it at the next sync of the translation).
        super().save(*args, **kwargs)
        if self.translation_key:
            Organisation.objects.filter(translation_key=self.translation_key).exclude(pk=self.pk).update(
                **{name: getattr(self, name) for name in SAME_IN_EVERY_LANGUAGE}
            )

    def clean(self):
        super().clean()
        self.reference_prefix = (self.reference_prefix or "").upper()
        if not re.fullmatch(r"[A-Z]{2,5}", self.reference_prefix):
            raise ValidationError({"reference_prefix": _("Use two to five capital letters, like BRS.")})
        problems = {}
        if self.slug in RESERVED_SLUGS:
            problems["slug"] = ValidationError(
                _("'%(slug)s' is used in the site's own addresses: choose another.") % {"slug": self.slug}
            )
        for name, kwargs in [
            ("age_profile", {"groups": set(AgeBand.values)}),
            ("postcode_profile", {"pattern": OUTWARD_CODE}),
        ]:
            try:
                parse_profile(getattr(self, name), **kwargs)
            except ValidationError as problem:
                problems[name] = problem
        if self.weight_to_population and not (
            AboutYouQuestion.AGE_BAND in (self.about_you_questions or []) and self.age_profile.strip()
        ):
            problems["weight_to_population"] = ValidationError(
                _("To weight by age, tick the age question and enter the age profile.")
            )
        for number, address in enumerate((self.insight_report_recipients or "").splitlines(), start=1):
            try:
                validate_email(address.strip()) if address.strip() else None
            except ValidationError:
                problems["insight_report_recipients"] = ValidationError(
                    _("Line %(n)s: enter an email address, like board@example.gov.uk.") % {"n": number}
                )
                break
        if problems:
            raise ValidationError(problems)

    def report_recipients(self):
        """The addresses the monthly insight report goes to."""
        return [line.strip() for line in (self.insight_report_recipients or "").splitlines() if line.strip()]

    def profile(self, question):
        """The population profile for an 'about you' question, {group: percent} (empty if none was entered, or if
        what is stored was not written through the admin and does not read)."""
        try:
            if question == AboutYouQuestion.AGE_BAND:
                return parse_profile(self.age_profile, groups=set(AgeBand.values))
            if question == AboutYouQuestion.POSTCODE_DISTRICT:
                return parse_profile(self.postcode_profile, pattern=OUTWARD_CODE)
        except ValidationError:
            return {}
        return {}


class TaxonomyTerm(TranslatableMixin, index.Indexed, models.Model):
    """A named term with a slug for filters; translated in the admin, slug kept the same."""

    name = models.CharField(max_length=255, help_text=_("The name people see, in plain words."))
    slug = models.SlugField(
        max_length=80,
        help_text=_("Used in web addresses and filters. Do not change it once public, or shared links will break."),
    )
    description = models.TextField(blank=True, help_text=_("Optional. One or two sentences explaining the term."))

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale")]
    # The slug is the same in every language, so a filtered link works in all of them.
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServiceArea(TaxonomyTerm):
    """A part of the council's work, such as housing or adult social care."""

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("service area")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_service_area_slug_per_locale")]


class DataCategory(TaxonomyTerm):
    """A kind of personal data, named the way a resident would say it."""

    is_special_category = models.BooleanField(
        default=False,
        verbose_name=_("special category data"),
        help_text=_(
            "Tick for the kinds of data UK GDPR Article 9 protects more strongly: health, ethnic origin, "
            "religion, biometrics, sex life or sexual orientation, trade union membership, politics, genetics."
        ),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("is_special_category")]
    translatable_fields = [*TaxonomyTerm.translatable_fields, SynchronizedField("is_special_category")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("kind of data")
        verbose_name_plural = _("kinds of data")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_data_category_slug_per_locale")]


class SharingPartner(TaxonomyTerm):
    """An organisation outside the council that receives or processes data."""

    class Kind(models.TextChoices):
        PUBLIC_BODY = "public_body", _("Public body")
        NHS = "nhs", _("The NHS (a health board, trust or care board)")
        POLICE = "police", _("The police")
        COUNCIL = "council", _("Another council")
        SUPPLIER = "supplier", _("Supplier")
        CHARITY = "charity", _("Charity or voluntary group")
        REGULATOR = "regulator", _("Regulator")
        OTHER = "other", _("Other")

    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.PUBLIC_BODY,
        help_text=_(
            "What sort of organisation this is. Choose the NHS, the police or another council where it is one of "
            "those, and public body for other parts of government. A supplier usually processes data for the council."
        ),
    )
    website = models.URLField(blank=True, help_text=_("Optional. The organisation's own website."))

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("website"),
        FieldPanel("description"),
    ]
    translatable_fields = [*TaxonomyTerm.translatable_fields, SynchronizedField("kind"), SynchronizedField("website")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("sharing partner")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_partner_slug_per_locale")]


class ServiceOwnerTeam(TranslatableMixin, index.Indexed, models.Model):
    """The team that runs a service and answers for its use of data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=255, help_text=_("The team's name as the public would see it."))
    contact_email = models.EmailField(blank=True, help_text=_("A shared team inbox, never a person's own address."))
    contact_phone = models.CharField(
        max_length=40,
        blank=True,
        help_text=_("Optional. A phone number the public can use, for people who are not online."),
    )
    group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The admin group whose members own this team's entries and see their feedback."),
    )

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("group"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale")]
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("organisation"),
        SynchronizedField("contact_email"),
        SynchronizedField("contact_phone"),
        SynchronizedField("group"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["organisation__name", "name"]
        verbose_name = _("service owner team")

    def __str__(self):
        return f"{self.name} ({self.organisation.short_name})"
