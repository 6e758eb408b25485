"""The distributions API takes the builder's filters as JSON, the edited email (validated in
Chinese) and cancels a distribution that has not finished."""

import pytest
from rest_framework.test import APIClient

from surveys.models import Distribution, DistributionStatus
from tests.factories import CustomerFactory, UserFactory
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer():
    client = APIClient()
    client.force_authenticate(UserFactory(username="designer-api-mail", role="问卷设计 Designer"))
    return client


def test_the_builders_filters_and_an_edited_email_are_accepted_as_json(designer, survey):
    reply = designer.post(
        "/api/v1/distributions/",
        {"survey": survey.pk, "channel": "email",
         "audience": {"nps_group": ["detractor"], "region": ["上海"]},
         "email_subject": "{姓名}，抱歉让您失望了", "email_body": "{name}您好，请告诉我们：{link}"},
        format="json",
    )  # fmt: skip

    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["audience"] == {"nps_group": ["detractor"], "region": ["上海"]}
    assert body["email_subject"] == "{姓名}，抱歉让您失望了"
    assert body["status_note"] == "" and body["audience_built_at"] is None


def test_an_unknown_placeholder_is_a_400_in_chinese_naming_it(designer, survey):
    reply = designer.post(
        "/api/v1/distributions/",
        {"survey": survey.pk, "channel": "email", "audience": {"all": True},
         "email_subject": "您好", "email_body": "{优惠码} {link}"},
        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans",
    )  # fmt: skip

    assert reply.status_code == 400
    (message,) = reply.json()["errors"]["email_body"]
    assert message.startswith("未知的占位符 {优惠码}")
    assert not Distribution.objects.exists()


def test_cancel_stops_a_draft_and_refuses_a_finished_one(
    designer, survey, django_capture_on_commit_callbacks
):
    draft = email_distribution(survey, CustomerFactory.create_batch(1))
    sent = email_distribution(survey, CustomerFactory.create_batch(1))
    send_now(sent, django_capture_on_commit_callbacks)

    reply = designer.post(f"/api/v1/distributions/{draft.pk}/cancel/")
    refused = designer.post(
        f"/api/v1/distributions/{sent.pk}/cancel/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    assert reply.status_code == 200 and reply.json()["status"] == "cancelled"
    assert refused.status_code == 400
    assert refused.json()["detail"] == "该分发已全部发送完毕，没有可取消的内容。"
    sent.refresh_from_db()
    assert sent.status == DistributionStatus.SENT


def test_a_manager_may_not_cancel(client, survey):
    draft = email_distribution(survey, CustomerFactory.create_batch(1))
    manager = APIClient()
    manager.force_authenticate(UserFactory(username="manager-api-mail", role="经理 Manager"))

    assert manager.post(f"/api/v1/distributions/{draft.pk}/cancel/").status_code == 403
    draft.refresh_from_db()
    assert draft.status == DistributionStatus.DRAFT
