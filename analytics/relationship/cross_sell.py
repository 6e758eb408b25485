"""Cross-sell read side: customer histories and quarterly rows from the purchases, the checked
thresholds (a form, so the page and the API refuse the same input) and the report both show.
The computation itself is pure (`analytics/basket/`); it runs on request."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.basket import rules as basket
from analytics.basket.trend import quarterly_cross_sell
from analytics.models import Purchase
from analytics.relationship.queries import category_histories, quarterly_category_rows
from surveyhub.api.errors import DomainError
from surveys.models import Customer

RULES_SHOWN = 50


def _bought():
    """Purchases that count as buying: not refunds, not negative."""
    return Purchase.objects.order_by().filter(is_refund=False, amount__gte=0)


def known_categories() -> list[str]:
    return sorted(
        c for c in _bought().exclude(category="").values_list("category", flat=True).distinct()
    )


def purchase_histories() -> dict[int, set[str]]:
    """Customer → every category they bought (from distinct pairs, one query)."""
    return category_histories()


def quarterly_orders() -> pd.DataFrame:
    """One row per customer, category and local quarter: enough for the quarterly rates."""
    return quarterly_category_rows()


class CrossSellForm(forms.Form):
    """The thresholds and the optional antecedent category; the API adds `customer`."""

    category = forms.ChoiceField(label=gettext_lazy("Bought first"), required=False)
    min_support = forms.FloatField(
        label=gettext_lazy("Minimum support"), required=False, min_value=0, max_value=1,
        help_text=gettext_lazy("Share of all customers who bought both, 0–1."),
    )  # fmt: skip
    min_confidence = forms.FloatField(
        label=gettext_lazy("Minimum confidence"), required=False, min_value=0, max_value=1,
        help_text=gettext_lazy("Share of the first category's buyers who bought the second, 0–1."),
    )  # fmt: skip
    min_count = forms.IntegerField(
        label=gettext_lazy("Minimum customers"), required=False, min_value=1, max_value=10**9
    )
    min_lift = forms.FloatField(
        label=gettext_lazy("Minimum lift"), required=False, min_value=0,
        max_value=basket.MAX_MIN_LIFT,
    )  # fmt: skip

    def __init__(self, data=None, *, categories: list[str]):
        super().__init__(data)
        defaults = basket.Thresholds()
        for name in ("min_support", "min_confidence", "min_count", "min_lift"):
            self.fields[name].initial = getattr(defaults, name)
        self.fields["category"].choices = [("", _("Any category"))] + [(c, c) for c in categories]

    def thresholds(self) -> basket.Thresholds:
        data = self.cleaned_data
        defaults = basket.Thresholds()
        return basket.Thresholds(
            min_support=_or(data.get("min_support"), defaults.min_support),
            min_count=_or(data.get("min_count"), defaults.min_count),
            min_confidence=_or(data.get("min_confidence"), defaults.min_confidence),
            min_lift=_or(data.get("min_lift"), defaults.min_lift),
        )


def _or(value, default):
    return default if value is None else value


def checked_form(data, *, categories: list[str]) -> CrossSellForm:
    """The form, valid, or a DomainError naming each field at fault (the API's 400)."""
    form = CrossSellForm(data, categories=categories)
    if not form.is_valid():
        raise DomainError(_("The cross-sell parameters are not valid."), errors=form.errors)
    return form


def customer_or_error(raw: str | None) -> Customer | None:
    if raw in (None, ""):
        return None
    customer = Customer.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if customer is None:
        raise DomainError(_("No such customer."), field="customer")
    return customer


def rule_in_words(rule: basket.Rule) -> str:
    return _(
        "Customers who bought “%(first)s”: %(share)s%% also bought “%(second)s” (lift %(lift)s)"
    ) % {
        "first": rule.antecedent,
        "second": rule.consequent,
        "share": f"{100 * rule.confidence:.0f}",
        "lift": f"{rule.lift:.1f}",
    }


def rule_json(rule: basket.Rule) -> dict:
    return {
        "antecedent": rule.antecedent,
        "consequent": rule.consequent,
        "customers_both": rule.count,
        "customers_antecedent": rule.antecedent_count,
        "customers_consequent": rule.consequent_count,
        "support": round(rule.support, 4),
        "confidence": round(rule.confidence, 4),
        "lift": round(rule.lift, 4),
        "in_words": rule_in_words(rule),
    }


@dataclass
class CrossSellReport:
    customers: int  # with at least one category
    categories: int
    rules: list[basket.Rule]  # kept, filtered to the antecedent when one was asked for
    rules_total: int
    next_counts: list[tuple[str, int]]
    trend: list
    histories: dict[int, set[str]]
    all_rules: list[basket.Rule]


def cross_sell_report(
    thresholds: basket.Thresholds, *, category: str = "", histories=None
) -> CrossSellReport:
    orders = quarterly_orders()  # read once: the histories are its customer-category pairs
    histories = category_histories(orders) if histories is None else histories
    all_rules = basket.association_rules(histories, thresholds)
    shown = [r for r in all_rules if not category or r.antecedent == category]
    return CrossSellReport(
        customers=sum(1 for c in histories.values() if c),
        categories=len(basket.category_counts(histories)),
        rules=shown,
        rules_total=len(shown),
        next_counts=basket.next_category_counts(histories, all_rules),
        trend=quarterly_cross_sell(orders),
        histories=histories,
        all_rules=all_rules,
    )


def customer_next(customer: Customer, report: CrossSellReport, *, limit: int = 3) -> list:
    """The customer's likeliest next categories, each with its evidence."""
    owned = report.histories.get(customer.pk, set())
    return basket.next_categories(owned, report.all_rules, limit=limit)
