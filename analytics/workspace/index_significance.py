"""The significance of the change of the overall index and of each dimension index against the
previous period, in numbers and words (the math: analytics.metrics.index_change).

Each period's indicators come from its snapshot; their 95% intervals from the sample sizes and
spreads kept with the workspace figures (the previous period's under `previous`, with the id
of the snapshot they belong to). Without them there is no test (None)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.metrics.index_change import (
    IndexChangeTest,
    ScoredIndicator,
    index_change_test,
    index_variance,
)
from analytics.metrics.scorecard import STANDARD_INDICATORS
from analytics.workspace import words
from analytics.workspace.intervals import indicator_interval

NOTE = gettext_lazy(
    "The significance of an index's change is tested on its sampled indicators (those with "
    "a confidence interval), taken as independent; CLV change and first-response time carry no "
    "sampling error and add none."
)


def _indicators(result: dict, samples: dict, spread: dict | None) -> list[ScoredIndicator]:
    rows = [r for r in result.get("indicators", []) if r.get("code") in STANDARD_INDICATORS]
    values = {r["code"]: r.get("value") for r in rows}
    return [
        ScoredIndicator(
            code=r["code"], value=r.get("value"), target=float(r.get("target") or 0.0),
            weight=float(r.get("weight") or 0.0),
            interval=indicator_interval(r["code"], values, samples.get(r["code"]), spread),
        )
        for r in rows
    ]  # fmt: skip


def _variances(result: dict, samples: dict | None, spread: dict | None):
    if not result or samples is None:
        return None
    weights = {d.get("dimension"): d.get("weight") for d in result.get("dimensions", [])}
    return index_variance(_indicators(result, samples, spread), weights)


def index_tests(
    result: dict, before: dict, figures: dict | None, previous_id: int | None
) -> tuple[dict | None, dict[str, dict | None]]:
    """(the overall index's test in words, {dimension: its test in words}); None where there
    is no test. `figures`: the snapshot's kept figures; `previous_id`: the previous period's
    latest snapshot, whose kept numbers must be the ones under figures["previous"]."""
    kept = (figures or {}).get("previous") or {}
    if figures is None or not before or kept.get("snapshot") != previous_id:
        return None, {}
    now = _variances(result, figures.get("samples"), figures.get("spread"))
    then = _variances(before, kept.get("samples"), kept.get("spread"))
    if now is None or then is None:
        return None, {}
    before_dims = {d.get("dimension"): d.get("index") for d in before.get("dimensions", [])}
    dimensions = {
        d.get("dimension"): _words(index_change_test(
            d.get("index"), before_dims.get(d.get("dimension")),
            now.dimensions.get(d.get("dimension")), then.dimensions.get(d.get("dimension")),
        ))
        for d in result.get("dimensions", [])
    }  # fmt: skip
    overall = index_change_test(result.get("index"), before.get("index"), now.overall, then.overall)
    return _words(overall), dimensions


def _words(test: IndexChangeTest | None) -> dict | None:
    if test is None:
        return None
    p = test.p_value
    shown = f"= {words.number(p, 3)}" if p >= 0.001 else f"< {words.number(0.001, 3)}"
    if not test.significant:
        text = _("no significant change (p %(p)s)") % {"p": shown}
    elif test.difference > 0:
        text = _("significant rise (p %(p)s)") % {"p": shown}
    else:
        text = _("significant fall (p %(p)s)") % {"p": shown}
    return {
        "p_value": round(p, 6), "significant": test.significant,
        "standard_error": round(test.standard_error, 4), "z": round(test.z, 4), "text": text,
    }  # fmt: skip
