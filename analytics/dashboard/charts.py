"""Which dashboard filters each chart applies, and what the page says about those it does not.

The dashboard's promise: a chart either honours every filter of the form or names, under the
chart, the ones it leaves out. `tests/analytics/dashboard/test_every_chart_honours_its_filters.py`
holds each chart to this table: a filter not listed as ignored must change what the chart
shows, and every ignored one must be named on the page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

FILTERS = ("from", "to", "survey", "channel", "store", "region", "category", "segment")
ANSWER_FILTERS = ("from", "to", "survey", "channel")

# chart → the filters it leaves out. The scorecard is the quarter's fixed figures; the RFM
# bars are the customers of the value run (their NPS line takes every filter); the service
# queue counts are "now".
IGNORED: dict[str, tuple[str, ...]] = {
    "tiles": FILTERS,
    "nps-trend": (),
    "nps-distribution": (),
    "csat-trend": (),
    "ces-trend": (),
    "sentiment": (),
    "topics": (),
    "rfm-bars": ANSWER_FILTERS,
    "rfm-nps": (),
    "matrix": (),
    "service-queue": ("from", "to"),
    "service": (),
}


def filter_label(name: str) -> str:
    labels = {
        "from": pgettext("date range", "From"), "to": pgettext("date range", "To"),
        "survey": _("Survey"), "channel": _("Channel"), "store": _("Store"),
        "region": _("Region"), "category": _("Product category"), "segment": _("RFM segment"),
    }  # fmt: skip
    return labels.get(name, name)


def ignored_labels(chart: str) -> list[str]:
    """The form's labels of the filters `chart` leaves out ("From" and "To" as one "Dates")."""
    names = IGNORED[chart]
    labels = [_("Dates")] if "from" in names or "to" in names else []
    return labels + [filter_label(n) for n in names if n not in ("from", "to")]


def ignored_notes() -> dict[str, str]:
    """chart → the sentence the page shows under it, for the charts that leave filters out."""
    separator = pgettext("list separator", ", ")
    return {
        chart: _("Not filtered by: %(filters)s.")
        % {"filters": separator.join(ignored_labels(chart))}
        for chart, names in IGNORED.items()
        if names
    }
