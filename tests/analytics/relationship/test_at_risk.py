"""Churn risk stored with each CLV run, the warning list /staff/customers/at-risk/ (reasons in
words, a call case, export), the lifecycle page and the churn / lifecycle API."""

import csv
import io

import pytest

from analytics.evaluations.clv_runs import clv_fit
from analytics.evaluations.errors import EvaluationError
from analytics.models import ClvRun, CustomerValue
from feedback.models import Case, CaseNote
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.analytics.relationship.conftest import AS_OF, SHANGHAI
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


def _detractor(customer, score=3):
    import datetime as dt

    survey = published_survey(consent_text="")
    return Response.objects.create(
        survey=survey, version=survey.current_version, customer=customer, channel="link",
        status=ResponseStatus.COMPLETED, nps_score=score,
        completed_at=dt.datetime(2026, 6, 1, 10, tzinfo=SHANGHAI),
    )  # fmt: skip


def test_a_clv_run_stores_churn_risk_band_stage_and_value_at_stake(history):
    run = clv_fit(as_of=AS_OF)

    assert run.churn_horizon_days == 90
    assert run.churn_backtest["method"] == "model"
    assert 0.5 < run.churn_backtest["auc"] <= 1
    values = list(CustomerValue.objects.filter(run=run))
    assert len(values) == 160
    for v in values:
        assert 0 <= v.churn_risk <= 1
        assert v.churn_band in {"high", "medium", "low"}
        assert v.lifecycle_stage in {"new", "growing", "mature", "declining", "lost", "won_back"}
        assert float(v.value_at_stake) == pytest.approx(float(v.clv) * v.churn_risk, abs=0.01)
    # Those long gone are riskier than those who bought last week.
    gone = [v.churn_risk for v in values if v.recency_days > 200]
    recent = [v.churn_risk for v in values if v.recency_days < 10]
    assert gone and recent and min(gone) > max(recent)


def test_a_horizon_of_zero_is_refused_and_nothing_is_stored(history):
    with pytest.raises(EvaluationError, match="至少"):
        clv_fit(as_of=AS_OF, churn_horizon_days=0)
    assert not ClvRun.objects.exists()


def test_too_few_customers_give_bands_by_the_rule_and_no_numbers(history, manager_client):
    Case.objects.all().delete()
    from analytics.models import Purchase

    Purchase.objects.exclude(customer__in=history[:12]).delete()
    run = clv_fit(as_of=AS_OF)

    assert run.churn_backtest == {**run.churn_backtest, "method": "rule", "reason": "few_customers"}
    assert not CustomerValue.objects.filter(run=run, churn_risk__isnull=False).exists()
    assert not CustomerValue.objects.filter(run=run, churn_band="").exists()
    page = manager_client.get("/staff/customers/at-risk/?band=medium").content.decode()
    assert "没有流失概率" in page  # "No churn probabilities: … for a model."


def test_the_warning_list_sorts_by_value_at_stake_and_says_why(history, manager_client):
    run = clv_fit(as_of=AS_OF)
    at_risk = list(
        CustomerValue.objects.filter(run=run, churn_band="high").order_by("-value_at_stake")
    )
    assert len(at_risk) >= 3
    first, second = at_risk[0], at_risk[1]
    _detractor(first.customer)
    Case.objects.create(customer=second.customer, priority="p3")

    page = manager_client.get("/staff/customers/at-risk/").content.decode()

    assert page.index(first.customer.name) < page.index(second.customer.name)
    assert "最近一次 NPS 评分 3（贬损者）" in page
    assert "未结服务工单" in page
    assert "回测" in page  # the model's back-test in words
    english = manager_client.get("/staff/customers/at-risk/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Last NPS answer 3 (a detractor)" in english.content.decode()


def test_open_a_case_for_a_call_then_add_to_it(history, manager_client):
    run = clv_fit(as_of=AS_OF)
    value = CustomerValue.objects.filter(run=run, churn_band="high").first()

    reply = manager_client.post(f"/staff/customers/at-risk/{value.customer_id}/call/")
    case = Case.objects.get(customer=value.customer)
    assert reply.status_code == 302 and reply["Location"] == f"/staff/cases/{case.pk}/"
    assert case.triggers[0]["kind"] == "churn_risk"
    assert CaseNote.objects.filter(case=case).count() == 1

    manager_client.post(f"/staff/customers/at-risk/{value.customer_id}/call/")
    assert Case.objects.filter(customer=value.customer).count() == 1
    assert CaseNote.objects.filter(case=case).count() == 2


def test_export_and_permissions(history, manager_client, client):
    run = clv_fit(as_of=AS_OF)

    reply = manager_client.get(
        "/staff/customers/at-risk/export.csv?band=medium", HTTP_ACCEPT_LANGUAGE="en"
    )
    rows = list(csv.DictReader(io.StringIO(reply.content.decode("utf-8-sig"))))
    expected = CustomerValue.objects.filter(run=run, churn_band__in=["high", "medium"]).count()
    assert len(rows) == expected > 0
    stakes = [float(r["Value at stake"]) for r in rows]
    assert stakes == sorted(stakes, reverse=True)
    assert {r["Churn risk band"] for r in rows} <= {"High churn risk", "Medium churn risk"}
    zh = manager_client.get("/staff/customers/at-risk/export.csv?band=medium")
    header = zh.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("外部编号,名称,流失风险,") and "RFM" in header

    client.force_login(UserFactory(username="agent", role=Role.AGENT))
    assert client.get("/staff/customers/at-risk/").status_code == 403
    assert client.get("/staff/customers/at-risk/export.csv").status_code == 403


def test_churn_and_lifecycle_api(history, client):
    clv_fit(as_of=AS_OF)
    _token, key = api_token_create(user=UserFactory(role=Role.MANAGER))
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}

    churn = client.get("/api/v1/analytics/churn/", **auth).json()
    assert churn["run"]["horizon_days"] == 90
    assert churn["model"]["method"] == "model" and churn["model"]["in_words"]
    risks = [float(r["value_at_stake"]) for r in churn["results"]]
    assert risks == sorted(risks, reverse=True) and churn["count"] >= len(risks) > 0
    assert all(r["churn_band"] == "high" and r["reasons"] for r in churn["results"])

    life = client.get("/api/v1/analytics/lifecycle/", HTTP_ACCEPT_LANGUAGE="en", **auth).json()
    assert sum(s["customers"] for s in life["stages"]) == 160
    assert [s["label"] for s in life["stages"]][:2] == ["New", "Growing"]
    assert life["transitions"] == {"from_run": None, "rows": []}


def test_lifecycle_page_shows_counts_and_the_flow_from_a_quarter_earlier(history, manager_client):
    import datetime as dt

    clv_fit(as_of=AS_OF - dt.timedelta(days=91))
    run = clv_fit(as_of=AS_OF)

    page = manager_client.get("/staff/customers/lifecycle/").content.decode()

    assert "各阶段客户数" in page and "阶段间流转" in page
    total = CustomerValue.objects.filter(run=run).count()
    assert total == 160
    life = manager_client.get("/api/v1/analytics/lifecycle/").json()
    flows = sum(sum(row["to"].values()) for row in life["transitions"]["rows"])
    assert flows == 160
