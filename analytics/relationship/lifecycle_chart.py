"""The lifecycle page's chart of the flow between stages quarter over quarter: one stacked bar
per stage a quarter earlier, split by the stage those customers are in now (Chart.js data,
handed to the page with json_script)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from analytics.models import LifecycleStage

# One colour per stage now, from new (blue) through lost (red) to won back (purple).
STAGE_COLOURS = {
    "new": "#1f77b4", "growing": "#2ca02c", "mature": "#17becf", "declining": "#ff7f0e",
    "lost": "#d62728", "won_back": "#9467bd",
}  # fmt: skip


def transition_chart(transitions: dict) -> dict | None:
    """Chart.js data of `stage_transitions()` (None without an earlier run): the rows with
    nobody in them are left out, so the chart shows the stages that hold customers."""
    rows = [row for row in transitions.get("rows", []) if sum(row["to"].values())]
    if not rows:
        return None
    stages = [stage.value for stage in LifecycleStage]
    return {
        "labels": [row["from_label"] for row in rows],
        "datasets": [
            {
                "label": str(LifecycleStage(stage).label),
                "data": [row["to"].get(stage, 0) for row in rows],
                "backgroundColor": STAGE_COLOURS.get(stage, "#7f7f7f"),
            }
            for stage in stages
        ],
        "x_title": _("Customers"),
        "y_title": _("Stage a quarter earlier"),
        "legend_title": _("Stage now"),
    }
