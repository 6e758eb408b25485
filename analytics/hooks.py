"""What analytics offers the lower apps through their registries (wired in AnalyticsConfig.ready):

- surveys' audience filters "purchased_within_days", "rfm_segment", "value_tier";
- the customer 360 "value" panel and the `value` of `customers/{id}/` (RFM, CLV, P(alive));
- `customer_value_tier(customer_id)` for feedback's case priority, registered with
  feedback.cases.priority.register_value_tier_provider;
- the RFM segment and value tier of the results' pre-aggregate (surveys.results.segments).

All read the latest CLV run; a customer absent from it (no purchases) has no value tier.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from analytics.evaluations.segments import segment_label
from analytics.metrics.rfm import SEGMENTS
from analytics.models import ClvRun, CustomerValue, Purchase, ValueTier
from analytics.referrals.hooks import register_referral_hooks
from analytics.relationship.hooks import register_relationship_hooks
from analytics.relationship.next_category import customer_next_category
from analytics.relationship.queries import at_risk_rows
from feedback.cases.priority import register_value_tier_provider
from surveys.customers.panels import (
    CustomerPanel,
    PanelContent,
    register_customer_panel,
    register_customer_value,
)
from surveys.design.piping import register_piping_field
from surveys.distribution.audience import AudienceFilter, register_audience_filter
from surveys.distribution.email_fields import EmailField, register_email_field
from surveys.results.segments import FactSegment, register_fact_segment

MAX_DAYS = 3650


def _latest_run_id() -> int | None:
    return ClvRun.objects.order_by("-as_of", "-id").values_list("pk", flat=True).first()


def _latest_value(customer_id: int) -> CustomerValue | None:
    run_id = _latest_run_id()
    if run_id is None:
        return None
    values = CustomerValue.objects.select_related("run")
    return values.filter(run_id=run_id, customer_id=customer_id).first()


def customer_value_tier(customer_id: int) -> str | None:
    """ "high" / "medium" / "low" from the latest CLV run, or None when unknown."""
    value = _latest_value(customer_id)
    return value.value_tier if value else None


def customer_value_tiers(customer_ids: list[int]) -> dict[int, str]:
    """The same for many customers, in two queries: {customer id: tier} of those known."""
    run_id = _latest_run_id()
    if run_id is None or not customer_ids:
        return {}
    rows = CustomerValue.objects.filter(run_id=run_id, customer_id__in=customer_ids)
    return dict(rows.exclude(value_tier="").values_list("customer_id", "value_tier"))


def customer_value(customer) -> dict[str, Any] | None:
    """The `value` block of the customer API: RFM scores and segment, CLV, P(alive)."""
    value = _latest_value(customer.pk)
    if value is None:
        return None
    return {
        "as_of": value.run.as_of.isoformat(),
        "recency_days": value.recency_days, "orders": value.orders, "spend": str(value.spend),
        "r_score": value.r_score, "f_score": value.f_score, "m_score": value.m_score,
        "rfm_segment": value.rfm_segment, "rfm_segment_name": segment_label(value.rfm_segment),
        "clv": str(value.clv), "p_alive": round(value.p_alive, 4),
        "expected_orders_1y": round(value.expected_orders_1y, 4), "value_tier": value.value_tier,
        "value_tier_label": str(value.get_value_tier_display()),
    }  # fmt: skip


def value_panel(customer, request):
    value = _latest_value(customer.pk)
    reasons = at_risk_rows([value])[0].reasons if value and value.churn_band else []
    segment_name = segment_label(value.rfm_segment) if value else ""
    context = {"value": value, "segment_name": segment_name, "churn_reasons": reasons}
    suggestion = (
        customer_next_category(customer_id=customer.pk, run_id=value.run_id) if value else None
    )
    if suggestion is not None:  # the categories of the rules behind it, strongest first
        bought = dict.fromkeys(f"“{rule.antecedent}”" for rule in suggestion.evidence)
        context["next_category"] = suggestion
        context["next_category_from"] = pgettext("list separator", ", ").join(bought)
    return PanelContent(template="analytics/panels/value.html", context=context)


# Audience filters ------------------------------------------------------------------------


def _clean_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise ValueError(_("expected a whole number of days from 1 to %(n)d.") % {"n": MAX_DAYS})
    days = int(value)
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(_("expected a whole number of days from 1 to %(n)d.") % {"n": MAX_DAYS})
    return days


def _clean_choices(allowed: list[str]):
    def clean(value: Any) -> list[str]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not values:
            raise ValueError(
                _("expected one or more of: %(choices)s.") % {"choices": ", ".join(allowed)}
            )
        unknown = [str(v) for v in values if v not in allowed]
        if unknown:
            raise ValueError(
                _("unknown value %(value)s; expected one of: %(choices)s.")
                % {"value": ", ".join(unknown), "choices": ", ".join(allowed)}
            )
        return list(dict.fromkeys(values))

    return clean


def _purchased_within_days(customers: QuerySet, days: int) -> QuerySet:
    since = timezone.now() - dt.timedelta(days=days)
    buyers = Purchase.objects.filter(ordered_at__gte=since, is_refund=False)
    return customers.filter(pk__in=buyers.values("customer_id"))


def _in_latest_run(customers: QuerySet, **lookup) -> QuerySet:
    values = CustomerValue.objects.filter(run_id=_latest_run_id(), **lookup)
    return customers.filter(pk__in=values.values("customer_id"))


def register_audience_filters() -> None:
    register_audience_filter(
        AudienceFilter(
            key="purchased_within_days",
            label=gettext_lazy("Purchased within N days"),
            help_text=gettext_lazy("Customers with an order (not a refund) in the last N days."),
            apply=_purchased_within_days,
            clean=_clean_days,
        )
    )
    register_audience_filter(
        AudienceFilter(
            key="rfm_segment",
            label=gettext_lazy("RFM segment"),
            help_text=gettext_lazy("Customers in any of these RFM segments (latest CLV run)."),
            apply=lambda qs, value: _in_latest_run(qs, rfm_segment__in=value),
            clean=_clean_choices([s.code for s in SEGMENTS]),
        )
    )
    register_audience_filter(
        AudienceFilter(
            key="value_tier",
            label=gettext_lazy("Value tier"),
            help_text=gettext_lazy("Customers in any of these value tiers (latest CLV run)."),
            apply=lambda qs, value: _in_latest_run(qs, value_tier__in=value),
            clean=_clean_choices(list(ValueTier.values)),
        )
    )


def _purchase_categories() -> list[tuple[str, str]]:
    categories = Purchase.objects.exclude(category="").order_by("category")
    return [(c, c) for c in categories.values_list("category", flat=True).distinct()[:200]]


def _latest_order(customer, as_of=None) -> str:
    """The customer's latest order (not a refund) up to `as_of`: the order a post-purchase
    invitation made then is about."""
    purchases = Purchase.objects.filter(customer_id=customer.pk, is_refund=False)
    if as_of is not None:
        purchases = purchases.filter(ordered_at__lte=as_of)
    return purchases.order_by("-ordered_at", "-id").values_list("order_id", flat=True).first() or ""


def register_distribution_hooks() -> None:
    """The audience filter "purchase_category" and the {order} placeholder of invitation emails."""
    register_audience_filter(
        AudienceFilter(
            key="purchase_category", label=gettext_lazy("Purchased category"),
            help_text=gettext_lazy("Customers with an order (not a refund) in any of them."),
            apply=lambda qs, value: qs.filter(pk__in=Purchase.objects.filter(
                category__in=value, is_refund=False).values("customer_id")),
            clean=_clean_choices_of(_purchase_categories), choices=_purchase_categories,
        )
    )  # fmt: skip
    register_email_field(
        EmailField(key="order", alias="订单号",
                   label=gettext_lazy("the customer's latest order number"), value=_latest_order)
    )  # fmt: skip
    register_piping_field("order", _latest_order)  # {order} on the invitation's pages too


def _clean_choices_of(choices):
    def clean(value: Any) -> list[str]:
        return _clean_choices([code for code, _label in choices()])(value)

    return clean


def register_value_panel() -> None:
    register_customer_panel(
        CustomerPanel(
            key="value", title=pgettext_lazy("customer", "Value"), render=value_panel, order=15,
            permission="analytics.view_customervalue",
        )
    )  # fmt: skip
    register_customer_value(customer_value)


def _value_tier_of(customer) -> str | None:
    return customer_value_tier(customer.pk) if customer is not None and customer.pk else None


def _value_tiers_of(customers) -> dict[int, str]:
    return customer_value_tiers([c.pk for c in customers if c is not None and c.pk])


def register_case_priority_hook() -> None:
    """Offer the value tier to feedback's case priority (one customer, or a chunk's)."""
    register_value_tier_provider(_value_tier_of, many=_value_tiers_of)


def _latest_run_basis() -> str:
    return f"clv-run:{_latest_run_id()}"


def _latest_values(column: str):
    def values() -> QuerySet:
        latest = CustomerValue.objects.filter(run_id=_latest_run_id())
        return latest.exclude(**{column: ""}).values_list("customer_id", column).order_by()

    return values


def register_result_segments() -> None:
    """The RFM segment and value tier of the latest CLV run, kept in the results'
    pre-aggregate (a new run changes the basis: the next refresh rebuilds it)."""
    for key in ("rfm_segment", "value_tier"):
        register_fact_segment(
            FactSegment(key=key, basis=_latest_run_basis, values=_latest_values(key))
        )


def register_hooks() -> None:
    """Called from AnalyticsConfig.ready(); safe to call again (registries replace by key)."""
    register_audience_filters()
    register_value_panel()
    register_case_priority_hook()
    register_relationship_hooks()  # directory and audience filters: stage, churn band, NPS…
    register_referral_hooks()  # thank-you referral offer, 360 panel, demographic filters
    register_distribution_hooks()
    register_result_segments()
