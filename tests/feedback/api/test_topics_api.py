"""GET/PATCH /api/v1/topics/ and POST topics/{id}/merge/: figures, rename, merge, NPS impact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback.analysis.items import feedback_items_from_response
from feedback.analysis.services import feedback_analyse_batch
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from surveyhub.security.roles import Role
from surveys.responding.services import response_submit
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db
URL = "/api/v1/topics/"


def _respond(survey, nps, comment):
    response, _ = response_submit(
        survey=survey, data={"nps": nps, "comment": comment}, consent_given=True
    )
    # Outside a real commit the signal does not fire here: create and analyse directly.
    (item_id,) = feedback_items_from_response(response_id=response.pk)
    feedback_analyse_batch(item_ids=[item_id])
    return FeedbackItem.objects.get(pk=item_id)


@pytest.fixture
def topics():
    survey = published_survey()
    delivery = Topic.objects.create(key="t-delivery", name="物流", keywords=["物流", "慢"])
    service = Topic.objects.create(key="t-service", name="客服", keywords=["客服", "态度"])
    for nps, text, topic in [
        (2, "物流太慢", delivery),
        (3, "物流慢，包装破", delivery),
        (10, "客服态度好", service),
        (9, "客服很耐心", service),
    ]:
        FeedbackTopic.objects.create(item=_respond(survey, nps, text), topic=topic, weight=1)
    return {"delivery": delivery, "service": service}


def test_topics_list_counts_average_sentiment_and_nps_impact(client, topics):
    client.force_login(UserFactory(role=Role.MANAGER))

    rows = {r["name"]: r for r in client.get(URL).json()["results"]}

    assert rows["物流"]["count"] == 2
    assert rows["物流"]["keywords"] == ["物流", "慢"]
    assert rows["物流"]["avg_sentiment"] < rows["客服"]["avg_sentiment"]
    # With 物流: two detractors → NPS -100; without: two promoters → NPS 100.
    assert rows["物流"]["nps_impact"] == -200.0
    assert rows["客服"]["nps_impact"] == 200.0


def test_topics_list_has_a_fixed_number_of_queries(client, topics):
    client.force_login(UserFactory(role=Role.MANAGER))
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(10):
        Topic.objects.create(key=f"t-{n}", name=f"话题{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)


def test_a_manager_renames_a_topic(client, topics):
    client.force_login(UserFactory(role=Role.MANAGER))
    response = client.patch(
        f"{URL}{topics['delivery'].pk}/", {"name": "配送慢"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "配送慢"
    assert Topic.objects.get(pk=topics["delivery"].pk).name_edited


def test_renaming_to_blank_is_a_400(client, topics):
    client.force_login(UserFactory(role=Role.MANAGER))
    response = client.patch(
        f"{URL}{topics['delivery'].pk}/", {"name": " "}, content_type="application/json"
    )
    assert response.status_code == 400


def test_merging_moves_the_items_and_returns_the_kept_topic(client, topics):
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.post(
        f"{URL}{topics['delivery'].pk}/merge/",
        {"into": topics["service"].pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 4
    assert {r["name"] for r in client.get(URL).json()["results"]} == {"客服"}


def test_an_agent_can_read_topics_but_not_rename_or_merge_them(client, topics):
    client.force_login(UserFactory(role=Role.AGENT))
    pk = topics["delivery"].pk
    assert client.get(URL).status_code == 200
    assert (
        client.patch(f"{URL}{pk}/", {"name": "x"}, content_type="application/json").status_code
        == 403
    )
    merge = client.post(
        f"{URL}{pk}/merge/", {"into": topics["service"].pk}, content_type="application/json"
    )
    assert merge.status_code == 403


def test_a_topics_trend_counts_items_per_month(client, topics):
    client.force_login(UserFactory(role=Role.AGENT))
    rows = client.get(f"{URL}{topics['delivery'].pk}/trend/").json()
    assert len(rows) == 1
    assert rows[0]["count"] == 2
    assert rows[0]["period"] == timezone.localdate().strftime("%Y-%m")
    assert 0 <= rows[0]["avg_sentiment"] < 0.5
