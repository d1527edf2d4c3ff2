"""A register entry (DataUsePage): one service that uses people's data, with its inline rows."""

import datetime

from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from base import memo
from base.blocks import BodyStreamBlock
from base.languages import OfferedLanguagesMixin, for_reader

from ..completeness import CompletenessPanel, NotStatedPanel, not_stated_labels
from ..writing import WritingPanel, hard_to_read
from .choices import (
    ARTICLE_6_URL,
    ARTICLE_9_URL,
    LAWFUL_BASIS_EXPLAINED,
    AssessmentKind,
    DecisionMaking,
    LawfulBasis,
    SpecialCategoryCondition,
    Status,
)
from .rules import going_live_problems
from .tools import Capability, Function, Region, ToolFields, ToolForReader


class DataUsePageQuerySet(PageQuerySet):
    def for_council(self, organisation):
        return self.filter(organisation=organisation)

    def with_sharing_flag(self):
        return self.annotate(
            shares_data=Exists(DataSharing.objects.filter(page=OuterRef("pk"))),
        )

    def for_listing(self):
        """What a register card needs, in one query whatever the number of entries."""
        return (
            self.live()
            .public()
            .select_related("organisation", "service_area", "locale", "alias_of__locale")
            .with_sharing_flag()
        )


DataUsePageManager = PageManager.from_queryset(DataUsePageQuerySet)


# The fields the going-live rules read (datauses/models/rules.py).
GOING_LIVE_FIELDS = (
    "lawful_basis",
    "special_category_condition",
    "leaves_uk",
    "international_transfers",
    "decision_making",
    "profiling",
    "algorithm_description",
    "human_review",
    "no_assessment_reason",
    "challenge_offline",
    "last_reviewed",
    "next_review_due",
    "change_note",
)


def _council_register(parent_page):
    """The register an entry is added under, if it is one council's (entries live only under registers)."""
    register = parent_page.specific if parent_page else None
    return register if getattr(register, "organisation_id", None) else None


def a_year_after(day):
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day + datetime.timedelta(days=365)


