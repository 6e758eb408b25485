"""The pre-aggregate's NPS-group facets and customer segments (PostgreSQL): a score range of
an NPS question is read from its group facets, a value tier or RFM segment from the cells or
the day bitmaps — each equal to the recount from the raw rows, and a new CLV run
that moves a customer to another tier changes the filtered results at once (never stale)."""

import datetime as dt

import pytest

from analytics.models import ClvRun, CustomerValue
from surveyhub.security.roles import Role
from surveys.models import Customer, ResultCode, ResultCube, ResultFact
from surveys.results.cube import GROUP, cube_refresh
from surveys.results.cube_read import cube_facets, survey_codes, survey_score_keys
from surveys.results.filters import parse_filters
from surveys.results.queries import result_summary
from tests.factories import UserFactory
from tests.support import require_postgresql
from tests.surveys.results.speed_data import SEGMENTS, TIERS, counted, recount, speed_survey

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql():
    require_postgresql("the results pre-aggregate is PostgreSQL's")


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _check(client, survey, params, path):
    reply = client.get(f"/api/v1/surveys/{survey.pk}/results/", params)
    assert reply.status_code == 200, reply.content
    assert counted(reply.json()) == recount(survey, params), params
    assert result_summary(survey, parse_filters(params, survey=survey)).path == path, params


def _facets(survey, params):
    filters = parse_filters(params, survey=survey)
    return cube_facets(filters, survey_codes(survey.pk), survey_score_keys(survey))


NPS_RANGES = {
    "nps:0-6": ["scores:nps:detractor"],
    "nps:7-8": ["scores:nps:passive"],
    "nps:9-10": ["scores:nps:promoter"],
    "nps:0-10": ["scores:nps:detractor", "scores:nps:passive", "scores:nps:promoter"],
    "nps:0-8": ["scores:nps:detractor", "scores:nps:passive"],
    "nps:5-10": ["scores:nps:passive", "scores:nps:promoter"],  # and the code of 6
    "nps:3-7": [],  # no whole group: one facet per score
}


def test_an_nps_range_is_read_from_the_group_facets_and_equals_the_recount(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    for raw, groups in NPS_RANGES.items():
        facets = _facets(survey, {"q": raw})
        assert [f for f in facets if f.startswith("scores:")] == groups, raw
        for params in ({"q": raw}, {"q": raw, "exclude": "speeders", "from": "2026-11-03"}):
            _check(manager, survey, params, "cube")
    # Beyond the groups, "5–10" reads the code of 6 (nobody gave 5: it has no code).
    codes = survey_codes(survey.pk)
    six = next(c for c, triple in codes.items() if triple == ("nps", 2, "6"))
    assert _facets(survey, {"q": "nps:5-10"})[2:] == [f"code:{six}"]
    three = next(c for c, triple in codes.items() if triple == ("nps", 2, "3"))
    assert f"code:{three}" in _facets(survey, {"q": "nps:3-7"})


def test_a_cube_without_group_markers_reads_the_scores_one_by_one(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    # As a cube built before the group facets: no markers, so none are read.
    ResultCode.objects.filter(survey=survey, kind=GROUP).delete()
    assert not any(f.startswith("scores:") for f in _facets(survey, {"q": "nps:0-6"}))
    _check(manager, survey, {"q": "nps:0-6"}, "cube")
    _check(manager, survey, {"q": "nps:9-10", "channel": "email"}, "bits")


def test_value_tier_and_segment_are_read_from_the_cells_and_the_day_bitmaps(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    assert ResultCube.objects.get(survey=survey).segments_basis.startswith("rfm_segment=clv-run:")
    first = Customer.objects.get(name="顧客0")
    fact = ResultFact.objects.filter(survey=survey, customer_id=first.pk).first()
    assert sorted(fact.segments) == [f"rfm_segment:{SEGMENTS[0]}", f"value_tier:{TIERS[0]}"]
    for params in ({"value_tier": "high"}, {"value_tier": "high,low"},
                   {"segment": "important_value"}, {"value_tier": "medium", "exclude": "speeders"},
                   {"segment": "general_retain"}):  # fmt: skip
        _check(manager, survey, params, "cube")
    for params in ({"value_tier": "high", "segment": "important_value"},
                   {"segment": "important_value", "value_tier": "high", "q": "nps:0-6"},
                   {"value_tier": "high", "channel": "email"}):  # fmt: skip
        _check(manager, survey, params, "bits")


def _new_run(moves: dict[str, tuple[str, str]]) -> ClvRun:
    """A later CLV run: every customer as in the last one, except `moves` (name → segment,
    tier)."""
    latest = ClvRun.objects.order_by("-as_of", "-id").first()
    run = ClvRun.objects.create(as_of=latest.as_of + dt.timedelta(days=1), r=1, alpha=1, a=1,
                                b=1, bgnbd_log_likelihood=0, n_customers=4)  # fmt: skip
    for value in CustomerValue.objects.filter(run=latest).select_related("customer"):
        segment, tier = moves.get(value.customer.name, (value.rfm_segment, value.value_tier))
        value.pk, value.run, value.rfm_segment, value.value_tier = None, run, segment, tier
        value.save()
    return run


def test_a_new_clv_run_changes_the_filtered_results_at_once_and_after_the_rebuild(manager):
    survey = speed_survey()
    assert cube_refresh(survey=survey) == "built"
    filters = [{"value_tier": "high"}, {"value_tier": "low"}, {"segment": "important_value"},
               {"value_tier": "low", "q": "nps:7-10"}]  # fmt: skip
    before = {str(p): recount(survey, p) for p in filters}
    # 顧客0 (high, important_value) becomes low and general_keep.
    _new_run({"顧客0": ("general_keep", "low")})
    for params in filters:
        assert recount(survey, params) != before[str(params)], params
        # The cube still holds the old run: counted from the customers, exact.
        _check(manager, survey, params, "facts")
    # The next refresh rebuilds it for the new run (no response changed): read from it again.
    assert cube_refresh(survey=survey) == "built"
    _check(manager, survey, {"value_tier": "low"}, "cube")
    _check(manager, survey, {"value_tier": "low", "q": "nps:7-10"}, "bits")
    assert cube_refresh(survey=survey) in {"folded", "skipped"}
    # A run deleted: the previous one is the latest again.
    ClvRun.objects.order_by("-as_of", "-id").first().delete()
    _check(manager, survey, {"value_tier": "high"}, "facts")
    assert recount(survey, {"value_tier": "high"}) == before[str({"value_tier": "high"})]
