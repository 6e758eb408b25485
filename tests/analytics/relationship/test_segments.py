"""The customer directory's relationship filters, the segment pages with their playbook, the
segments API and the audience filters for inviting a segment."""

import datetime as dt

import pytest

from analytics.evaluations.clv_runs import clv_fit
from analytics.models import CustomerValue, SegmentPlaybook
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from surveys.distribution.audience import AudienceError, audience_build
from surveys.models import Response, ResponseStatus
from tests.analytics.relationship.conftest import AS_OF, SHANGHAI
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


def _answer(customer, score, day):
    survey = published_survey(consent_text="")
    Response.objects.create(
        survey=survey, version=survey.current_version, customer=customer, channel="link",
        status=ResponseStatus.COMPLETED, nps_score=score,
        completed_at=dt.datetime(2026, 5, day, 10, tzinfo=SHANGHAI),
    )  # fmt: skip


def _names(page: str, customers) -> set[str]:
    return {c.name for c in customers if c.name in page}


def test_the_directory_filters_by_stage_band_segment_tier_and_last_nps(history, manager_client):
    run = clv_fit(as_of=AS_OF)
    values = CustomerValue.objects.filter(run=run)
    for param in ("lifecycle_stage", "churn_band", "rfm_segment", "value_tier"):
        code = values.values_list(param, flat=True).first()
        wanted = {
            v.customer.name for v in values.filter(**{param: code}).select_related("customer")
        }
        page = manager_client.get(f"/staff/customers/?{param}={code}").content.decode()
        shown = _names(page, history)
        assert shown == (wanted if len(wanted) <= 50 else shown) and shown <= wanted, param
        assert shown
    # NPS group: by the latest answer only (a promoter who later answered 2 is a detractor).
    _answer(history[0], 10, 1)
    _answer(history[0], 2, 20)
    _answer(history[1], 9, 3)
    detractors = manager_client.get("/staff/customers/?nps_group=detractor").content.decode()
    promoters = manager_client.get("/staff/customers/?nps_group=promoter").content.decode()
    assert _names(detractors, history) == {history[0].name}
    assert _names(promoters, history) == {history[1].name}
    # Labels, never codes, in the form.
    assert "生命周期阶段" in detractors and "流失风险等级" in detractors and "贬损者" in detractors


def test_a_segment_page_keeps_its_playbook(history, client):
    clv_fit(as_of=AS_OF)
    admin = UserFactory(username="boss", role=Role.ADMIN)
    client.force_login(admin)

    overview = client.get("/staff/customers/segments/").content.decode()
    assert "重要价值客户" in overview and "新客" in overview
    reply = client.post("/staff/customers/segments/stage/declining/",
                        {"text": "一周内电话回访，赠送 <b>优惠券</b>"})  # fmt: skip
    assert reply.status_code == 302
    playbook = SegmentPlaybook.objects.get(kind="stage", code="declining")
    assert playbook.text.startswith("一周内电话回访") and playbook.updated_by == admin
    page = client.get("/staff/customers/segments/").content.decode()
    assert "&lt;b&gt;优惠券&lt;/b&gt;" in page  # text, never markup
    assert client.get("/staff/customers/segments/stage/nonsense/").status_code == 404


def test_a_manager_reads_the_playbook_but_cannot_change_it(history, manager_client):
    clv_fit(as_of=AS_OF)
    SegmentPlaybook.objects.create(kind="rfm", code="important_retain", text="专人跟进")

    page = manager_client.get("/staff/customers/segments/rfm/important_retain/").content.decode()
    assert "专人跟进" in page and "<textarea" not in page
    manager_client.post("/staff/customers/segments/rfm/important_retain/", {"text": "x"})
    assert SegmentPlaybook.objects.get().text == "专人跟进"


def test_the_segments_api_sums_to_every_customer_twice(history, client):
    run = clv_fit(as_of=AS_OF)
    _token, key = api_token_create(user=UserFactory(role=Role.MANAGER))
    stage = CustomerValue.objects.get(run=run, customer=history[0]).lifecycle_stage
    peers = CustomerValue.objects.filter(run=run, lifecycle_stage=stage).exclude(
        customer=history[0]).first()  # fmt: skip
    _answer(history[0], 10, 1)
    _answer(history[0], 9, 2)
    if peers is not None:
        _answer(peers.customer, 0, 3)

    data = client.get("/api/v1/analytics/segments/", HTTP_AUTHORIZATION=f"Token {key}").json()
    row = next(r for r in data["segments"] if r["kind"] == "stage" and r["code"] == stage)
    # Two promoters (and one detractor when the stage has another member): NPS of all answers.
    expected = {"value": 100.0, "n": 2} if peers is None else {"value": 33.3, "n": 3}
    assert row["nps"] == expected

    assert data["run"]["id"] == run.pk
    by_kind = {"rfm": 0, "stage": 0}
    for row in data["segments"]:
        by_kind[row["kind"]] += row["customers"]
        assert row["label"] and row["label"] != row["code"]
    assert by_kind == {"rfm": 160, "stage": 160}


def test_a_segment_can_be_invited_through_the_audience_filters(history):
    run = clv_fit(as_of=AS_OF)
    high = set(CustomerValue.objects.filter(run=run, churn_band="high")
               .values_list("customer_id", flat=True))  # fmt: skip

    survey = published_survey(consent_text="")
    chosen = audience_build(survey=survey, filters={"churn_band": ["high"]})
    assert set(chosen.values_list("pk", flat=True)) == high
    with pytest.raises(AudienceError, match="sleeping"):
        audience_build(survey=survey, filters={"lifecycle_stage": ["sleeping"]})
