"""Quality flags: speeders (under a third of the median time) and straight-liners are counted
on the results page and left out of every chart on request."""

import datetime as dt

import pytest

from surveyhub.security.roles import Role
from surveys.design.services import survey_create, survey_publish
from surveys.models import Response
from tests.factories import UserFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db


def _results(client, survey, **params):
    return client.get(f"/api/v1/surveys/{survey.pk}/results/", params).json()


def test_speeders_are_left_out_on_request(client):
    survey = published_survey("transactional_nps", consent_text="")
    minutes = [5, 6, 7, 1, 8]  # median 6 min: under 2 min is a speeder
    for n, duration in enumerate(minutes):
        response = submitted_response(survey=survey, data={"nps": n})
        Response.objects.filter(pk=response.pk).update(
            started_at=response.completed_at - dt.timedelta(minutes=duration)
        )
    client.force_login(UserFactory(role=Role.MANAGER))
    assert _results(client, survey)["responses"] == 5
    kept = _results(client, survey, exclude="speeders")
    assert kept["responses"] == 4
    nps = next(q for q in kept["questions"] if q["key"] == "nps")
    assert [e["count"] for e in nps["distribution"]][:5] == [1, 1, 1, 0, 1]


def test_straight_liners_are_flagged_and_left_out(client):
    items = [
        {"key": key, "type": "rating", "text": f"评分{key}", "text_en": key}
        for key in ("speed", "quality", "staff")
    ]
    survey = survey_publish(
        survey=survey_create(title="多项量表", slug="grid-survey", kind="custom", questions=items)
    )
    submitted_response(survey=survey, data={"speed": 3, "quality": 3, "staff": 3})
    submitted_response(survey=survey, data={"speed": 3, "quality": 4, "staff": 3})
    submitted_response(survey=survey, data={"speed": 5, "quality": 5})  # two items only
    client.force_login(UserFactory(role=Role.MANAGER))

    kept = _results(client, survey, exclude="straightliners")
    assert kept["responses"] == 2
    speed = next(q for q in kept["questions"] if q["key"] == "speed")
    assert {e["value"]: e["count"] for e in speed["distribution"]}[3] == 1
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "直线作答 · 1" in html
