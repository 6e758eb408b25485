"""The workspace's figures computed ahead of the pages: after the nightly evaluation run, and
by a worker when a page finds them missing or stale (`figures_fill`, asked once by
`figures.figures_request`), so the pages read kept numbers and never compute them."""

from __future__ import annotations

import functools
import logging

from analytics.evaluations.periods import local_today, period_parse
from analytics.metric_queries.survey_metrics import METRICS
from analytics.metrics.scorecard import STANDARD_INDICATORS
from analytics.models import EvaluationSnapshot, WorkspaceFigures
from analytics.workspace.drilldown import drilldown_numbers
from analytics.workspace.figures import KEPT_FOR, figures_of, figures_part

logger = logging.getLogger(__name__)


def _parts(snapshot: EvaluationSnapshot) -> None:
    period = period_parse(snapshot.period)
    shared = {"metrics": list(METRICS)}  # the indicators share their grouped queries
    for code in STANDARD_INDICATORS:
        compute = functools.partial(drilldown_numbers, period, snapshot, code, shared)
        figures_part(snapshot, f"drill:{code}", compute)


def figures_warm(snapshots: list[EvaluationSnapshot]) -> int:
    """Compute today's figures of the given snapshots and every indicator's drill-down (after
    the nightly evaluation run), so the workspace's pages read kept numbers."""
    for snapshot in snapshots:
        figures_of(snapshot, refresh=True)
        _parts(snapshot)
    return len(snapshots)


def figures_fill(snapshot: EvaluationSnapshot) -> bool:
    """What a page found missing: the figures when none or stale ones are kept, then every
    drill-down not kept yet (each saved as soon as it is computed). True when it computed
    anything (safe to run twice: a second run finds everything kept)."""
    computed_on = (
        WorkspaceFigures.objects.filter(snapshot=snapshot)
        .values_list("computed_on", flat=True)
        .first()
    )
    stale = computed_on is None or computed_on < local_today() - KEPT_FOR
    if stale:
        figures_of(snapshot, refresh=True)
    parts = WorkspaceFigures.objects.get(snapshot=snapshot).data.get("parts", {})
    missing = [code for code in STANDARD_INDICATORS if f"drill:{code}" not in parts]
    if missing:
        _parts(snapshot)
    logger.info("workspace figures of snapshot %s: %s, %s drill-downs computed",
                snapshot.pk, "computed" if stale else "kept", len(missing))  # fmt: skip
    return stale or bool(missing)
