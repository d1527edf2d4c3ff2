"""The register's models: taxonomy snippets and the register pages."""

from .changes import ChangeNote, PublishedVersion
from .choices import (
    AboutYouQuestion,
    AgeBand,
    AssessmentKind,
    DecisionMaking,
    LawfulBasis,
    SpecialCategoryCondition,
    Status,
    UsesService,
)
from .entries import DataSharing, DataUseCategory, DataUsePage, ImpactAssessment, RelatedEntry, Risk
from .registers import RegisterPage
from .snippets import OUTWARD_CODE, DataCategory, Organisation, ServiceArea, ServiceOwnerTeam, SharingPartner
from .tools import (
    Capability,
    DatePrecision,
    Function,
    OrganisationType,
    Phase,
    Region,
    ToolDataset,
    ToolModel,
    ToolSupplier,
    YesNo,
)
from .upkeep import LinkCheck, ReviewReminder
from .writing import GlossaryTerm, WordToAvoid

__all__ = [
    "OUTWARD_CODE",
    "AboutYouQuestion",
    "AgeBand",
    "AssessmentKind",
    "Capability",
    "ChangeNote",
    "DataCategory",
    "DataSharing",
    "DataUseCategory",
    "DataUsePage",
    "DatePrecision",
    "DecisionMaking",
    "Function",
    "GlossaryTerm",
    "ImpactAssessment",
    "LawfulBasis",
    "LinkCheck",
    "Organisation",
    "OrganisationType",
    "Phase",
    "PublishedVersion",
    "Region",
    "RegisterPage",
    "RelatedEntry",
    "ReviewReminder",
    "Risk",
    "ServiceArea",
    "ServiceOwnerTeam",
    "SharingPartner",
    "SpecialCategoryCondition",
    "Status",
    "ToolDataset",
    "ToolModel",
    "ToolSupplier",
    "UsesService",
    "WordToAvoid",
    "YesNo",
]
