"""The models of analytics, one module per area, re-exported here: app label and migrations stay."""

from analytics.models.evaluations import (
    DIMENSION_CHOICES,
    INDICATOR_CHOICES,
    ClvRun,
    CustomerValue,
    DigestRun,
    DimensionWeight,
    EvaluationSnapshot,
    PostPurchaseRule,
    PostPurchaseRun,
    Report,
    ReportFormat,
    ReportStatus,
    ScorecardTarget,
    ValueTier,
)
from analytics.models.purchases import (
    ImportJob,
    ImportKind,
    ImportStatus,
    Purchase,
)

__all__ = [
    "DIMENSION_CHOICES",
    "INDICATOR_CHOICES",
    "ClvRun",
    "CustomerValue",
    "DigestRun",
    "DimensionWeight",
    "EvaluationSnapshot",
    "ImportJob",
    "ImportKind",
    "ImportStatus",
    "PostPurchaseRule",
    "PostPurchaseRun",
    "Purchase",
    "Report",
    "ReportFormat",
    "ReportStatus",
    "ScorecardTarget",
    "ValueTier",
]
