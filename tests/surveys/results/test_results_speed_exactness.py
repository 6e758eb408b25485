"""Every filter combination the results offer answers exactly what a recount from the raw
response and answer rows gives — from the pre-aggregate's cells, its day bitmaps, its facts,
with responses completed after its watermark counted live, and live without it (PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from surveyhub.security.roles import Role
from surveys.models import Customer, Response, ResultCube
from surveys.results.cube import cube_refresh
from surveys.results.filters import parse_filters
from surveys.results.queries import result_summary
from tests.factories import UserFactory
from tests.support import require_postgresql
from tests.surveys.results.speed_data import (
    COMBINATIONS,
    ROWS,
    add_response,
    counted,
    params_for,
    recount,
    speed_survey,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql("the results pre-aggregate is PostgreSQL's")


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _body(client, survey, params):
    reply = client.get(f"/api/v1/surveys/{survey.pk}/results/", params)
    assert reply.status_code == 200, reply.content
    return reply.json()


def _check_every_combination(client, survey, paths: set[str]):
    seen = set()
    for raw in COMBINATIONS:
        params = params_for(survey, raw)
        assert counted(_body(client, survey, params)) == recount(survey, params), params
        filters = parse_filters(params, survey=survey)
        seen.add(result_summary(survey, filters).path)
    assert seen == paths


def test_every_combination_from_the_cells_bitmaps_and_facts_equals_the_recount(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    _check_every_combination(manager, survey, {"cube", "bits"})
    # Without complete day bitmaps (see cube_bits) two facets are one scan of the facts.
    ResultCube.objects.filter(survey=survey).update(day_bits=False)
    _check_every_combination(manager, survey, {"cube", "facts"})


def test_every_combination_counted_live_equals_the_recount(manager):
    survey = speed_survey()
    _check_every_combination(manager, survey, {"live"})


def test_responses_after_the_watermark_are_added_live_with_their_flags(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    customers = list(Customer.objects.order_by("pk"))
    distribution = survey.test_distribution
    now = timezone.now()
    # Newer than the watermark: a speeder, a straight-liner, a device seen before.
    for row, minutes in ((ROWS[1], 1), (ROWS[3], 6), (ROWS[0], 6)):
        data, channel, store, _day, _m, device, customer, _invited = row
        add_response(survey, (data, channel, store, 0, minutes, device, customer, False),
                     customers, distribution, done=now)  # fmt: skip
    assert not ResultCube.objects.get(survey=survey).stale
    _check_every_combination(manager, survey, {"cube", "bits"})
    assert cube_refresh(survey=survey, now=now + dt.timedelta(minutes=2)) == "folded"
    assert ResultCube.objects.get(survey=survey).responses == len(ROWS) + 3
    _check_every_combination(manager, survey, {"cube", "bits"})


def test_a_device_answering_again_earlier_marks_the_cube_stale(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    first = Response.objects.filter(survey=survey, device_key="d4").get()
    # An older response (lower id) of the same device completes only now: the aggregated
    # one becomes a duplicate.
    Response.objects.filter(survey=survey, device_key="d5").update(device_key="d4")
    assert ResultCube.objects.get(survey=survey).stale
    assert first.pk < Response.objects.get(survey=survey, device_key="d4", pk__gt=first.pk).pk
    params = {"exclude": "duplicates"}
    assert counted(_body(manager, survey, params)) == recount(survey, params)


def _quality_counts(client, survey) -> list[str]:
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    quality = html.split('class="res-quality"')[1].split("</p>")[0]
    return [part.rsplit("· ", 1)[1] for part in quality.split("</span>")[:3]]


def test_the_page_shows_the_quality_counts_stored_in_the_pre_aggregate(manager):
    survey = speed_survey()
    # Speeders: 1 minute against a median of 6 (2 of them); straight-liners: all-3, all-1,
    # all-5 (CSAT included); duplicates: the second response of d1 and of d3.
    assert _quality_counts(manager, survey) == ["2", "3", "2"]
    assert cube_refresh(survey=survey) == "built"
    assert _quality_counts(manager, survey) == ["2", "3", "2"]
    # Read from the cells, not recounted: cells without flags show none.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE surveys_resultcubecell SET flags = 0 WHERE survey_id = %s",
                       [survey.pk])  # fmt: skip
    assert _quality_counts(manager, survey) == ["0", "0", "0"]


def test_a_customer_moving_region_marks_the_cube_stale_and_stays_exact(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    params = {"region": "华东"}
    assert result_summary(survey, parse_filters(params, survey=survey)).path == "cube"
    moved = Customer.objects.get(name="顧客0")
    moved.region = "西南"
    moved.save()
    assert ResultCube.objects.get(survey=survey).stale
    for params in ({"region": "华东"}, {"region": "西南"}):
        assert counted(_body(manager, survey, params)) == recount(survey, params)
    assert cube_refresh(survey=survey) == "built"
    params = {"region": "西南"}
    assert counted(_body(manager, survey, params)) == recount(survey, params)
