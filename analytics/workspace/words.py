"""What people read on the evaluation workspace: indicator names, definitions, units, status
words and numbers rounded with their units (one place, shared by the page and the API)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from surveyhub.formatting import format_money, format_number

# code → (name, definition, unit). Units: "pct" %, "points" NPS, "money", "hours", "ces".
INDICATORS = {
    "nps": (gettext_lazy("NPS"), gettext_lazy(
        "Share of promoters (9–10) minus share of detractors (0–6) among the period's NPS "
        "answers, from −100 to 100."), "points"),
    "csat": (gettext_lazy("CSAT"), gettext_lazy(
        "Share of satisfaction answers of 4 or 5 on the 1–5 scale (top-2-box)."), "pct"),
    "repurchase_rate": (gettext_lazy("Repurchase rate"), gettext_lazy(
        "Customers with two or more orders in the period ÷ customers with at least one "
        "order."), "pct"),
    "retention_rate": (gettext_lazy("Retention rate"), gettext_lazy(
        "Customers who ordered in both the previous period and this one ÷ customers who "
        "ordered in the previous period (churn = 100% − retention)."), "pct"),
    "promoter_share": (gettext_lazy("Share of promoters"), gettext_lazy(
        "NPS answers of 9 or 10 ÷ all NPS answers of the period."), "pct"),
    "clv": (gettext_lazy("Average CLV"), gettext_lazy(
        "Mean customer lifetime value over the next year (BG/NBD for the number of orders, "
        "Gamma-Gamma for their value) of the CLV run dated in the period."), "money"),
    "clv_change": (gettext_lazy("CLV change"), gettext_lazy(
        "Change of the average CLV against the previous period's CLV run, in %."), "pct"),
    "cross_sell_rate": (gettext_lazy("Cross-sell rate"), gettext_lazy(
        "Customers who bought in two or more product categories ÷ customers who ordered in "
        "the period."), "pct"),
    "first_response_time": (gettext_lazy("First-response time"), gettext_lazy(
        "Median hours from a triage case being opened to its first response, for the cases "
        "opened in the period."), "hours"),
    "resolution_rate": (gettext_lazy("Resolution rate"), gettext_lazy(
        "Cases opened in the period that are resolved ÷ cases opened in the period."), "pct"),
    "ces": (gettext_lazy("CES"), gettext_lazy(
        "Mean answer on the 1–7 “it was easy” scale."), "ces"),
}  # fmt: skip

DIMENSIONS = {
    "satisfaction": gettext_lazy("Satisfaction"),
    "loyalty": gettext_lazy("Loyalty"),
    "value_growth": gettext_lazy("Value growth"),
    "experience": gettext_lazy("Experience"),
}

STATUSES = {
    "met": pgettext_lazy("target", "Met"),
    "close": pgettext_lazy("target", "Close to target"),
    "missed": pgettext_lazy("target", "Missed"),
    "no_data": pgettext_lazy("target", "No data"),
}

# A kept figure a worker is computing right now (the page refreshes itself).
COMPUTING = pgettext_lazy("figures", "Computing…")

NPS_GROUPS = {
    "promoter": gettext_lazy("Promoters"),
    "passive": gettext_lazy("Passives"),
    "detractor": gettext_lazy("Detractors"),
}


def label(code: str) -> str:
    return str(INDICATORS[code][0]) if code in INDICATORS else code


def number(value: float | None, digits: int = 1) -> str:
    """A rounded number with grouping and a true minus sign; "—" without a value."""
    return format_number(value, decimals=digits)


def money(value: float | None, digits: int = 0) -> str:
    """An amount in the site's currency, rounded to whole units by default: ¥12,345."""
    return format_money(value, decimals=digits)


def value_text(code: str, value: float | None) -> str:
    """The value of an indicator rounded, with its unit."""
    if value is None:
        return "—"
    unit = INDICATORS[code][2] if code in INDICATORS else "pct"
    if unit == "pct":
        return f"{number(value)}%"
    if unit == "money":
        return money(value)
    if unit == "hours":
        return _("%(hours)s h") % {"hours": number(value)}
    if unit == "ces":
        return f"{number(value, 2)} / 7"
    return number(value)


def change_text(code: str, change: float | None) -> str:
    """A change with its sign and unit: percentage points for rates, % for CLV change."""
    if change is None:
        return "—"
    unit = INDICATORS[code][2] if code in INDICATORS else "points"
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    size = abs(float(change))
    if unit == "pct" and code != "clv_change":
        return _("%(sign)s%(n)s pp") % {"sign": sign, "n": number(size)}
    if unit == "pct":
        return f"{sign}{number(size)}%"
    if unit == "money":
        return f"{sign}{money(size)}"
    if unit == "hours":
        return _("%(hours)s h") % {"hours": f"{sign}{number(size)}"}
    if unit == "ces":
        return f"{sign}{number(size, 2)}"
    return _("%(sign)s%(n)s points") % {"sign": sign, "n": number(size)}


def index_change_text(change: float | None) -> str:
    return change_text("index", change)


def period_label(code: str) -> str:
    """ "2026Q3" → 2026 年第 3 季度 / Q3 2026; "2026-11" → 2026 年 11 月 / 11/2026."""
    if "Q" in code:
        year, quarter = code.split("Q")
        return _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    year, month = code.split("-")
    return _("%(month)s/%(year)s") % {"month": int(month), "year": year}


def breakdown_label(by: str, key: str, stores: dict[str, str] | None = None) -> str:
    """A breakdown group by its label: RFM segment and value tier names, channel names;
    regions, stores and categories are already words."""
    from analytics.evaluations.segments import segment_label
    from analytics.models import ValueTier
    from surveys.models import Channel

    if not key:
        return pgettext("breakdown", "Not known")
    if by == "segment":
        return segment_label(key)
    if by == "value_tier":
        return str(dict(ValueTier.choices).get(key, key))
    if by == "channel":
        return str(dict(Channel.choices).get(key, key))
    if by == "store":
        return (stores if stores is not None else store_labels()).get(key, key)
    return key


def store_labels() -> dict[str, str]:
    """Store code → the store's name in the active language (the managed store list)."""
    from django.utils.translation import get_language

    from surveys.models import Store

    language = get_language() or "zh-hans"
    return {store.code: store.label(language) for store in Store.objects.all()}
