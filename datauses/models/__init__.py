"""The register's models: taxonomy snippets and the register pages."""

from .changes import ChangeNote, PublishedVersion
from .choices import AssessmentKind, DecisionMaking, LawfulBasis, SpecialCategoryCondition, Status
from .entries import DataSharing, DataUseCategory, DataUsePage, ImpactAssessment, RelatedEntry, Risk
from .registers import RegisterPage
from .snippets import DataCategory, Organisation, ServiceArea, ServiceOwnerTeam, SharingPartner
from .upkeep import LinkCheck, ReviewReminder
from .writing import GlossaryTerm, WordToAvoid

__all__ = [
    "AssessmentKind",
    "ChangeNote",
    "DataCategory",
    "DataSharing",
    "DataUseCategory",
    "DataUsePage",
    "DecisionMaking",
    "GlossaryTerm",
    "ImpactAssessment",
    "LawfulBasis",
    "LinkCheck",
    "Organisation",
    "PublishedVersion",
    "RegisterPage",
    "RelatedEntry",
    "ReviewReminder",
    "Risk",
    "ServiceArea",
    "ServiceOwnerTeam",
    "SharingPartner",
    "SpecialCategoryCondition",
    "Status",
    "WordToAvoid",
]
