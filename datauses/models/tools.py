"""An entry's algorithmic tool, held so that a UK Algorithmic Transparency Recording Standard (ATRS) record can be
kept without loss: the tool's own fields (on the entry, ToolFields), its suppliers, its models and its datasets.

Field names follow ATRS v3.0 (its template's attribute names, section numbers in comments), the last version
whose whole field list is published; datauses/atrs.py writes and reads the records. Residents see these in
plain words on the entry page, only when the entry uses an algorithm; the admin groups them in their own tab.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable, TranslatableMixin

from base.validators import ChoiceListValidator


class Phase(models.TextChoices):
    """GOV.UK's phases for a record (the finder's values since June 2025)."""

    PRE_DEPLOYMENT = "pre-deployment", _("Not in use yet (pre-deployment)")
    BETA_PILOT = "beta-pilot", _("Being tried (beta or pilot)")
    PRIVATE_BETA = "private-beta", _("Being tried with some people (private beta)")
    PUBLIC_BETA = "public-beta", _("Being tried with anyone (public beta)")
    PRODUCTION = "production", _("In use (production)")
    RETIRED = "retired", _("No longer used (retired)")


class Function(models.TextChoices):
    GENERAL_PUBLIC_SERVICES = "general-public-services", _("General public services")
    DEFENCE = "defence", _("Defence")
    PUBLIC_ORDER_AND_SAFETY = "public-order-and-safety", _("Public order and safety")
    ECONOMIC_AFFAIRS = "economic-affairs", _("Economic affairs")
    ENVIRONMENTAL_PROTECTION = "environmental-protection", _("Environmental protection")
    HOUSING_AND_COMMUNITY_AMENITIES = "housing-and-community-amenities", _("Housing and community amenities")
    HEALTH = "health", _("Health")
    RECREATION_CULTURE_AND_RELIGION = "recreation-culture-and-religion", _("Recreation, culture and religion")
    EDUCATION = "education", _("Education")
    SOCIAL_PROTECTION = "social-protection", _("Social protection")
    REGULATION = "regulation", _("Regulation")


class Capability(models.TextChoices):
    COMPUTER_VISION = "computer-vision", _("Computer vision (reads images or video)")
    COMPUTER_AUDITION = "computer-audition", _("Computer audition (listens to sound)")
    COMPUTER_LINGUISTICS = "computer-linguistics", _("Computer linguistics (reads or writes language)")
    ROBOTICS = "robotics", _("Robotics")
    FORECASTING = "forecasting", _("Forecasting")
    DISCOVERY = "discovery", _("Discovery (finds patterns)")
    PLANNING = "planning", _("Planning")
    CREATION = "creation", _("Creation (makes new content)")
    ANALYSIS = "analysis", _("Analysis")
    MANAGEMENT = "management", _("Management")
    OTHER = "other", _("Other")


class Region(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    UK = "uk", _("UK")
    GREAT_BRITAIN = "great-britain", _("Great Britain")
    ENGLAND_AND_WALES = "england-and-wales", _("England and Wales")
    NORTHERN_IRELAND = "northern-ireland", _("Northern Ireland")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    ENGLAND = "england", _("England")
    LONDON = "london", _("London")
    NORTH_EAST = "north-east", _("North East")
    NORTH_WEST = "north-west", _("North West")
    YORKSHIRE_AND_THE_HUMBER = "yorkshire-and-the-humber", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east-midlands", _("East Midlands")
    WEST_MIDLANDS = "west-midlands", _("West Midlands")
    SOUTH_EAST = "south-east", _("South East")
    EAST_OF_ENGLAND = "east-of-england", _("East of England")
    SOUTH_WEST = "south-west", _("South West")


class OrganisationType(models.TextChoices):
    MINISTERIAL_DEPARTMENT = "ministerial-department", _("Ministerial department")
    NON_MINISTERIAL_DEPARTMENT = "non-ministerial-department", _("Non-ministerial department")
    AGENCY_OR_PUBLIC_BODY = "agency-or-public-body", _("Agency or public body")
    LOCAL_AUTHORITY = "local-authority", _("Local authority")
    DEVOLVED_ADMINISTRATION = "devolved-administration", _("Devolved administration")
    HIGH_PROFILE_GROUP = "high-profile-group", _("High profile group")
    PUBLIC_CORPORATION = "public-corporation", _("Public corporation")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class DatePrecision(models.TextChoices):
    DAY = "day", _("The day")
    MONTH = "month", _("Only the month")


class ToolFields(models.Model):
    """The ATRS fields an entry holds about its algorithmic tool (besides those it already has: name, summary,
    team, benefits, alternatives considered, human review, challenge route, risks and impact assessments)."""

    atrs_phase = models.CharField(
        max_length=20,
        choices=Phase.choices,
        blank=True,
        verbose_name=_("phase (ATRS)"),
        help_text=_("GOV.UK's phase for the tool. Leave empty to use the entry's status."),
    )
    senior_responsible_owner = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("The role that answers for the tool, like 'Director of Housing'. A role, never a person's name."),
    )
    third_party_involved = models.CharField(
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        verbose_name=_("a supplier or another body is involved"),
        help_text=_("Whether anyone outside the council built, runs or supplies the tool. Add them below."),
    )
    detailed_description = models.TextField(
        blank=True, help_text=_("How the tool works, step by step, in more detail than the summary.")
    )
    tool_scope = models.TextField(
        blank=True,
        verbose_name=_("what the tool is for and not for"),
        help_text=_("What it was designed to do, and what it must not be used for."),
    )
    previous_process = models.TextField(
        blank=True, help_text=_("How the work was done before the tool, and what changed.")
    )
    process_integration = models.TextField(
        blank=True,
        verbose_name=_("how it fits into the work"),
        help_text=_("Where the tool's results go in the service, and who uses them."),
    )
    provided_information = models.TextField(
        blank=True,
        verbose_name=_("what staff are shown"),
        help_text=_("What the tool shows the people who use its results, and how."),
    )
    frequency_and_scale = models.TextField(
        blank=True,
        verbose_name=_("how often and how much it is used"),
        help_text=_("For example: 'About 2,000 applications a month, each checked once'."),
    )
    required_training = models.TextField(
        blank=True, help_text=_("What training staff get before they use the tool's results.")
    )
    system_architecture = models.TextField(
        blank=True, help_text=_("The parts of the system and how they connect, or a link to where this is written.")
    )
    maintenance = models.TextField(
        blank=True, help_text=_("How and how often the tool is checked, updated or retrained, and by whom.")
    )
    atrs_functions = models.JSONField(
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Function.values)],
        verbose_name=_("functions (ATRS)"),
        help_text=_("The public functions the tool serves, as GOV.UK lists them."),
    )
    atrs_capabilities = models.JSONField(
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Capability.values)],
        verbose_name=_("capabilities (ATRS)"),
        help_text=_("What kind of thing the tool does, as GOV.UK lists them."),
    )
    atrs_regions = models.JSONField(
        default=list,
        blank=True,
        validators=[ChoiceListValidator(Region.values)],
        verbose_name=_("regions (ATRS)"),
        help_text=_("Where the people the tool affects live."),
    )
    atrs_task = models.CharField(
        max_length=255, blank=True, verbose_name=_("task (ATRS)"), help_text=_("The tool's task in a few words.")
    )
    atrs_tags = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("other tags (ATRS)"),
        help_text=_("Words that help people find the record on GOV.UK, separated by commas."),
    )
    atrs_version = models.CharField(
        max_length=10,
        blank=True,
        verbose_name=_("ATRS version"),
        help_text=_("The version of the standard a record imported from elsewhere used. Leave empty for new entries."),
    )
    start_date_precision = models.CharField(
        blank=True,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("start date known to"),
        help_text=_("Choose 'only the month' when the source gives a month and year, not a day."),
    )
    end_date_precision = models.CharField(
        blank=True,
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        verbose_name=_("end date known to"),
        help_text=_("Choose 'only the month' when the source gives a month and year, not a day."),
    )

    not_stated = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text=_("The parts the file this entry was imported from did not state (datauses/register_import.py)."),
    )
    source_id = models.CharField(
        max_length=160,
        blank=True,
        db_index=True,
        editable=False,
        help_text=_("Which record of an imported file this entry came from, so importing it again changes nothing."),
    )

    class Meta:
        abstract = True


companies_house_number = RegexValidator(
    r"^[A-Z0-9]{8}$",
    _("A Companies House number is 8 letters and digits, like 02878495 or SC123456. Keep any zeros at the start."),
)


class ToolSupplier(TranslatableMixin, Orderable):
    """A supplier or other body involved in an entry's algorithmic tool (ATRS 2.1.4.1 to 2.1.4.5)."""

    page = ParentalKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="tool_suppliers")
    name = models.CharField(max_length=255, help_text=_("The company or public body."))
    companies_house_number = models.CharField(
        max_length=8,
        blank=True,
        validators=[companies_house_number],
        help_text=_("Eight letters and digits, zeros at the start kept (02878495). Empty for a public body."),
    )
    role = models.TextField(help_text=_("What they do for the tool: built it, host it, run it, supply data."))
    procurement_route = models.CharField(
        max_length=255,
        blank=True,
        verbose_name=_("how they were chosen"),
        help_text=_("The procurement procedure, like 'open procedure' or 'call-off from a framework'."),
    )
    data_access_terms = models.TextField(
        blank=True,
        verbose_name=_("what data they can see, and on what terms"),
        help_text=_("For example: 'Only to run the tool, under our contract; deleted when it ends'."),
    )

    panels = ["name", "companies_house_number", "role", "procurement_route", "data_access_terms"]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("supplier")


