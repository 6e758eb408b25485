"""The weekly digest's line on customers at risk of churning: how many are in the high band of
the latest CLV run, the value at stake (CLV × risk), and the change against the run a week
earlier, with a link to the warning list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from analytics.models import ChurnBand, ClvRun, CustomerValue
from surveyhub.formatting import MINUS, format_money, format_number


@dataclass(frozen=True)
class AtRiskDigest:
    as_of: dt.date
    count: int
    value: Decimal
    count_change: int | None  # None: no run a week or more before
    value_change: Decimal | None
    url: str

    @property
    def text(self) -> str:
        """The line in the active language."""
        values = {"count": format_number(self.count), "value": format_money(self.value, decimals=0)}
        if self.count_change is None:
            return _("%(count)s customers at high churn risk, %(value)s at stake (no figures "
                     "from a week earlier).") % values  # fmt: skip
        values |= {
            "count_change": _signed(format_number(abs(self.count_change)), self.count_change),
            "value_change": _signed(
                format_money(abs(self.value_change), decimals=0), self.value_change
            ),
        }
        return _("%(count)s customers at high churn risk, %(value)s at stake (against last "
                 "week: %(count_change)s customers, %(value_change)s).") % values  # fmt: skip


def _signed(text: str, change) -> str:
    return ("+" if change > 0 else MINUS if change < 0 else "±") + text


def _high_risk(run: ClvRun) -> tuple[int, Decimal]:
    totals = CustomerValue.objects.filter(run=run, churn_band=ChurnBand.HIGH).aggregate(
        count=Count("pk"), value=Sum("value_at_stake")
    )
    return totals["count"], totals["value"] or Decimal("0")


def _run_on_or_before(day: dt.date) -> ClvRun | None:
    return (
        ClvRun.objects.filter(as_of__lte=day, values__isnull=False)
        .order_by("-as_of", "-id")
        .distinct()
        .first()
    )


def at_risk_digest(*, as_of: dt.date) -> AtRiskDigest | None:
    """The at-risk line of the latest CLV run on or before `as_of` (None without a run)."""
    run = _run_on_or_before(as_of)
    if run is None:
        return None
    count, value = _high_risk(run)
    earlier = _run_on_or_before(run.as_of - dt.timedelta(days=7))
    count_change = value_change = None
    if earlier is not None:
        before_count, before_value = _high_risk(earlier)
        count_change, value_change = count - before_count, value - before_value
    return AtRiskDigest(
        as_of=run.as_of, count=count, value=value, count_change=count_change,
        value_change=value_change,
        url=settings.SITE_URL + reverse("relationship:at-risk"),
    )  # fmt: skip
