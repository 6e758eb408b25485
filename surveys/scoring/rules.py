"""The score rules of SurveyHub, defined once (pure: no Django).

- NPS on 0–10: promoters 9–10, passives 7–8, detractors 0–6.
- CSAT on 1–5: satisfied (the top-2-box) 4–5.
- CES on 1–7 ("it was easy to…"): easy 5–7.

Every app classifies scores through these functions, and every query through the
expressions built from the same thresholds in `surveys.scoring.expressions`; `surveys` sits
below `feedback` and `analytics`, so all of them can import it.
"""

from __future__ import annotations

import numbers
from enum import StrEnum

NPS_SCALE = (0, 10)
CSAT_SCALE = (1, 5)
CES_SCALE = (1, 7)

NPS_PROMOTER_MIN = 9  # 9–10
NPS_PASSIVE_MIN = 7  # 7–8; 0–6 are detractors
NPS_DETRACTOR_MAX = NPS_PASSIVE_MIN - 1
CSAT_SATISFIED_MIN = 4  # top-2-box: 4 and 5
CES_EASY_MIN = 5  # 5, 6 and 7


class NpsGroup(StrEnum):
    """Which NPS group a 0–10 answer falls into."""

    PROMOTER = "promoter"
    PASSIVE = "passive"
    DETRACTOR = "detractor"


# Worst first, the order the dashboard shows them in.
NPS_GROUPS = (NpsGroup.DETRACTOR, NpsGroup.PASSIVE, NpsGroup.PROMOTER)


def _check(score: int, scale: tuple[int, int], name: str) -> int:
    low, high = scale
    if (
        isinstance(score, bool)
        or not isinstance(score, numbers.Integral)
        or not low <= score <= high
    ):
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {score!r}")
    return int(score)


def nps_group_range(group: NpsGroup | str) -> tuple[int, int]:
    """The lowest and highest score (inclusive) of an NPS group."""
    group = NpsGroup(group)
    if group == NpsGroup.PROMOTER:
        return NPS_PROMOTER_MIN, NPS_SCALE[1]
    if group == NpsGroup.PASSIVE:
        return NPS_PASSIVE_MIN, NPS_PROMOTER_MIN - 1
    return NPS_SCALE[0], NPS_DETRACTOR_MAX


def nps_group(score: int) -> NpsGroup:
    """Classify one 0–10 answer: 9–10 promoter, 7–8 passive, 0–6 detractor."""
    score = _check(score, NPS_SCALE, "an NPS answer")
    if score >= NPS_PROMOTER_MIN:
        return NpsGroup.PROMOTER
    if score >= NPS_PASSIVE_MIN:
        return NpsGroup.PASSIVE
    return NpsGroup.DETRACTOR


def csat_satisfied(score: int) -> bool:
    """Is a 1–5 CSAT answer in the top-2-box (4 or 5)?"""
    return _check(score, CSAT_SCALE, "a CSAT answer") >= CSAT_SATISFIED_MIN


def ces_easy(score: int) -> bool:
    """Is a 1–7 CES answer "easy" (5, 6 or 7)?"""
    return _check(score, CES_SCALE, "a CES answer") >= CES_EASY_MIN