class ToolModel(TranslatableMixin, Orderable):
    """One model inside an entry's algorithmic tool (ATRS 2.4.2)."""

    page = ParentalKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="tool_models")
    name = models.CharField(max_length=255, help_text=_("The model's name."))
    version = models.CharField(max_length=60, blank=True, help_text=_("Its version, if it has one."))
    task = models.TextField(help_text=_("What the model does, in a sentence."))
    model_input = models.TextField(verbose_name=_("what goes in"), help_text=_("The information the model reads."))
    model_output = models.TextField(verbose_name=_("what comes out"), help_text=_("What the model gives back."))
    architecture = models.TextField(
        blank=True, help_text=_("The kind of model, like 'a set of rules' or 'a gradient-boosted decision tree'.")
    )
    performance = models.TextField(blank=True, help_text=_("How well it works, and how that was measured."))
    datasets = models.TextField(
        blank=True,
        verbose_name=_("data it was built and tested on"),
        help_text=_("The datasets used to build, check or test it, and what each was used for."),
    )

    panels = ["name", "version", "task", "model_input", "model_output", "architecture", "performance", "datasets"]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("model")


class ToolDataset(TranslatableMixin, Orderable):
    """One dataset an entry's algorithmic tool uses (ATRS 2.4.3)."""

    page = ParentalKey("datauses.DataUsePage", on_delete=models.CASCADE, related_name="tool_datasets")
    name = models.CharField(max_length=255, help_text=_("The dataset's name."))
    modality = models.CharField(
        max_length=60, blank=True, help_text=_("The main kind of data: tables, text, images, sound or video.")
    )
    description = models.TextField(help_text=_("What is in it."))
    quantities = models.TextField(blank=True, help_text=_("How many records, and over what time."))
    sensitive_attributes = models.TextField(
        blank=True, help_text=_("Anything in it about people's health, ethnicity, religion, sex life and so on.")
    )
    completeness = models.TextField(
        blank=True,
        verbose_name=_("how complete and representative it is"),
        help_text=_("Who or what is missing from it, and what that could mean."),
    )
    source_url = models.CharField(
        max_length=500,
        blank=True,
        verbose_name=_("where it is published"),
        help_text=_("A link, or why it is not published."),
    )
    collection = models.TextField(blank=True, help_text=_("How and why the data was collected."))
    cleaning = models.TextField(blank=True, help_text=_("What was done to tidy or correct it."))
    sharing_agreements = models.TextField(blank=True, help_text=_("Agreements under which it is shared."))
    access_and_storage = models.TextField(blank=True, help_text=_("Who can see it, where it is kept and for how long."))

    panels = [
        "name",
        "modality",
        "description",
        "quantities",
        "sensitive_attributes",
        "completeness",
        "source_url",
        "collection",
        "cleaning",
        "sharing_agreements",
        "access_and_storage",
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("dataset")


# What residents read about the tool, in the entry page's words (templates/datauses/includes/tool_details.html).
READER_ROWS = [
    ("senior_responsible_owner", _("Who answers for it")),
    ("atrs_phase", _("Stage")),
    ("detailed_description", _("How it works")),
    ("tool_scope", _("What it is for, and not for")),
    ("previous_process", _("How this was done before")),
    ("process_integration", _("How it fits into the work")),
    ("provided_information", _("What staff are shown")),
    ("frequency_and_scale", _("How often it is used")),
    ("required_training", _("Training for staff")),
    ("system_architecture", _("How it is built")),
    ("maintenance", _("How it is kept up to date")),
]
DATASET_ROWS = [
    ("modality", _("Kind of data")),
    ("description", _("What is in it")),
    ("quantities", _("How much")),
    ("sensitive_attributes", _("Sensitive details in it")),
    ("completeness", _("Who or what is missing")),
    ("source_url", _("Where it is published")),
    ("collection", _("How it was collected")),
    ("cleaning", _("How it was tidied")),
    ("sharing_agreements", _("Sharing agreements")),
    ("access_and_storage", _("Who can see it and where it is kept")),
]


class ToolForReader:
    """An entry's tool as the entry page shows it: the rows that have something to say."""

    def __init__(self, page, suppliers, models_, datasets):
        self.rows = []
        for name, label in READER_ROWS:
            value = page.get_atrs_phase_display() if name == "atrs_phase" else getattr(page, name)
            if value:
                self.rows.append((label, value))
        self.suppliers, self.models = suppliers, models_
        self.datasets = datasets
        for dataset in datasets:
            dataset.rows = [(label, getattr(dataset, name)) for name, label in DATASET_ROWS if getattr(dataset, name)]
        self.has_details = bool(self.rows or suppliers or models_ or datasets)
