"""The models of analytics, one module per area, re-exported here: app label and migrations stay."""

from analytics.models.evaluations import (
    DIMENSION_CHOICES,
    INDICATOR_CHOICES,
    ChurnBand,
    ClvRun,
    CustomerValue,
    DigestRun,
    DimensionWeight,
    EvaluationSnapshot,
    LifecycleStage,
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
from analytics.models.relationship import SegmentPlaybook

__all__ = [
    "DIMENSION_CHOICES",
    "INDICATOR_CHOICES",
    "ChurnBand",
    "ClvRun",
    "CustomerValue",
    "DigestRun",
    "DimensionWeight",
    "EvaluationSnapshot",
    "ImportJob",
    "ImportKind",
    "ImportStatus",
    "LifecycleStage",
    "PostPurchaseRule",
    "PostPurchaseRun",
    "Purchase",
    "Report",
    "ReportFormat",
    "ReportStatus",
    "ScorecardTarget",
    "SegmentPlaybook",
    "ValueTier",
]
