"""Which feedback topics and aspects drive NPS down: NPS with vs without each, weighted."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from analytics.metric_queries.filters import MetricFilters, _feedback_q, completed_responses
from analytics.metrics.nps import nps
from feedback.models import FeedbackAspect, FeedbackTopic
from surveys.scoring.expressions import nps_group_counts


@dataclass(frozen=True)
class Driver:
    """A topic or aspect: NPS of responses mentioning it vs not, weighted by how often it is
    mentioned. impact = (NPS with − NPS without) × mention share; most negative first."""

    kind: str  # "topic" | "aspect"
    key: str
    name: str
    mentions: int
    mention_share: float
    nps_with: float | None
    nps_without: float | None
    impact: float | None = field(default=None)
    sentiment: float | None = None  # mean sentiment score 0–1 of its feedback items
    negative: int = 0  # its items (topics) or clauses (aspects) labelled negative


# kind, link model, key, name key (None: the key is the name), sentiment score, sentiment label
_DRIVER_SOURCES = (
    ("topic", FeedbackTopic, "topic_id", "topic__name", "item__sentiment_score",
     "item__sentiment_label"),
    ("aspect", FeedbackAspect, "aspect", None, "score", "label"),
)  # fmt: skip


def topic_drivers(*, filters: MetricFilters = MetricFilters(), limit: int = 20) -> list[Driver]:
    """Rank feedback topics and aspects by their weighted effect on NPS.

    Three queries: the NPS counts of all answers, then per kind one pass over the feedback
    items under the filters, which carry their response's score — so the topics of 100,000
    items never join a million responses. A topic's sentiment counts all its items, NPS ones
    or not; its mentions count distinct responses with an NPS answer."""
    total = (
        completed_responses(filters).filter(nps_score__isnull=False).aggregate(**nps_group_counts())
    )
    n = sum(total.values())
    if not n:
        return []
    under = _feedback_q(filters, prefix="item__")
    drivers = []
    for kind, model, key, name_key, score, label in _DRIVER_SOURCES:
        rows = (
            model.objects.filter(under)
            .values(*([key, name_key] if name_key else [key]))
            .annotate(
                **nps_group_counts(score="item__nps_score", on="item__response_id", distinct=True),
                sentiment=Avg(score),
                negative=Count("pk", filter=Q(**{label: "negative"})),
            )
            .order_by()
        )
        for row in rows:
            counts = (row["promoters"], row["passives"], row["detractors"])
            mentions = sum(counts)
            if not mentions:  # only items from other channels: no NPS to compare
                continue
            rest = [total[k] - row[k] for k in ("promoters", "passives", "detractors")]
            with_ = nps(promoters=counts[0], passives=counts[1], detractors=counts[2]).value
            without = nps(promoters=rest[0], passives=rest[1], detractors=rest[2]).value
            share = mentions / n
            impact = None if with_ is None or without is None else (with_ - without) * share
            drivers.append(
                Driver(kind, str(row[key]), str(row[name_key] if name_key else row[key]),
                       mentions, 100.0 * share, with_, without, impact, row["sentiment"],
                       row["negative"])
            )  # fmt: skip
    drivers.sort(key=lambda d: (d.impact is None, d.impact if d.impact is not None else 0))
    return drivers[:limit]
