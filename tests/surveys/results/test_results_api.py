"""GET /api/v1/surveys/{id}/results/: every question's counts match a recount from the answer
table, for the whole survey and for each filter; bad filters are a 400 naming the field."""

import math

import pytest

from surveyhub.security.roles import Role
from surveys.models import Response
from tests.factories import UserFactory, published_survey, submitted_response
from tests.surveys.results.helpers import recount, survey_with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _results(client, survey, **params):
    return client.get(f"/api/v1/surveys/{survey.pk}/results/", params)


def _question(body, key):
    return next(q for q in body["questions"] if q["key"] == key)


def _counts(question):
    return {entry["value"]: entry["count"] for entry in question["distribution"] if entry["count"]}


def test_every_question_matches_a_recount_from_the_answer_table(manager):
    survey = survey_with_answers()
    body = _results(manager, survey).json()

    assert body["survey"] == survey.pk
    assert body["responses"] == Response.objects.filter(survey=survey).count() == 8
    for key in ("nps", "reason", "delivery_speed"):
        assert _counts(_question(body, key)) == dict(recount(survey, key))
    reason = _question(body, "reason")
    assert reason["answered"] == 3  # three respondents, five options chosen
    assert {e["value"]: e["share"] for e in reason["distribution"]}["delivery"] == pytest.approx(
        100 * 2 / 3
    )
    assert [e["label"] for e in reason["distribution"]][:2] == ["物流配送", "产品质量"]
    speed = _question(body, "delivery_speed")
    assert speed["mean"] == pytest.approx((5 + 4 + 4 + 3 + 1) / 5)
    assert speed["median"] == 4
    assert _question(body, "comment")["answered"] == 3
    assert _question(body, "comment")["distribution"] == []


def test_nps_comes_with_its_split_and_95_percent_interval(manager):
    survey = survey_with_answers()
    nps = _question(_results(manager, survey).json(), "nps")["nps"]

    # 10, 9, 10 promote; 8, 7 are passive; 3, 0, 6 detract.
    assert (nps["promoters"], nps["passives"], nps["detractors"], nps["n"]) == (3, 2, 3, 8)
    assert nps["value"] == pytest.approx(0.0)
    half = 1.959963984540054 * math.sqrt((3 / 8 + 3 / 8 - 0) / 8) * 100
    assert nps["ci_low"] == pytest.approx(-half)
    assert nps["ci_high"] == pytest.approx(half)
    assert nps["promoter_share"] == pytest.approx(37.5)


def test_csat_reports_top_2_box_and_mean(manager):
    survey = published_survey("service_csat", consent_text="")
    for score in (5, 4, 2, 1):
        submitted_response(survey=survey, data={"csat": score, "resolved": "yes"})
    csat = _question(_results(manager, survey).json(), "csat")
    assert csat["csat"] == {"value": 50.0, "mean": 3.0, "n": 4}
    assert _counts(_question(_results(manager, survey).json(), "resolved")) == {"yes": 4}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"channel": "email"}, {"channel": "email"}),
        ({"store": "BJ02"}, {"store": "BJ02"}),
        ({"from": "2026-11-03", "to": "2026-11-05"}, {"nps_score__in": [8, 7, 3]}),
        ({"nps_group": "detractor"}, {"nps_score__lte": 6}),
        ({"q": "nps:9-10"}, {"nps_score__gte": 9}),
        ({"q": "reason:delivery"}, {"nps_score__in": [3, 0]}),
        ({"q": ["reason:delivery", "delivery_speed:1"]}, {"nps_score": 3}),
        ({"version": "1"}, {}),
    ],
)
def test_each_filter_counts_only_its_responses(manager, params, expected):
    survey = survey_with_answers()
    body = _results(manager, survey, **params).json()
    kept = Response.objects.filter(survey=survey, **expected)
    assert body["responses"] == kept.count()
    assert _counts(_question(body, "nps")) == dict(recount(survey, "nps", kept))
    assert _counts(_question(body, "reason")) == dict(recount(survey, "reason", kept))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"store": "nowhere"}, "store"),
        ({"region": "火星"}, "region"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "10000-01-01"}, "to"),
        ({"from": "2026-11-05", "to": "2026-11-01"}, "to"),
        ({"distribution": "999999"}, "distribution"),
        ({"version": "7"}, "version"),
        ({"nps_group": "fans"}, "nps_group"),
        ({"q": "nope:1"}, "q"),
        ({"q": "comment:好"}, "q"),
        ({"q": "reason:teleport"}, "q"),
        ({"q": "nps:5-11"}, "q"),
        ({"q": "nps"}, "q"),
        ({"exclude": "robots"}, "exclude"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_filter_is_a_400_naming_the_field(manager, params, field):
    survey = survey_with_answers()
    reply = _results(manager, survey, **params)
    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == [field]
    assert reply.json()["detail"]


def test_an_unknown_survey_is_a_404(manager):
    assert manager.get("/api/v1/surveys/999999/results/").status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.MANAGER, 200), (Role.AGENT, 200), (Role.DESIGNER, 200)],
)
def test_every_staff_role_reads_the_aggregated_results(client, role, status):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=role))
    assert _results(client, survey).status_code == status


def test_anonymous_callers_get_no_results(client):
    survey = survey_with_answers()
    assert _results(client, survey).status_code in (401, 403)


def test_labels_follow_the_requested_language(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    body = client.get(f"/api/v1/surveys/{survey.pk}/results/", HTTP_ACCEPT_LANGUAGE="en").json()
    reason = _question(body, "reason")
    assert reason["text"] == "What disappointed you most?"
    assert [e["label"] for e in reason["distribution"]][-1] == "Other"
