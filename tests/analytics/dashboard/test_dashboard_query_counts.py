"""The dashboard's queries do not grow with the data (no N+1)."""

import pytest
from django.urls import reverse

from analytics.models import CustomerValue
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory

from .conftest import _value, local

pytestmark = pytest.mark.django_db

# Session + user + permissions, then the endpoint's own aggregates.
BUDGET = {
    "dashboard-tiles": 25,  # no snapshot yet: the scorecard is computed live (fixed set)
    "dashboard-nps-distribution": 6,
    "dashboard-sentiment-trend": 6,
    "dashboard-topics": 10,
    "dashboard-matrix": 7,
    "dashboard-service": 8,
}


@pytest.fixture
def more_data(dataset):
    """Twenty more customers, each with an answer, a feedback item and a topic of their own."""
    for i in range(20):
        customer = CustomerFactory(region="上海")
        response = Response.objects.create(
            survey=dataset.survey, version=dataset.survey.current_version, customer=customer,
            channel="link", status=ResponseStatus.COMPLETED, completed_at=local(5, 20),
            nps_score=i % 11,
        )  # fmt: skip
        item = FeedbackItem.objects.create(
            text="…", response=response, source="survey", created_at=local(5, 20),
            sentiment_label="negative", sentiment_score=0.2,
        )  # fmt: skip
        topic = Topic.objects.create(key=f"t{i}", name=f"话题{i}")
        FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)
        _value(dataset.run, customer, tier="high", segment="important_value", clv=f"{1000 + i}")
    assert CustomerValue.objects.count() == 22
    return dataset


@pytest.mark.parametrize("name", list(BUDGET))
def test_each_endpoint_runs_a_fixed_number_of_queries(
    client, manager, more_data, name, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(reverse(name))  # warm caches (content types, permissions)

    with django_assert_max_num_queries(BUDGET[name]):
        response = client.get(reverse(name), {"interval": "week"})

    assert response.status_code == 200


def test_the_dashboard_page_runs_a_fixed_number_of_queries(
    client, manager, more_data, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(reverse("admin:dashboard"))

    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:dashboard"))

    assert response.status_code == 200
