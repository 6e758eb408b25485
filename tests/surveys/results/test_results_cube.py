"""The results pre-aggregate (PostgreSQL): the results read from it are exactly the live
results and the recount from the answer table — for every filter it can express, with the
tail completed after its watermark counted live, with flagged responses excluded, and after
an aggregated answer changes or a response is deleted (the triggers mark it stale)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from surveyhub.security.roles import Role
from surveys.models import Answer, Response, ResultCube
from surveys.results.cube import cube_refresh, usable_cube
from surveys.results.filters import parse_filters
from surveys.results.queries import result_summary
from tests.factories import UserFactory, submitted_response
from tests.support import require_postgresql
from tests.surveys.results.helpers import recount, survey_with_answers

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql("the results cube (its triggers and COPY are PostgreSQL's)")


COMBINATIONS = [
    {},
    {"channel": "email"},
    {"store": "BJ02"},
    {"from": "2026-11-03", "to": "2026-11-05"},
    {"nps_group": "detractor", "from": "2026-11-02"},
    {"q": "reason:delivery"},
    {"q": "reason:__other__", "to": "2026-11-06"},
    {"version": "1"},
    {"exclude": "speeders"},
    {"channel": "wechat", "store": "SH01"},  # two facets: the day bitmaps
    {"q": "nps:9-10"},  # a score range of NPS: the cells of two scores
    {"q": "delivery_speed:4-5"},  # a rating range: the cells of two scores
]


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _body(client, survey, params):
    reply = client.get(f"/api/v1/surveys/{survey.pk}/results/", params)
    assert reply.status_code == 200, reply.content
    return reply.json()


def _live(client, survey, params):
    cubes = list(ResultCube.objects.filter(survey=survey).values())
    ResultCube.objects.filter(survey=survey).update(stale=True)
    try:
        return _body(client, survey, params)
    finally:
        ResultCube.objects.filter(survey=survey).update(stale=cubes[0]["stale"])


def _question(body, key):
    return next(q for q in body["questions"] if q["key"] == key)


def _counts(question):
    return {e["value"]: e["count"] for e in question["distribution"] if e["count"]}


def _build(survey):
    assert cube_refresh(survey=survey) == "built"


def test_every_combination_from_the_cube_equals_the_live_results(manager):
    survey = survey_with_answers()
    _build(survey)
    assert usable_cube(survey) is not None
    for params in COMBINATIONS:
        assert _body(manager, survey, params) == _live(manager, survey, params), params

    # The cells answered one facet, the day bitmaps two.
    def path(params):
        return result_summary(survey, parse_filters(params, survey=survey)).path

    assert path({"q": "reason:delivery"}) == path({"q": "nps:9-10"}) == "cube"
    assert path({"channel": "wechat", "store": "SH01"}) == "bits"


def test_the_cube_alone_matches_a_recount_from_the_answer_table(manager):
    survey = survey_with_answers()
    _build(survey)
    # Live counting would give the same answer: empty the answers' own path by checking the
    # cells against the recount while the responses are all behind the watermark.
    body = _body(manager, survey, {"channel": "link"})
    kept = Response.objects.filter(survey=survey, channel="link")
    assert body["responses"] == 2
    assert _counts(_question(body, "reason")) == dict(recount(survey, "reason", kept))
    assert _counts(_question(body, "nps")) == {3: 1, 0: 1}


def test_responses_completed_after_the_watermark_are_counted_live_then_folded(manager):
    survey = survey_with_answers()
    _build(survey)
    submitted_response(survey=survey, data={"nps": 2, "reason": ["price"]})  # now: the tail
    body = _body(manager, survey, {"q": "reason:price"})
    assert body["responses"] == 2
    assert _counts(_question(body, "nps")) == {3: 1, 2: 1}
    assert cube_refresh(survey=survey, now=timezone.now() + dt.timedelta(minutes=2)) == "folded"
    cube = ResultCube.objects.get(survey=survey)
    assert not cube.stale and cube.responses == 9
    assert _body(manager, survey, {"q": "reason:price"}) == body


def test_a_changed_or_deleted_aggregated_answer_marks_the_cube_stale_and_stays_exact(manager):
    survey = survey_with_answers()
    _build(survey)
    answer = Answer.objects.get(response__survey=survey, question_key="nps", number=10,
                                response__channel="email", response__store="SH01")  # fmt: skip
    answer.number = 4
    answer.save()
    assert ResultCube.objects.get(survey=survey).stale
    body = _body(manager, survey, {})
    assert _counts(_question(body, "nps"))[4] == 1
    assert _counts(_question(body, "nps")) == dict(recount(survey, "nps"))

    _build(survey)
    Response.objects.filter(survey=survey, nps_score=0).delete()
    assert ResultCube.objects.get(survey=survey).stale
    assert _body(manager, survey, {})["responses"] == 7


def test_a_completion_dated_before_the_watermark_marks_it_stale(manager):
    survey = survey_with_answers()
    _build(survey)
    late = submitted_response(survey=survey, data={"nps": 5})
    Response.objects.filter(pk=late.pk).update(
        completed_at=timezone.make_aware(dt.datetime(2026, 11, 2, 9))
    )
    assert ResultCube.objects.get(survey=survey).stale
    assert _body(manager, survey, {"to": "2026-11-02"})["responses"] == 3


def test_the_command_builds_and_folds(manager):
    survey = survey_with_answers()
    call_command("refresh_result_cubes", survey=survey.pk, rebuild=True)
    assert ResultCube.objects.get(survey=survey).responses == 8
