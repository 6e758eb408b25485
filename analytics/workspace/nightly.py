"""The nightly part of the workspace: after the evaluation run, today's figures and every
indicator's drill-down of the new snapshots, so the workspace's pages read kept numbers."""

from __future__ import annotations

import functools

from analytics.evaluations.periods import period_parse
from analytics.metric_queries.survey_metrics import METRICS
from analytics.metrics.scorecard import STANDARD_INDICATORS
from analytics.models import EvaluationSnapshot
from analytics.workspace.drilldown import drilldown_numbers
from analytics.workspace.figures import figures_of, figures_part


def figures_warm(snapshots: list[EvaluationSnapshot]) -> int:
    """Compute today's figures of the given snapshots and every indicator's drill-down (after
    the nightly evaluation run), so the workspace's pages read kept numbers."""
    for snapshot in snapshots:
        figures_of(snapshot, refresh=True)
        period = period_parse(snapshot.period)
        shared = {"metrics": list(METRICS)}  # the indicators share their grouped queries
        for code in STANDARD_INDICATORS:
            compute = functools.partial(drilldown_numbers, period, snapshot, code, shared)
            figures_part(snapshot, f"drill:{code}", compute)
    return len(snapshots)
