"""Staff page /staff/customers/cross-sell/: category co-purchase rules in words, how many
customers have each category as their next likely one, and the cross-sell rate per quarter."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from analytics.basket.rules import Thresholds
from analytics.relationship.cross_sell import (
    RULES_SHOWN,
    CrossSellForm,
    cross_sell_report,
    known_categories,
    rule_in_words,
)


@login_required
@permission_required("analytics.view_customervalue", raise_exception=True)
def cross_sell(request):
    categories = known_categories()
    form = CrossSellForm(request.GET or None, categories=categories)
    report = None
    if not form.is_bound:  # first visit: the defaults, shown in the fields
        report = cross_sell_report(Thresholds())
    elif form.is_valid():
        category = form.cleaned_data.get("category") or ""
        report = cross_sell_report(form.thresholds(), category=category)
    rows = []
    trend = []
    if report is not None:
        rows = [{"rule": r, "words": rule_in_words(r)} for r in report.rules[:RULES_SHOWN]]
        top = max((q.cross_sell_rate or 0 for q in report.trend), default=0) or 1
        trend = [
            {"q": q, "width": round(120 * (q.cross_sell_rate or 0) / top),
             "label": _("%(year)s Q%(quarter)s") % {"year": q.start.year,
                                                     "quarter": q.start.quarter}}
            for q in report.trend
        ]  # fmt: skip
    return render(
        request,
        "analytics/relationship/cross_sell.html",
        {"form": form, "report": report, "rows": rows, "trend": trend,
         "rules_shown": RULES_SHOWN},
    )  # fmt: skip
