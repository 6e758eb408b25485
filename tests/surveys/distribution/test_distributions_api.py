"""The distributions API: create with validated audience, list with counts, retrieve, send."""

import pytest
from rest_framework.test import APIClient

from surveys.models import Distribution, DistributionStatus
from tests.factories import CustomerFactory, SurveyFactory, UserFactory
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer():
    client = APIClient()
    client.force_authenticate(UserFactory(username="designer-api", role="问卷设计 Designer"))
    return client


def test_a_designer_creates_an_email_distribution(designer, survey):
    reply = designer.post(
        "/api/v1/distributions/",
        {
            "survey": survey.pk, "channel": "email", "name": "三月回访",
            "audience": {"region": ["上海"], "tags": ["VIP"]},
            "reminder_after_days": 3, "max_reminders": 1,
        },
        format="json",
    )  # fmt: skip

    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["status"] == "draft"
    assert body["audience"] == {"region": ["上海"], "tags": ["VIP"]}
    assert body["invited"] == 0 and body["skipped_frequency_cap"] == 0
    assert Distribution.objects.get().created_by.username == "designer-api"


def test_an_unknown_audience_filter_gets_a_400_in_chinese_naming_it(designer, survey):
    reply = designer.post(
        "/api/v1/distributions/",
        {"survey": survey.pk, "channel": "email", "audience": {"foo": 1}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )

    assert reply.status_code == 400
    (message,) = reply.json()["errors"]["audience"]
    assert "foo" in message
    assert "tags" in message  # says what is available


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "email"}, "audience"),
        ({"channel": "fax", "audience": {"all": True}}, "channel"),
        ({"channel": "email", "audience": {"tags": []}}, "audience"),
        ({"channel": "email", "audience": {"all": True}, "max_reminders": 9}, "max_reminders"),
        (
            {"channel": "email", "audience": {"all": True}, "max_reminders": 2},
            "reminder_after_days",
        ),
        ({"channel": "email", "audience": {"all": True}, "send_at": "明天"}, "send_at"),
        ({"channel": "email", "audience": "tags=VIP"}, "audience"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(designer, survey, payload, field):
    reply = designer.post("/api/v1/distributions/", {"survey": survey.pk, **payload}, format="json")

    assert reply.status_code == 400, reply.content
    assert field in reply.json()["errors"]


def test_an_unknown_survey_gets_a_400(designer):
    reply = designer.post(
        "/api/v1/distributions/",
        {"survey": 999999, "channel": "email", "audience": {"all": True}},
        format="json",
    )

    assert reply.status_code == 400
    assert "survey" in reply.json()["errors"]


def test_sending_queues_the_invitations_and_retrieve_shows_the_counts(
    designer, survey, mailoutbox, django_capture_on_commit_callbacks
):
    people = [*CustomerFactory.create_batch(2), CustomerFactory(unsubscribed=True)]
    distribution = email_distribution(survey, people)

    with django_capture_on_commit_callbacks(execute=True):
        reply = designer.post(f"/api/v1/distributions/{distribution.pk}/send/")

    assert reply.status_code == 202, reply.content
    detail = designer.get(f"/api/v1/distributions/{distribution.pk}/").json()
    assert detail["status"] == DistributionStatus.SENT
    assert (detail["invited"], detail["sent"], detail["delivered"]) == (2, 2, 2)
    assert detail["skipped_unsubscribed"] == 1
    assert len(mailoutbox) == 2


def test_sending_a_draft_survey_gets_a_400_with_the_reason(designer):
    distribution = email_distribution(SurveyFactory(), CustomerFactory.create_batch(1))

    reply = designer.post(
        f"/api/v1/distributions/{distribution.pk}/send/", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert reply.status_code == 400
    assert "publish it before sending" in reply.json()["errors"]["survey"][0]


def test_the_list_has_the_counts_without_a_query_per_distribution(
    designer, survey, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(5):
        send_now(
            email_distribution(survey, CustomerFactory.create_batch(2)),
            django_capture_on_commit_callbacks,
        )

    with django_assert_max_num_queries(4):
        reply = designer.get(f"/api/v1/distributions/?survey={survey.pk}")

    assert reply.json()["count"] == 5
    assert {row["invited"] for row in reply.json()["results"]} == {2}


def test_a_manager_can_read_but_not_create_or_send(survey):
    manager = APIClient()
    manager.force_authenticate(UserFactory(username="manager-api", role="经理 Manager"))
    distribution = email_distribution(survey, CustomerFactory.create_batch(1))

    assert manager.get("/api/v1/distributions/").status_code == 200
    created = manager.post(
        "/api/v1/distributions/",
        {"survey": survey.pk, "channel": "email", "audience": {"all": True}},
        format="json",
    )
    assert created.status_code == 403
    assert manager.post(f"/api/v1/distributions/{distribution.pk}/send/").status_code == 403


def test_an_agent_and_an_anonymous_client_cannot_see_distributions(survey):
    agent = APIClient()
    agent.force_authenticate(UserFactory(username="agent-api", role="客服 Agent"))

    assert agent.get("/api/v1/distributions/").status_code == 403
    assert APIClient().get("/api/v1/distributions/").status_code in (401, 403)


def test_the_links_api_gives_the_public_url_and_the_qr_codes(designer, survey, settings):
    settings.SITE_URL = "https://survey.example.cn"

    reply = designer.get(f"/api/v1/surveys/{survey.pk}/links/")

    assert reply.status_code == 200
    assert reply.json() == {
        "public_url": f"https://survey.example.cn/s/{survey.slug}/",
        "qr_svg_url": f"https://survey.example.cn/s/{survey.slug}/qr.svg",
        "qr_png_url": f"https://survey.example.cn/s/{survey.slug}/qr.png",
    }
    tagged = designer.get(f"/api/v1/surveys/{survey.pk}/links/?c=wechat&store=SH01").json()
    assert tagged["public_url"].endswith("/?c=wechat&store=SH01")
    assert designer.get(f"/api/v1/surveys/{survey.pk}/links/?c=fax").status_code == 400
    assert designer.get("/api/v1/surveys/999999/links/").status_code == 404


def test_the_links_api_needs_the_view_permission_on_surveys(survey):
    stranger = APIClient()
    stranger.force_authenticate(UserFactory(username="no-role"))

    assert stranger.get(f"/api/v1/surveys/{survey.pk}/links/").status_code == 403


def test_distributions_appear_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert "/api/v1/distributions/{id}/send/" in schema["paths"]
    assert "/api/v1/surveys/{id}/links/" in schema["paths"]


@pytest.mark.parametrize("query", ["?survey=abc", "?survey=-1"])
def test_a_malformed_survey_filter_gets_a_400(designer, query):
    assert designer.get(f"/api/v1/distributions/{query}").status_code == 400


def test_an_unknown_distribution_is_a_404(designer):
    assert designer.get("/api/v1/distributions/999999/").status_code == 404
    assert designer.post("/api/v1/distributions/999999/send/").status_code == 404
