"""Net Promoter Score from response counts, with its 95% interval and a period-change test.

NPS = %promoters (9–10) − %detractors (0–6), in −100…100. The interval uses the variance of
the difference of two proportions from one multinomial sample:
Var(p̂P − p̂D) = [pP + pD − (pP − pD)²] / n.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from analytics.metrics.stats import Z_95, DifferenceTest, check_count, empty_test, z_test

# The groups are defined once, in surveys' pure score rules (re-exported here).
from surveys.scoring.rules import NpsGroup, nps_group

__all__ = ["NpsGroup", "NpsResult", "nps", "nps_change_test", "nps_counts", "nps_group"]


def nps_counts(scores: Iterable[int]) -> tuple[int, int, int]:
    """(promoters, passives, detractors) of raw 0–10 answers, for callers without SQL counts."""
    counts = dict.fromkeys(NpsGroup, 0)
    for score in scores:
        counts[nps_group(score)] += 1
    return counts[NpsGroup.PROMOTER], counts[NpsGroup.PASSIVE], counts[NpsGroup.DETRACTOR]


@dataclass(frozen=True)
class NpsResult:
    """NPS with its sample size and 95% interval; value and shares are None when n = 0.

    Shares are percentages (0…100); the interval is clipped to [−100, 100].
    """

    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None
    promoters: int
    passives: int
    detractors: int
    promoter_share: float | None
    passive_share: float | None
    detractor_share: float | None


def _nps_variance(promoters: int, detractors: int, n: int) -> float:
    """Var(p̂P − p̂D) in proportion units for one multinomial sample of size n > 0."""
    p_p = promoters / n
    p_d = detractors / n
    # max(…, 0) guards against −1e-17 from rounding when all answers are in one group.
    return max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n


def nps(*, promoters: int, passives: int, detractors: int) -> NpsResult:
    """Compute NPS, its group shares and its 95% interval from the three group counts."""
    check_count("promoters", promoters)
    check_count("passives", passives)
    check_count("detractors", detractors)
    n = int(promoters + passives + detractors)
    if n == 0:
        return NpsResult(None, 0, None, None, 0, 0, 0, None, None, None)
    value = 100.0 * (promoters - detractors) / n
    half_width = Z_95 * math.sqrt(_nps_variance(promoters, detractors, n)) * 100.0
    return NpsResult(
        value=value,
        n=n,
        ci_low=max(value - half_width, -100.0),
        ci_high=min(value + half_width, 100.0),
        promoters=int(promoters),
        passives=int(passives),
        detractors=int(detractors),
        promoter_share=100.0 * promoters / n,
        passive_share=100.0 * passives / n,
        detractor_share=100.0 * detractors / n,
    )


def nps_change_test(*, current: NpsResult, previous: NpsResult) -> DifferenceTest:
    """Is the NPS change between two periods real? Two independent samples z-test.

    z = (NPS₁ − NPS₀) / sqrt(Var₁ + Var₀), variances as for the interval; the difference is in
    NPS points. ``small_sample`` is set when either period has fewer than 30 answers.
    """
    if current.n == 0 or previous.n == 0:
        return empty_test(n_current=current.n, n_previous=previous.n)
    difference = (current.promoters - current.detractors) / current.n - (
        previous.promoters - previous.detractors
    ) / previous.n
    variance = _nps_variance(current.promoters, current.detractors, current.n) + _nps_variance(
        previous.promoters, previous.detractors, previous.n
    )
    return z_test(
        difference,
        math.sqrt(variance),
        n_current=current.n,
        n_previous=previous.n,
        scale=100.0,
    )
