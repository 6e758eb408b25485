"""95% intervals of the scorecard's indicators from the snapshot's values and sample sizes
(pure computation): Wilson intervals for the rates, the multinomial interval for NPS (from
NPS and the share of promoters of the same answers), mean ± 1.96·sd/√n for CES and the
average CLV (their spread kept with the workspace figures). CLV change (two model runs) and
the median first-response time have none."""

from __future__ import annotations

import math

from analytics.metrics.stats import Z_95

RATES = frozenset({"csat", "promoter_share", "repurchase_rate", "retention_rate",
                   "cross_sell_rate", "resolution_rate"})  # fmt: skip
MEANS = {"ces": "ces_sd", "clv": "clv_sd"}


def wilson(percent: float, n: int) -> tuple[float, float]:
    """The Wilson 95% interval of a rate given in % over n > 0, in %."""
    p = min(max(percent / 100.0, 0.0), 1.0)
    denominator = 1 + Z_95**2 / n
    centre = (p + Z_95**2 / (2 * n)) / denominator
    half = Z_95 * math.sqrt(p * (1 - p) / n + Z_95**2 / (4 * n * n)) / denominator
    return 100.0 * max(centre - half, 0.0), 100.0 * min(centre + half, 1.0)


def nps_interval(nps: float, promoter_share: float, n: int) -> tuple[float, float]:
    """NPS ± 1.96·√(Var(p̂P − p̂D)) for one multinomial sample; p̂D = p̂P − NPS."""
    p_p = promoter_share / 100.0
    p_d = min(max(p_p - nps / 100.0, 0.0), 1.0)
    half = Z_95 * math.sqrt(max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n) * 100.0
    return max(nps - half, -100.0), min(nps + half, 100.0)


def indicator_interval(
    code: str, values: dict[str, float | None], n: int | None, spread: dict | None
) -> tuple[float, float] | None:
    """(low, high) of an indicator, or None without data, sample size or a known spread."""
    value = values.get(code)
    if value is None or not n:
        return None
    if code in RATES:
        return wilson(value, n)
    if code == "nps":
        share = values.get("promoter_share")
        return None if share is None else nps_interval(value, share, n)
    if code in MEANS:
        sd = (spread or {}).get(MEANS[code])
        if sd is None or n < 2:
            return None
        half = Z_95 * sd / math.sqrt(n)
        return value - half, value + half
    return None
