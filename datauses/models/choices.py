"""The fixed lists an entry chooses from, with the law each one refers to."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ARTICLE_6_URL = "https://www.legislation.gov.uk/eur/2016/679/article/6"
ARTICLE_9_URL = "https://www.legislation.gov.uk/eur/2016/679/article/9"


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PILOT = "pilot", _("Pilot")
    IN_USE = "in_use", _("In use")
    RETIRED = "retired", _("No longer used")


class LawfulBasis(models.TextChoices):
    """The six lawful bases of UK GDPR Article 6(1)."""

    CONSENT = "consent", _("Consent")
    CONTRACT = "contract", _("Contract")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    VITAL_INTERESTS = "vital_interests", _("Vital interests")
    PUBLIC_TASK = "public_task", _("Public task")
    LEGITIMATE_INTERESTS = "legitimate_interests", _("Legitimate interests")


LAWFUL_BASIS_EXPLAINED = {
    LawfulBasis.CONSENT: (
        "6(1)(a)",
        _("You have agreed to us using your data for this. You can change your mind at any time."),
    ),
    LawfulBasis.CONTRACT: ("6(1)(b)", _("We need the data to keep an agreement we have with you.")),
    LawfulBasis.LEGAL_OBLIGATION: ("6(1)(c)", _("A law says we must use the data in this way.")),
    LawfulBasis.VITAL_INTERESTS: ("6(1)(d)", _("We need the data to protect someone's life.")),
    LawfulBasis.PUBLIC_TASK: (
        "6(1)(e)",
        _("We need the data to do a job the law gives the council, in the public interest."),
    ),
    LawfulBasis.LEGITIMATE_INTERESTS: (
        "6(1)(f)",
        _("We need the data for a reasonable purpose that does not unfairly affect you."),
    ),
}


class SpecialCategoryCondition(models.TextChoices):
    """The conditions of UK GDPR Article 9(2) for special category data."""

    EXPLICIT_CONSENT = "explicit_consent", _("Explicit consent (Article 9(2)(a))")
    EMPLOYMENT_SOCIAL_SECURITY = (
        "employment_social_security",
        _("Employment, social security and social protection law (Article 9(2)(b))"),
    )
    VITAL_INTERESTS = "vital_interests", _("Protecting someone's life (Article 9(2)(c))")
    NOT_FOR_PROFIT = "not_for_profit", _("Not-for-profit bodies (Article 9(2)(d))")
    MADE_PUBLIC = "made_public", _("Made public by the person (Article 9(2)(e))")
    LEGAL_CLAIMS = "legal_claims", _("Legal claims and courts (Article 9(2)(f))")
    SUBSTANTIAL_PUBLIC_INTEREST = (
        "substantial_public_interest",
        _("Substantial public interest (Article 9(2)(g))"),
    )
    HEALTH_SOCIAL_CARE = "health_social_care", _("Health or social care (Article 9(2)(h))")
    PUBLIC_HEALTH = "public_health", _("Public health (Article 9(2)(i))")
    ARCHIVING_RESEARCH = "archiving_research", _("Archiving, research and statistics (Article 9(2)(j))")


class DecisionMaking(models.TextChoices):
    NONE = "none", _("No automated decisions")
    ASSISTED = "assisted", _("A computer helps a person decide")
    AUTOMATED = "automated", _("A computer makes decisions on its own")


class AssessmentKind(models.TextChoices):
    DPIA = "dpia", _("Data protection impact assessment")
    EQIA = "eqia", _("Equality impact assessment")
    OTHER = "other", _("Other assessment")


class AboutYouQuestion(models.TextChoices):
    """The optional 'about you' questions a council may add to its feedback form (feedback.forms)."""

    AGE_BAND = "age_band", _("Your age")
    USES_SERVICE = "uses_service", _("Whether you use the service")
    POSTCODE_DISTRICT = "postcode_district", _("The first half of your postcode")


class AgeBand(models.TextChoices):
    """Age bands as the census reports them for adults, so a council can enter its population profile."""

    AGE_16_24 = "16-24", _("16 to 24")
    AGE_25_34 = "25-34", _("25 to 34")
    AGE_35_44 = "35-44", _("35 to 44")
    AGE_45_54 = "45-54", _("45 to 54")
    AGE_55_64 = "55-64", _("55 to 64")
    AGE_65_74 = "65-74", _("65 to 74")
    AGE_75_PLUS = "75+", _("75 or over")


class UsesService(models.TextChoices):
    YES = "yes", _("Yes, I use this service")
    # Own context: Welsh answers "Do you use…?" with "Nac ydw", not the filters' "Na".
    NO = "no", pgettext_lazy("answer to 'Do you use this service?'", "No")