class DataUsePageForm(WagtailAdminPageForm):
    """Starts a new entry with its register's council, and keeps entry, council and team consistent."""

    atrs_functions = forms.MultipleChoiceField(
        choices=Function.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Functions (ATRS)"),
        help_text=_("The public functions the tool serves, as GOV.UK lists them."),
    )
    atrs_capabilities = forms.MultipleChoiceField(
        choices=Capability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Capabilities (ATRS)"),
        help_text=_("What kind of thing the tool does, as GOV.UK lists them."),
    )
    atrs_regions = forms.MultipleChoiceField(
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Regions (ATRS)"),
        help_text=_("Where the people the tool affects live."),
    )
    checked_not_stated = forms.BooleanField(
        required=False,
        label=_("I have checked the parts the imported file did not state"),
        help_text=_(
            "This entry was imported from a file that did not say everything an entry needs. Tick this once you "
            "have filled in or checked each part listed under 'Not stated in the source' on the Review tab."
        ),
    )
    reading_age_confirmed = forms.BooleanField(
        required=False,
        label=_("I have checked the reading age"),
        help_text=_(
            "Tick this only if the summary or the purpose reads above age 12 and you cannot make it plainer, "
            "for example because of a legal term. The Plain English tab shows the reading age."
        ),
    )

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        register = _council_register(parent_page)
        if not self.instance.pk and register and "organisation" in self.fields:
            self.fields["organisation"].initial = register.organisation_id
            self.initial["organisation"] = register.organisation_id  # model_to_dict put None there
        if not self.instance.pk:
            today = timezone.localdate()
            # A new entry is reviewed when it goes live, and next a year later (the editor may change either).
            self.initial["last_reviewed"] = self.initial.get("last_reviewed") or today
            self.initial["next_review_due"] = self.initial.get("next_review_due") or a_year_after(today)
        # The note of the version now live is not this version's: start empty, so publishing asks for a new one.
        published = self.published_note()
        if published and (self.instance.change_note or "").strip() == published.strip():
            self.initial["change_note"] = ""

    def published_note(self):
        """The change note of the version now live; "" if it had none; None if the entry was never published."""
        if not self.instance.pk or not self.instance.first_published_at:
            return None
        live = self.instance.live_revision
        if live is not None:
            return (live.content or {}).get("change_note") or ""
        note = self.instance.change_notes.first()  # unpublished since: the last note it was published with
        return note.note if note else ""

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        register = _council_register(self.parent_page)
        if organisation and register and register.organisation_id != organisation.pk:
            self.add_error(
                "organisation",
                _("This entry is in %(council)s's register, so it must belong to %(council)s.")
                % {"council": register.organisation},
            )
        team = cleaned.get("owner_team")
        if organisation and team and team.organisation_id != organisation.pk:
            self.add_error("owner_team", _("Choose a team from the same council as the entry."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be the same as or after the start date."))
        reviewed, due = cleaned.get("last_reviewed"), cleaned.get("next_review_due")
        if reviewed and due and due <= reviewed:
            self.add_error("next_review_due", _("The next review must be after the last review."))
        self.settle_not_stated(cleaned)
        if self.is_going_live():
            self.check_going_live_rules(cleaned)
        return cleaned

    def settle_not_stated(self, cleaned):
        """Parts an import did not state stop being listed once the editor changes them, or ticks that they
        checked them all; none of them may go live unchecked."""
        remaining = [name for name in self.instance.not_stated or [] if name.split(".")[0] not in self.changed_data]
        if cleaned.get("checked_not_stated"):
            remaining = []
        self.instance.not_stated = remaining
        if remaining and self.is_going_live():
            self.add_error(
                None,
                _(
                    "Some parts were not stated in the file this entry was imported from: %(parts)s. Fill them in, "
                    "or check them and tick 'I have checked the parts the imported file did not state' on the "
                    "Review tab."
                )
                % {"parts": ", ".join(not_stated_labels(remaining))},
            )

    def is_going_live(self):
        """Publishing, or sending for approval: drafts may be incomplete, going live may not."""
        return any(action in self.data for action in ("action-publish", "action-submit", "action-restart-workflow"))

    def check_going_live_rules(self, cleaned):
        entry = DataUsePage(**{name: cleaned.get(name) for name in GOING_LIVE_FIELDS})
        kinds = [form.cleaned_data.get("category") for form in self._kept_forms("data_categories")]
        problems = going_live_problems(
            entry, kinds, len(self._kept_forms("impact_assessments")), published_note=self.published_note()
        )
        for field, message in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        self.check_reading_age(cleaned)

    def check_reading_age(self, cleaned):
        """Above reading age 12 the editor confirms they checked; this asks, it does not forbid."""
        if cleaned.get("reading_age_confirmed"):
            return
        texts = {name: cleaned.get(name) or "" for name in ("summary", "purpose")}
        language = self.parent_page.locale.language_code if self.parent_page else ""
        for field, age in hard_to_read(texts, language).items():
            if field in self.fields and field not in self.errors:
                self.add_error(
                    field,
                    _(
                        'This reads at about age %(age)s; aim for 12 or under. Make it plainer, or tick "I have '
                        'checked the reading age" on the Plain English tab and send it again.'
                    )
                    % {"age": age},
                )

    def _kept_forms(self, name):
        formset = self.formsets.get(name)
        if formset is None or not formset.is_valid():  # the main form is cleaned before its formsets
            return []
        return [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]


class DataUsePage(OfferedLanguagesMixin, ToolFields, Page):
    """One register entry: a service that uses people's data, explained in plain English."""

    reference = models.CharField(
        max_length=12,
        blank=True,
        db_index=True,
        help_text=_("Given automatically when the entry is first saved, like BRS-0007. It never changes."),
    )
    summary = models.CharField(
        max_length=300, help_text=_("One sentence that says what this service does with data. Shown on the card.")
    )
    organisation = models.ForeignKey(
        "datauses.Organisation",
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("council"),
        help_text=_("The council responsible for this use of data."),
    )
    service_area = models.ForeignKey(
        "datauses.ServiceArea",
        # Required to go live; a draft imported from a file that names none has none (datauses/register_import.py).
        null=True,
        on_delete=models.PROTECT,
        related_name="entries",
        help_text=_("The part of the council's work this belongs to."),
    )
    owner_team = models.ForeignKey(
        "datauses.ServiceOwnerTeam",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        help_text=_("The team that runs the service. They see and answer feedback on this entry."),
    )

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.IN_USE,
        help_text=_("Planned: not started yet. Pilot: a trial. In use: running now. Retired: stopped."),
    )
    start_date = models.DateField(null=True, blank=True, help_text=_("When the service started, or will start."))
    end_date = models.DateField(null=True, blank=True, help_text=_("When it stopped. Only for entries no longer used."))

    purpose = models.TextField(
        verbose_name=_("what the service does and why it uses data"),
        help_text=_("Explain it as you would to a neighbour. Short sentences. Leave a blank line between paragraphs."),
    )
    not_used_for = models.TextField(
        blank=True,
        verbose_name=_("what the data is not used for"),
        help_text=_("Things people might worry about that this service does not do."),
    )
    benefits = models.TextField(
        verbose_name=_("how this helps residents"), help_text=_("What people get from it, in their terms.")
    )
    alternatives_considered = models.TextField(
        blank=True,
        verbose_name=_("what we considered instead"),
        help_text=_("Other ways of doing this, and why they were not chosen."),
    )
    data_sources = models.TextField(
        verbose_name=_("where the data comes from"),
        help_text=_("For example: from the form you fill in, from other council records, from the police."),
    )
    storage_location = models.TextField(
        verbose_name=_("where the data is stored"), help_text=_("For example: on council computers in the UK.")
    )
    leaves_uk = models.BooleanField(
        default=False,
        verbose_name=_("data leaves the UK"),
        help_text=_("Tick if any of the data is stored or looked at outside the UK."),
    )
    international_transfers = models.TextField(
        blank=True,
        verbose_name=_("where outside the UK, and what protects it"),
        help_text=_("Only if the data leaves the UK: which country, and the legal safeguard that protects it."),
    )
    retention = models.TextField(
        verbose_name=_("how long the data is kept"), help_text=_("And what happens to it afterwards.")
    )

    # No default: a basis nobody chose must not be published as a legal claim. Drafts may leave it empty.
    lawful_basis = models.CharField(
        max_length=30,
        choices=LawfulBasis.choices,
        blank=True,
        help_text=_("The UK GDPR Article 6 basis. Ask your data protection officer if you are not sure."),
    )
    lawful_basis_detail = models.TextField(
        blank=True,
        verbose_name=_("the law or duty behind it"),
        help_text=_("Name the law in plain words, for example 'the Children Act 2004, section 10'."),
    )
    special_category_condition = models.CharField(
        max_length=40,
        choices=SpecialCategoryCondition.choices,
        blank=True,
        help_text=_("Needed when any kind of data is special category data (UK GDPR Article 9)."),
    )

    decision_making = models.CharField(
        max_length=20,
        choices=DecisionMaking.choices,
        blank=True,
        verbose_name=_("automated decision-making"),
        help_text=_(
            "Assisted: a computer helps a person decide. Automated: a computer decides with no person involved."
        ),
    )
    profiling = models.BooleanField(
        default=False,
        help_text=_("Tick if the service sorts or scores people to predict something about them."),
    )
    uses_algorithm = models.BooleanField(
        default=False,
        verbose_name=_("uses an algorithm or AI"),
        help_text=_("Tick if a computer model, set of rules, or AI tool produces results that are acted on."),
    )
    algorithm_description = models.TextField(
        blank=True,
        verbose_name=_("what the computer does and decides"),
        help_text=_("Only if an algorithm or AI is used: what goes in, what comes out and what it is used for."),
    )
    human_review = models.TextField(
        blank=True,
        verbose_name=_("how a person checks the results"),
        help_text=_("Who looks at the computer's results, and when they can change them."),
    )

    no_assessment_reason = models.TextField(
        blank=True,
        verbose_name=_("why no impact assessment was done"),
        help_text=_(
            "Only if there is no impact assessment although the entry uses special category data, automated "
            "decisions or profiling: the reason, in a sentence or two. Your data protection officer will check it."
        ),
    )

    opt_out = models.TextField(
        verbose_name=_("how to opt out or object"),
        help_text=_("Say plainly if people cannot opt out, and why."),
    )
    challenge_route = models.TextField(
        verbose_name=_("how to challenge a decision"),
        help_text=_("The steps to ask for a decision to be looked at again."),
    )
    challenge_url = models.URLField(
        blank=True, verbose_name=_("link to challenge a decision"), help_text=_("Optional. An online form or page.")
    )
    challenge_offline = models.TextField(
        verbose_name=_("a way to challenge that is not online"),
        help_text=_("A phone number, postal address or place to visit."),
    )

    # Required to go live; empty only on a draft imported from a file that does not give them.
    last_reviewed = models.DateField(null=True, help_text=_("When someone last checked this entry is still right."))
    next_review_due = models.DateField(
        null=True,
        help_text=_("When it must be checked again. After this date the page tells readers it is overdue."),
    )

    change_note = models.TextField(
        blank=True,
        verbose_name=_("what changed in this version"),
        help_text=_(
            "For the public: what you changed and why, in a sentence or two, for example 'Added the sharing with "
            "the NHS trust'. Needed each time you publish a new version (not the first). Listed on the entry under "
            "'Changes to this entry' and emailed to people who follow it."
        ),
    )

    show_feedback_summary = models.BooleanField(
        default=True,
        verbose_name=_("show what people said"),
        help_text=_(
            "Show a summary of feedback on the entry: the number of responses, how comfortable people are, "
            "approved comments and your answers. Below 10 responses only the number is shown."
        ),
    )

    body = StreamField(
        BodyStreamBlock(),
        blank=True,
        verbose_name=_("anything else"),
        help_text=_("Optional extra information: headings, text, a call-out, links or a table."),
    )

    objects = DataUsePageManager()
    base_form_class = DataUsePageForm

    parent_page_types = ["datauses.RegisterPage"]
    subpage_types = []

    # What search looks at. Title (boost 2 from Page) and summary weigh more than the rest; see search/backends.py
    # and README "Search". Filter fields are what the register's filters and facet counts use on every backend.
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary", boost=2),
        index.SearchField("purpose"),
        index.SearchField("not_used_for"),
        index.SearchField("benefits"),
        index.SearchField("data_sources"),
        index.SearchField("storage_location"),
        index.SearchField("retention"),
        index.SearchField("lawful_basis_detail"),
        index.SearchField("algorithm_description"),
        index.SearchField("human_review"),
        index.SearchField("body"),
        index.RelatedFields("organisation", [index.SearchField("name"), index.SearchField("short_name")]),
        index.RelatedFields("service_area", [index.SearchField("name")]),
        index.RelatedFields(
            "data_categories",
            [index.RelatedFields("category", [index.SearchField("name")]), index.SearchField("reason")],
        ),
        index.RelatedFields(
            "sharing", [index.RelatedFields("partner", [index.SearchField("name")]), index.SearchField("purpose")]
        ),
        index.RelatedFields("risks", [index.SearchField("risk"), index.SearchField("safeguard")]),
        index.FilterField("organisation"),
        index.FilterField("service_area"),
        index.FilterField("status"),
        index.FilterField("lawful_basis"),
        index.FilterField("decision_making"),
        index.FilterField("uses_algorithm"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("reference", read_only=True),
        MultiFieldPanel(
            [FieldPanel("organisation"), FieldPanel("service_area"), FieldPanel("owner_team")],
            heading=_("Who is responsible"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldRowPanel([FieldPanel("start_date_precision"), FieldPanel("end_date_precision")]),
            ],
            heading=_("Status"),
        ),
        FieldPanel("purpose"),
        FieldPanel("not_used_for"),
        FieldPanel("benefits"),
        FieldPanel("alternatives_considered"),
        FieldPanel("body"),
    ]
    data_panels = [
        HelpPanel(content=_("List every kind of personal data the service uses, and why each one is needed.")),
        InlinePanel("data_categories", heading=_("Kinds of data"), label=_("Kind of data")),
        FieldPanel("data_sources"),
        InlinePanel("sharing", heading=_("Who we share it with"), label=_("Sharing")),
        FieldPanel("storage_location"),
        MultiFieldPanel([FieldPanel("leaves_uk"), FieldPanel("international_transfers")], heading=_("Outside the UK")),
        FieldPanel("retention"),
    ]
    law_panels = [
        MultiFieldPanel(
            [FieldPanel("lawful_basis"), FieldPanel("lawful_basis_detail"), FieldPanel("special_category_condition")],
            heading=_("Lawful basis"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("decision_making"),
                FieldPanel("profiling"),
                FieldPanel("uses_algorithm"),
                FieldPanel("algorithm_description"),
                FieldPanel("human_review"),
            ],
            heading=_("Automated decisions, profiling and AI"),
        ),
        InlinePanel("risks", heading=_("Risks and safeguards"), label=_("Risk")),
        InlinePanel("impact_assessments", heading=_("Impact assessments"), label=_("Assessment")),
        FieldPanel("no_assessment_reason"),
    ]
    rights_panels = [
        FieldPanel("opt_out"),
        MultiFieldPanel(
            [FieldPanel("challenge_route"), FieldPanel("challenge_url"), FieldPanel("challenge_offline")],
            heading=_("Challenging a decision"),
        ),
    ]
    tool_panels = [
        HelpPanel(
            content=_(
                "Only for entries that use an algorithm or AI (ticked on the Law, decisions and risks tab). These are "
                "the parts of a UK Algorithmic Transparency Recording Standard (ATRS) record this entry does not have "
                "elsewhere, so the council can send GOV.UK the record without typing it again. Residents see them in "
                "plain words under 'How the computer tool works'."
            )
        ),
        MultiFieldPanel(
            [
                FieldPanel("atrs_phase"),
                FieldPanel("senior_responsible_owner"),
                FieldPanel("third_party_involved"),
            ],
            heading=_("Who answers for the tool"),
        ),
        InlinePanel("tool_suppliers", heading=_("Suppliers and other bodies"), label=_("Supplier")),
        MultiFieldPanel(
            [
                FieldPanel("detailed_description"),
                FieldPanel("tool_scope"),
                FieldPanel("previous_process"),
            ],
            heading=_("What the tool does and why"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("process_integration"),
                FieldPanel("provided_information"),
                FieldPanel("frequency_and_scale"),
                FieldPanel("required_training"),
            ],
            heading=_("How it is used"),
        ),
        MultiFieldPanel(
            [FieldPanel("system_architecture"), FieldPanel("maintenance")],
            heading=_("How it is built and kept up to date"),
        ),
        InlinePanel("tool_models", heading=_("Models"), label=_("Model")),
        InlinePanel("tool_datasets", heading=_("Datasets"), label=_("Dataset")),
        MultiFieldPanel(
            [
                FieldPanel("atrs_functions"),
                FieldPanel("atrs_capabilities"),
                FieldPanel("atrs_regions"),
                FieldPanel("atrs_task"),
                FieldPanel("atrs_tags"),
                FieldPanel("atrs_version"),
            ],
            heading=_("How GOV.UK files the record"),
        ),
    ]
    writing_panels = [
        WritingPanel(heading=_("How plainly each part reads")),
        FieldPanel("reading_age_confirmed"),
    ]
    review_panels = [
        NotStatedPanel(heading=_("Not stated in the source")),
        FieldPanel("checked_not_stated"),
        CompletenessPanel(heading=_("How complete this entry is")),
        FieldRowPanel([FieldPanel("last_reviewed"), FieldPanel("next_review_due")]),
        FieldPanel("change_note"),
        FieldPanel("show_feedback_summary"),
        InlinePanel("related_entries", heading=_("Related entries"), label=_("Related entry")),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(data_panels, heading=_("Data")),
            ObjectList(law_panels, heading=_("Law, decisions and risks")),
            ObjectList(rights_panels, heading=_("Rights")),
            ObjectList(tool_panels, heading=_("Algorithmic tool (ATRS)")),
            ObjectList(review_panels, heading=_("Review")),
            ObjectList(writing_panels, heading=_("Plain English")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    # Translators translate the words; the reference stays the same in every language.
    override_translatable_fields = [SynchronizedField("reference", overridable=False)]

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")

    # ---- derived facts shown to readers -------------------------------------------------
    @property
    def uses_automation(self):
        return self.uses_algorithm or self.decision_making not in ("", DecisionMaking.NONE)

    @property
    def is_review_overdue(self):
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    @property
    def lawful_basis_article(self):
        return LAWFUL_BASIS_EXPLAINED.get(self.lawful_basis, ("", ""))[0]

    @property
    def lawful_basis_explained(self):
        return LAWFUL_BASIS_EXPLAINED.get(self.lawful_basis, ("", ""))[1]

    article_6_url = ARTICLE_6_URL
    article_9_url = ARTICLE_9_URL

    # ---- references -----------------------------------------------------------------------
    def save(self, *args, **kwargs):
        if not self.reference and self.organisation_id:
            self.reference = self._next_reference()
        return super().save(*args, **kwargs)

    def _next_reference(self):
        prefix = self.organisation.reference_prefix
        existing = DataUsePage.objects.filter(reference__startswith=f"{prefix}-").values_list("reference", flat=True)
        numbers = [int(ref.rsplit("-", 1)[1]) for ref in existing if ref.rsplit("-", 1)[1].isdigit()]
        return f"{prefix}-{max(numbers, default=0) + 1:04d}"

    # ---- languages ------------------------------------------------------------------------
    @cached_property
    def original_entry(self):
        """The entry in the site's main language that this one translates (itself if it is that entry).

        Feedback and answers belong to the original, so people's views are counted together whichever
        language they read the entry in.
        """
        default = Locale.get_default()
        if self.locale_id == default.pk:
            return self
        original = DataUsePage.objects.filter(translation_key=self.translation_key, locale=default).first()
        return original or self

    # ---- rendering ------------------------------------------------------------------------
    def related_for_reader(self, request):
        """The related entries, each in this page's language where it has a version in it.

        A translated page's links may still name the original entries (wagtail-localize copies them as they
        are), so each is swapped for its version in this page's locale, then given the link a reader should
        follow (base.languages.for_reader). Works on a preview's unsaved relations too; only published,
        public entries are linked.
        """
        related_ids = [link.entry_id for link in self.related_entries.all()]
        if not related_ids:
            return []
        keys = DataUsePage.objects.filter(pk__in=related_ids).values("translation_key")
        candidates = list(
            DataUsePage.objects.live()
            .public()
            .filter(Q(pk__in=related_ids) | Q(translation_key__in=keys, locale_id=self.locale_id))
            .select_related("organisation", "locale", "alias_of__locale")
        )
        linked = {entry.pk: entry for entry in candidates}
        here = {entry.translation_key: entry for entry in candidates if entry.locale_id == self.locale_id}
        found = [here.get(linked[pk].translation_key, linked[pk]) for pk in related_ids if pk in linked]
        return for_reader(found, request)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False) or not self.pk:
            context.update(self.parts_for_reader(request))
        else:
            # The published page's parts are the same for every reader until something is published.
            parts = memo.remember(request, ("entry", self.pk), lambda: self.parts_for_reader(request))
            context.update(parts)
            # Shown on the page: set here so that they are not each fetched in a query of their own.
            self.service_area, self.owner_team = parts["service_area"], parts["owner_team"]
        return context

    def parts_for_reader(self, request):
        """What an entry page shows besides the entry's own fields: its kinds of data, sharing, risks,
        assessments, related entries and change notes (a revision or preview holds them in memory)."""
        context = {"service_area": self.service_area, "owner_team": self.owner_team}
        context["data_categories"] = list(self.data_categories.select_related("category"))
        context["sharing"] = list(self.sharing.select_related("partner"))
        # A revision or preview holds its rows in memory, where select_related does nothing: one query each.
        prefetch_related_objects(context["data_categories"], "category")
        prefetch_related_objects(context["sharing"], "partner")
        context["risks"] = list(self.risks.all())
        context["impact_assessments"] = list(self.impact_assessments.all())
        context["related"] = self.related_for_reader(request)
        context["tool"] = (
            ToolForReader(
                self, list(self.tool_suppliers.all()), list(self.tool_models.all()), list(self.tool_datasets.all())
            )
            if self.uses_algorithm
            else None
        )
        # Newest first; a preview of an entry never saved has none.
        context["change_notes"] = list(self.change_notes.all()) if self.pk else []
        context["uses_special_category"] = any(link.category.is_special_category for link in context["data_categories"])
        return context


class DataUseCategory(TranslatableMixin, Orderable):
    """A kind of data an entry uses, and why."""

    page = ParentalKey(DataUsePage, on_delete=models.CASCADE, related_name="data_categories")
    category = models.ForeignKey(
        "datauses.DataCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kind of data"),
        help_text=_("Kinds marked 'special category' need an Article 9 condition on the Law tab."),
    )
    reason = models.TextField(verbose_name=_("why we need it"), help_text=_("One or two plain sentences."))

    panels = [FieldPanel("category"), FieldPanel("reason")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("kind of data used")


class DataSharing(TranslatableMixin, Orderable):
    """An organisation an entry shares data with, and why."""

    page = ParentalKey(DataUsePage, on_delete=models.CASCADE, related_name="sharing")
    partner = models.ForeignKey(
        "datauses.SharingPartner",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who receives the data. Add new organisations under Snippets, Sharing partners."),
    )
    purpose = models.TextField(verbose_name=_("why we share it"), help_text=_("What they use it for."))
    is_processor = models.BooleanField(
        default=False,
        verbose_name=_("processes data for us"),
        help_text=_("Tick if this is a supplier that only handles the data on the council's instructions."),
    )

    panels = [FieldPanel("partner"), FieldPanel("purpose"), FieldPanel("is_processor")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("sharing")


class Risk(TranslatableMixin, Orderable):
    """A risk to people, paired with what the council does about it."""

    page = ParentalKey(DataUsePage, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField(help_text=_("What could go wrong for people."))
    safeguard = models.TextField(help_text=_("What we do to stop it or make it less likely."))

    panels = [FieldPanel("risk"), FieldPanel("safeguard")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("risk")


class ImpactAssessment(TranslatableMixin, Orderable):
    """An impact assessment done for an entry."""

    page = ParentalKey(DataUsePage, on_delete=models.CASCADE, related_name="impact_assessments")
    kind = models.CharField(
        max_length=10,
        choices=AssessmentKind.choices,
        default=AssessmentKind.DPIA,
        help_text=_("A data protection impact assessment (DPIA), an equality impact assessment, or another kind."),
    )
    completed_on = models.DateField(null=True, blank=True, help_text=_("When it was finished."))
    url = models.URLField(blank=True, verbose_name=_("link"), help_text=_("Where it is published, if it is."))
    summary = models.TextField(blank=True, help_text=_("One or two sentences on what it found."))

    panels = [FieldPanel("kind"), FieldPanel("completed_on"), FieldPanel("url"), FieldPanel("summary")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("impact assessment")


class RelatedEntry(TranslatableMixin, Orderable):
    page = ParentalKey(DataUsePage, on_delete=models.CASCADE, related_name="related_entries")
    entry = models.ForeignKey(
        DataUsePage,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Another entry a reader of this one may want to see."),
    )

    panels = [FieldPanel("entry")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("related entry")
