"""Every indicator with its 95% interval (and churn beside retention) on the workspace page,
the indicator page and in the API; the intervals agree with the metric functions."""

import math
import re

import pytest

from analytics.metrics.nps import nps
from analytics.workspace.intervals import indicator_interval, nps_interval, wilson
from tests.analytics.workspace.test_workspace_page import text


def test_wilson_matches_the_published_values():
    low, high = wilson(100 * 2 / 3, 3)
    assert (round(low, 2), round(high, 2)) == (20.77, 93.85)
    low, high = wilson(50.0, 100)
    assert (round(low, 2), round(high, 2)) == (40.38, 59.62)
    assert wilson(0.0, 10)[0] == 0.0 and wilson(100.0, 10)[1] == 100.0


@pytest.mark.parametrize("counts", [(3, 1, 1), (120, 50, 80), (10, 0, 0), (0, 5, 5)])
def test_the_nps_interval_from_nps_and_promoter_share_is_the_metrics_one(counts):
    promoters, passives, detractors = counts
    result = nps(promoters=promoters, passives=passives, detractors=detractors)
    low, high = nps_interval(result.value, result.promoter_share, result.n)
    assert math.isclose(low, result.ci_low, abs_tol=1e-9)
    assert math.isclose(high, result.ci_high, abs_tol=1e-9)


def test_means_need_their_spread_and_the_others_have_none():
    values = {"ces": 5.0, "clv": 800.0, "clv_change": 3.0, "first_response_time": 4.0}
    low, high = indicator_interval("ces", values, 100, {"ces_sd": 1.0})
    assert (round(low, 3), round(high, 3)) == (4.804, 5.196)
    assert indicator_interval("ces", values, 100, None) is None
    assert indicator_interval("ces", values, 1, {"ces_sd": 1.0}) is None
    assert indicator_interval("clv_change", values, 100, {}) is None
    assert indicator_interval("first_response_time", values, 100, {}) is None
    assert indicator_interval("nps", {"nps": 10.0}, 100, {}) is None  # no promoter share


@pytest.mark.django_db
def test_the_page_shows_each_indicators_interval_and_churn(manager, two_quarters):
    shown = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en"))

    # NPS 40 of 5 answers (3 promoters, 1 detractor); CSAT 2 of 3 top-2 answers.
    assert re.search(r"NPS Met 40\.0 .*? n = 5 answers 95% interval −30\.1 to 100\.0", shown)
    assert "n = 3 answers 95% interval 20.8% to 93.9%" in shown
    # Retention: 2 of Q1's 6 buyers ordered again → churn 66.7%.
    assert "Churn 66.7%" in shown
    # Without a value (no CLV run) neither an interval nor an empty sample size is shown.
    clv = shown[shown.find("Average CLV No data") : shown.find("Cross-sell rate Met")]
    assert "95% interval" not in clv and " — — " not in clv and "Previous period" in clv

    zh = text(manager.get("/staff/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert "95% 置信区间 −30.1 至 100.0" in zh and "流失率 66.7%" in zh


@pytest.mark.django_db
def test_the_indicator_page_and_the_api_carry_the_interval(manager, two_quarters):
    shown = text(manager.get("/staff/evaluations/2026Q2/indicators/csat/",
                             HTTP_ACCEPT_LANGUAGE="en"))  # fmt: skip
    assert "95% interval 20.8% to 93.9%" in shown

    data = manager.get("/api/v1/evaluations/2026Q2/", HTTP_ACCEPT_LANGUAGE="en").json()
    rows = {i["code"]: i for i in data["scorecard"]["indicators"]}
    assert (rows["csat"]["interval"]["low"], rows["csat"]["interval"]["high"]) == (20.77, 93.85)
    assert rows["retention_rate"]["churn_text"] == "66.7%" and rows["nps"]["churn_text"] == ""


def test_an_indicator_without_an_interval_says_why_and_one_without_a_value_says_nothing():
    from django.utils import translation

    from analytics.workspace.queries import interval_view

    with translation.override("zh-hans"):
        assert interval_view("clv_change", {"clv_change": 4.0}, 300, {})["text"] == (
            "无：两次模型运行之间的变化"
        )
        assert (
            interval_view("first_response_time", {"first_response_time": 3.0}, 9, {})["text"]
            == "无：工单的中位数"
        )
        assert interval_view("clv", {"clv": None}, 300, {"clv_sd": 5.0})["text"] == ""
        shown = interval_view("clv", {"clv": 800.0}, 400, {"clv_sd": 100.0})
    assert (shown["low"], shown["high"]) == (790.2, 809.8)
    assert shown["text"] == "¥790 至 ¥810"
