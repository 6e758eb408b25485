"""The score rules of `surveys.scoring.rules` as database expressions, for any score field
path ("nps_score", "item__response__nps_score", an annotation…): the same thresholds,
so SQL and Python always put a score in the same group."""

from __future__ import annotations

from django.db.models import Case, CharField, Count, Q, Value, When

from surveys.scoring.rules import NPS_GROUPS, NpsGroup, nps_group_range

# The names the group counts go by in aggregates and in `analytics.metrics.nps.nps()`.
NPS_COUNT_NAMES = {
    NpsGroup.PROMOTER: "promoters",
    NpsGroup.PASSIVE: "passives",
    NpsGroup.DETRACTOR: "detractors",
}


def nps_group_q(score: str, group: NpsGroup | str) -> Q:
    """Rows whose `score` falls in the NPS `group` (never rows without a score)."""
    return Q(**{f"{score}__range": nps_group_range(group)})


def nps_group_case(score: str) -> Case:
    """The NPS group name ("promoter", "passive", "detractor") of `score`; NULL without one."""
    return Case(
        *(When(nps_group_q(score, group), then=Value(group.value)) for group in NPS_GROUPS),
        default=Value(None),
        output_field=CharField(),
    )


def nps_group_counts(
    *, score: str = "nps_score", on: str = "pk", distinct: bool = False
) -> dict[str, Count]:
    """One COUNT … FILTER per NPS group: {"promoters": …, "passives": …, "detractors": …}."""
    return {
        name: Count(on, filter=nps_group_q(score, group), distinct=distinct)
        for group, name in NPS_COUNT_NAMES.items()
    }
