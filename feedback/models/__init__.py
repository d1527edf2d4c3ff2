"""The feedback app's models: what residents send and what the council does with it (submissions), and the
sentiment tallies counted from it (tallies), and the published insight worked out from those (insight)."""

from .insight import InsightReportSent, PublishedInsight
from .submissions import (
    COMFORTABLE,
    UNCOMFORTABLE,
    AboutYou,
    Comfort,
    Condition,
    FeedbackSubmission,
    Follower,
    NotificationPreference,
    OwnerAnswer,
    PageProblemReport,
    PrivateReply,
    ReplyContact,
    Review,
    ReviewRule,
    State,
    Trust,
)
from .tallies import COMFORTS, CouncilMonth, EntrySentiment, MonthTally, TallyLock, VersionTally

__all__ = [
    "COMFORTABLE",
    "COMFORTS",
    "UNCOMFORTABLE",
    "AboutYou",
    "Comfort",
    "Condition",
    "CouncilMonth",
    "EntrySentiment",
    "FeedbackSubmission",
    "Follower",
    "InsightReportSent",
    "MonthTally",
    "NotificationPreference",
    "OwnerAnswer",
    "PageProblemReport",
    "PrivateReply",
    "PublishedInsight",
    "ReplyContact",
    "Review",
    "ReviewRule",
    "State",
    "TallyLock",
    "Trust",
    "VersionTally",
]
