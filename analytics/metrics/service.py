"""Service-case metrics: response and resolution times, resolution rate, SLA compliance.

Durations come in whatever one unit the caller picks (the dashboard passes hours as floats)
and come out in that unit. Empty input gives None, never 0: "no cases" is not "instant".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analytics.metrics.stats import check_count


@dataclass(frozen=True)
class DurationSummary:
    """Median and 90th percentile of a set of durations, with how many there were."""

    median: float | None
    p90: float | None
    n: int


def duration_summary(durations: Sequence[float]) -> DurationSummary:
    """Median and p90 (linear interpolation between order statistics) of durations.

    Used for time to first response and time to resolution; the p90 shows the long tail a
    median hides. Negative durations mean clock or data errors upstream and are rejected.
    """
    values = np.asarray(durations, dtype="float64")
    if values.size == 0:
        return DurationSummary(None, None, 0)
    if np.any(np.isnan(values)) or np.any(values < 0):
        raise ValueError("durations must be non-negative numbers")
    return DurationSummary(
        median=float(np.median(values)),
        p90=float(np.percentile(values, 90)),
        n=int(values.size),
    )


def resolution_rate(*, resolved: int, opened: int) -> float | None:
    """Cases resolved ÷ cases opened in the period, in %; None when none were opened.

    Can exceed 100 when a period resolves backlog from earlier periods; that is reported, not
    clipped, so the backlog work stays visible.
    """
    check_count("resolved", resolved)
    check_count("opened", opened)
    return 100.0 * resolved / opened if opened else None


def sla_compliance(*, resolved_before_due: int, resolved: int) -> float | None:
    """Cases resolved before their due time ÷ cases resolved, in %; None when none resolved."""
    check_count("resolved_before_due", resolved_before_due)
    check_count("resolved", resolved)
    if resolved_before_due > resolved:
        raise ValueError("resolved_before_due cannot exceed resolved")
    return 100.0 * resolved_before_due / resolved if resolved else None
