"""The register's models: taxonomy snippets and the register pages."""

from .choices import AssessmentKind, DecisionMaking, LawfulBasis, SpecialCategoryCondition, Status
from .entries import DataSharing, DataUseCategory, DataUsePage, ImpactAssessment, RelatedEntry, Risk
from .registers import RegisterPage
from .snippets import DataCategory, Organisation, ServiceArea, ServiceOwnerTeam, SharingPartner

__all__ = [
    "AssessmentKind",
    "DataCategory",
    "DataSharing",
    "DataUseCategory",
    "DataUsePage",
    "DecisionMaking",
    "ImpactAssessment",
    "LawfulBasis",
    "Organisation",
    "RegisterPage",
    "RelatedEntry",
    "Risk",
    "ServiceArea",
    "ServiceOwnerTeam",
    "SharingPartner",
    "SpecialCategoryCondition",
    "Status",
]
