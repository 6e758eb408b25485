"""The change of the overall index and of each dimension against the previous period with its
significance, on the workspace page (zh and en) and in the API; the value-growth dimension's
p-value recomputed here by hand from the two periods' cross-sell rates."""

import math

import pytest

from analytics.evaluations.scorecard import evaluation_compute
from analytics.workspace.intervals import wilson
from tests.analytics.workspace.test_workspace_page import text

pytestmark = pytest.mark.django_db


def _score(value: float, target: float = 20.0) -> float:
    """A "higher is better" indicator's score: 100 at or above the target, linear below."""
    return min(100.0, max(0.0, 100.0 * (1 - (target - value) / target)))


def test_the_index_and_each_dimension_carry_the_significance_of_their_change(manager, two_quarters):
    card = manager.get("/api/v1/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en").json()["scorecard"]
    dims = {d["code"]: d for d in card["dimensions"]}

    # Value growth = cross-sell alone (no CLV run): Q1 0 of 6 buyers (score 0), Q2 1 of 2
    # (50% ≥ the 20% target: score 100). Each period's score error from its Wilson interval.
    se_q1 = (_score(wilson(0.0, 6)[1]) - _score(wilson(0.0, 6)[0])) / 3.92
    se_q2 = (_score(wilson(50.0, 2)[1]) - _score(wilson(50.0, 2)[0])) / 3.92
    z = 100.0 / math.hypot(se_q1, se_q2)
    value = dims["value_growth"]["significance"]
    assert dims["value_growth"]["change"] == 100.0
    assert value["z"] == pytest.approx(z, rel=1e-3)
    assert value["p_value"] == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-3)
    assert value["significant"] and value["text"] == "significant rise (p < 0.001)"
    # Satisfaction: −8.3 points on 5 and 3 answers is not significant; the overall index is.
    satisfaction = dims["satisfaction"]["significance"]
    assert not satisfaction["significant"] and satisfaction["text"].startswith(
        "no significant change (p = 0.7"
    )
    assert card["index"]["significance"]["significant"] and card["index"]["change"] > 0
    # Experience has no index in Q1: no change, no test.
    assert dims["experience"]["change"] is None and dims["experience"]["significance"] is None
    assert "sampled indicators" in card["index_test_note"]

    shown = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))
    overall = card["index"]["significance"]["text"]
    assert f"Change {card['index']['change_text']} · {overall}" in shown
    assert f"Change −8.3 points · {satisfaction['text']}" in shown
    assert "Change +100.0 points · significant rise (p &lt; 0.001)" in shown
    assert "tested on its sampled indicators" in shown

    zh = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "显著上升（p &lt; 0.001）" in zh
    assert f"变化不显著（p = {satisfaction['text'].split('= ')[1].rstrip(')')}）" in zh
    assert "不计入检验" in zh


def test_a_reevaluated_previous_period_is_not_tested_with_numbers_of_its_older_version(
    manager, two_quarters
):
    manager.get("/api/v1/evaluations/2026Q2/")  # the Q2 figures kept with Q1's version 1
    evaluation_compute(period="2026Q1", force=True)  # Q1 version 2: the kept numbers are not its

    card = manager.get("/api/v1/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en").json()["scorecard"]
    assert card["index"]["change"] is not None and card["index"]["significance"] is None
    assert all(d["significance"] is None for d in card["dimensions"])
