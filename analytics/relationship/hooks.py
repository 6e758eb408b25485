"""Relationship analytics in the lower apps' registries (called from analytics/hooks.py): the
customer directory's filters by RFM segment, value tier, lifecycle stage, churn-risk band,
NPS group and purchased category, and the audience filters "lifecycle_stage" and "churn_band"
for distributions."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy

from analytics.evaluations.segments import segment_label
from analytics.metrics.rfm import SEGMENTS
from analytics.models import ChurnBand, ClvRun, CustomerValue, LifecycleStage, Purchase, ValueTier
from surveys.customers.directory_filters import DirectoryFilter, register_directory_filter
from surveys.distribution.audience import AudienceFilter, register_audience_filter
from surveys.models import Response, ResponseStatus
from surveys.scoring.expressions import nps_group_q
from surveys.scoring.rules import NPS_GROUPS, NpsGroup

NPS_GROUP_LABELS = {
    NpsGroup.PROMOTER: gettext_lazy("Promoters"),
    NpsGroup.PASSIVE: gettext_lazy("Passives"),
    NpsGroup.DETRACTOR: gettext_lazy("Detractors"),
}


def _in_latest_run(customers: QuerySet, **lookup) -> QuerySet:
    run_id = ClvRun.objects.order_by("-as_of", "-id").values_list("pk", flat=True).first()
    values = CustomerValue.objects.filter(run_id=run_id, **lookup)
    return customers.filter(pk__in=values.values("customer_id"))


def with_last_nps_group(customers: QuerySet, group: str) -> QuerySet:
    """Customers whose latest completed NPS answer falls in `group`."""
    latest = (
        Response.objects.filter(
            customer=OuterRef("pk"), status=ResponseStatus.COMPLETED, nps_score__isnull=False
        )
        .order_by("-completed_at", "-id")
        .values("nps_score")[:1]
    )
    return customers.annotate(last_nps=Subquery(latest)).filter(nps_group_q("last_nps", group))


CATEGORIES_SHOWN = 200
CATEGORIES_SECONDS = 60


def purchase_categories() -> list[tuple[str, str]]:
    """The product categories bought (at most 200), as choices; kept a minute in the cache:
    the directory builds its form at every page and the purchases are a large table."""

    def read():
        categories = Purchase.objects.exclude(category="").order_by("category")
        values = categories.values_list("category", flat=True).distinct()[:CATEGORIES_SHOWN]
        return [(c, c) for c in values]

    return cache.get_or_set("analytics:directory-categories", read, CATEGORIES_SECONDS)


def with_purchase_in(customers: QuerySet, category: str) -> QuerySet:
    """Customers with an order (not a refund) in `category`."""
    bought = Purchase.objects.filter(category=category, is_refund=False)
    return customers.filter(pk__in=bought.values("customer_id"))


def _choices(pairs):
    return lambda: [(code, str(label)) for code, label in pairs()]


def _clean_one_of(allowed):
    def clean(value):
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not values:
            raise ValueError(gettext_lazy("expected one or more of: %(choices)s.")
                             % {"choices": ", ".join(allowed)})  # fmt: skip
        unknown = [str(v) for v in values if v not in allowed]
        if unknown:
            raise ValueError(
                gettext_lazy("unknown value %(value)s; expected one of: %(choices)s.")
                % {"value": ", ".join(unknown), "choices": ", ".join(allowed)}
            )
        return list(dict.fromkeys(values))

    return clean


def register_relationship_hooks() -> None:
    filters = [
        DirectoryFilter(
            key="rfm_segment", label=gettext_lazy("RFM segment"), order=10,
            choices=_choices(lambda: ((s.code, segment_label(s.code)) for s in SEGMENTS)),
            apply=lambda qs, v: _in_latest_run(qs, rfm_segment=v),
        ),
        DirectoryFilter(
            key="value_tier", label=gettext_lazy("Value tier"), order=20,
            choices=_choices(lambda: ValueTier.choices),
            apply=lambda qs, v: _in_latest_run(qs, value_tier=v),
        ),
        DirectoryFilter(
            key="lifecycle_stage", label=gettext_lazy("Lifecycle stage"), order=30,
            choices=_choices(lambda: LifecycleStage.choices),
            apply=lambda qs, v: _in_latest_run(qs, lifecycle_stage=v),
        ),
        DirectoryFilter(
            key="churn_band", label=gettext_lazy("Churn-risk band"), order=40,
            choices=_choices(lambda: ChurnBand.choices),
            apply=lambda qs, v: _in_latest_run(qs, churn_band=v),
        ),
        DirectoryFilter(
            key="nps_group", label=gettext_lazy("Last NPS group"), order=50,
            choices=_choices(lambda: ((g.value, NPS_GROUP_LABELS[g]) for g in NPS_GROUPS)),
            apply=with_last_nps_group,
        ),
        DirectoryFilter(
            key="purchase_category", label=gettext_lazy("Purchased category"), order=55,
            choices=purchase_categories, apply=with_purchase_in,
        ),
    ]  # fmt: skip
    for directory_filter in filters:
        register_directory_filter(directory_filter)
    register_audience_filter(
        AudienceFilter(
            key="lifecycle_stage", label=gettext_lazy("Lifecycle stage"),
            help_text=gettext_lazy("Customers in any of these lifecycle stages (latest CLV run)."),
            apply=lambda qs, value: _in_latest_run(qs, lifecycle_stage__in=value),
            clean=_clean_one_of(list(LifecycleStage.values)),
        )
    )  # fmt: skip
    register_audience_filter(
        AudienceFilter(
            key="churn_band", label=gettext_lazy("Churn-risk band"),
            help_text=gettext_lazy("Customers in any of these churn-risk bands (latest CLV run)."),
            apply=lambda qs, value: _in_latest_run(qs, churn_band__in=value),
            clean=_clean_one_of(list(ChurnBand.values)),
        )
    )  # fmt: skip
