"""The pre-aggregate's day bitmaps (PostgreSQL) against a recount from the raw response,
answer, customer and CLV rows: on every day, the facets set at each bit position are exactly
the facets of one of that day's responses — each response once — after a build and after a
fold that adds responses to a day already aggregated; a response counting a code twice
leaves the survey without bitmaps, its filters then read from the facts, still exact."""

import datetime as dt
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from analytics.models import ClvRun, CustomerValue
from surveyhub.security.roles import Role
from surveys.models import Answer, Customer, Response, ResultCube
from surveys.results.cube import cube_refresh
from surveys.results.cube_read import survey_codes
from surveys.results.filters import parse_filters
from surveys.results.queries import result_summary
from surveys.scoring.rules import NPS_GROUPS, nps_group_range
from tests.factories import UserFactory
from tests.support import require_postgresql
from tests.surveys.results.speed_data import (
    ROWS,
    _flags,
    add_response,
    counted,
    local_noon,
    recount,
    speed_survey,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

BITS = {"speeders": 1, "straightliners": 2, "duplicates": 4}


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql("the results pre-aggregate is PostgreSQL's")


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _stored(survey) -> dict[dt.date, Counter]:
    """day → Counter of the facet sets read down each bit position of the day's bitmaps."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT day, facet, bits::text FROM surveys_resultdaybits WHERE survey_id = %s",
            [survey.pk],
        )
        rows = cursor.fetchall()
    lengths: dict[dt.date, set[int]] = {}
    positions: dict[dt.date, dict[int, set[str]]] = {}
    for day, facet, bits in rows:
        lengths.setdefault(day, set()).add(len(bits))
        slots = positions.setdefault(day, {})
        for i, bit in enumerate(bits):
            slots.setdefault(i, set())
            if bit == "1":
                slots[i].add(facet)
    # Every bitmap of a day has one bit per response of the day.
    assert all(len(found) == 1 for found in lengths.values()), lengths
    return {day: Counter(frozenset(s) for s in slots.values()) for day, slots in positions.items()}


def _recounted(survey) -> dict[dt.date, Counter]:
    """day → Counter of the facet sets of the day's completed responses, from the raw rows."""
    codes = {triple: code for code, triple in survey_codes(survey.pk).items()}
    responses = list(
        Response.objects.filter(survey=survey, status="completed")
        .select_related("customer", "invitation", "version").prefetch_related("answers")
    )  # fmt: skip
    flags = _flags(survey, responses)
    values = CustomerValue.objects.filter(run=ClvRun.objects.order_by("-as_of", "-id").first())
    segments = {v.customer_id: (v.rfm_segment, v.value_tier) for v in values}
    found: dict[dt.date, Counter] = {}
    for r in responses:
        facets = {f"channel:{r.channel}", f"version:{r.version.number}"}
        facets.add(f"flags:{sum(BITS[flag] for flag in flags[r.pk])}")
        if r.store:
            facets.add(f"store:{r.store}")
        if r.customer and r.customer.region:
            facets.add(f"region:{r.customer.region}")
        if r.invitation:
            facets.add(f"distribution:{r.invitation.distribution_id}")
        if r.nps_score is not None:
            group = next(g for g in NPS_GROUPS if nps_group_range(g)[0] <= r.nps_score
                         <= nps_group_range(g)[1])  # fmt: skip
            facets.add(f"nps_group:{group.value}")
        if r.customer_id in segments:
            segment, tier = segments[r.customer_id]
            facets |= {f"segment:rfm_segment:{segment}", f"segment:value_tier:{tier}"}
        for a in r.answers.all():
            if a.number is None:
                facets.add(f"code:{codes[(a.question_key, 1, '')]}")
            else:
                facets.add(f"code:{codes[(a.question_key, 2, str(a.number))]}")
            for choice in a.choices or ():
                facets.add(f"code:{codes[(a.question_key, 3, choice)]}")
        day = timezone.localtime(r.completed_at).date()
        found.setdefault(day, Counter())[frozenset(facets)] += 1
    return found


def test_the_day_bitmaps_hold_each_response_of_the_day_once_with_its_facets():
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    assert ResultCube.objects.get(survey=survey).day_bits
    assert _stored(survey) == _recounted(survey)
    assert len(_stored(survey)) == len(ROWS)  # one day each


def test_a_fold_rewrites_the_days_it_adds_to(manager):
    survey = speed_survey()
    now = timezone.now()
    customers = list(Customer.objects.order_by("pk"))
    # One response of today before the build, two after it: the fold adds to today.

    def today(row, done):
        data, channel, store, _day, minutes, device, customer, _invited = row
        add_response(survey, (data, channel, store, 0, minutes, device, customer, False),
                     customers, survey.test_distribution, done=done)  # fmt: skip

    today(ROWS[0], now - dt.timedelta(minutes=5))
    assert cube_refresh(survey=survey, now=now) == "built"
    for row in (ROWS[2], ROWS[4]):
        today(row, now + dt.timedelta(seconds=5))
    assert cube_refresh(survey=survey, now=now + dt.timedelta(minutes=2)) == "folded"
    cube = ResultCube.objects.get(survey=survey)
    assert cube.day_bits and cube.responses == len(ROWS) + 3
    stored = _stored(survey)
    assert stored == _recounted(survey)
    assert sum(stored[timezone.localtime(now).date()].values()) == 3
    params = {"channel": "wechat", "q": "visit:a"}
    assert result_summary(survey, parse_filters(params, survey=survey)).path == "bits"
    reply = manager.get(f"/api/v1/surveys/{survey.pk}/results/", params)
    assert counted(reply.json()) == recount(survey, params)


def test_a_response_counting_a_code_twice_leaves_no_bitmaps_and_reads_the_facts(manager):
    survey = speed_survey()
    # Two equal options in one answer (the respondent pages never store that; a raw write can).
    answer = Answer.objects.get(response__survey=survey, question_key="reasons",
                                response__completed_at=local_noon(1))  # fmt: skip
    Answer.objects.filter(pk=answer.pk).update(choices=["delivery", "delivery"])
    assert cube_refresh(survey=survey) == "built"
    assert not ResultCube.objects.get(survey=survey).day_bits
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_resultdaybits WHERE survey_id = %s",
                       [survey.pk])  # fmt: skip
        assert cursor.fetchone()[0] == 0
    for params in ({"channel": "email", "q": "reasons:delivery"}, {"q": "reasons:delivery"}):
        reply = manager.get(f"/api/v1/surveys/{survey.pk}/results/", params)
        assert counted(reply.json()) == recount(survey, params), params
    params = {"channel": "email", "q": "reasons:delivery"}
    assert result_summary(survey, parse_filters(params, survey=survey)).path == "facts"
    assert recount(survey, params)[1]["reasons"]["delivery"] == 3  # counted twice
