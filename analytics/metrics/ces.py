"""CES ("it was easy to…", 1–7) from a score histogram: mean and share of 5–7."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analytics.metrics.stats import histogram_mean, score_histogram
from surveys.scoring.rules import CES_SCALE, ces_easy


@dataclass(frozen=True)
class CesResult:
    """CES ("it was easy to…", 1–7): mean, share of 5–7 in %, n; None values when n = 0."""

    mean: float | None
    easy_share: float | None
    n: int


def ces(counts: Mapping[int, int]) -> CesResult:
    """CES from a {score 1–7: count} histogram; higher means easier."""
    histogram = score_histogram(counts, *CES_SCALE, "CES")
    n = sum(histogram.values())
    easy = sum(count for score, count in histogram.items() if ces_easy(score))
    return CesResult(
        mean=histogram_mean(histogram, n), easy_share=100.0 * easy / n if n else None, n=n
    )
