"""Weights that do not sum sensibly: the admin refuses a weight that would leave the overall
index (all dimensions at 0) or a dimension (all its indicators at 0) with nothing to weigh,
with a message saying what would happen; weights on any positive scale are accepted, and
rows written around the admin never fail the nightly scorecard."""

import pytest
from django.test import Client

from analytics.evaluations.periods import local_today, period_containing
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import DimensionWeight, ScorecardTarget
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def admin():
    client = Client()
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def test_the_last_dimension_at_zero_is_refused_and_nothing_saved(admin):
    for dimension in ("satisfaction", "loyalty", "value_growth"):
        DimensionWeight.objects.create(dimension=dimension, weight=0.0)
    response = admin.post("/admin/analytics/dimensionweight/add/",
                          {"dimension": "experience", "weight": "0"}, **ZH)  # fmt: skip

    assert response.status_code == 200
    assert "四个维度的权重都将为 0" in response.content.decode()
    assert not DimensionWeight.objects.filter(dimension="experience").exists()
    response = admin.post("/admin/analytics/dimensionweight/add/",
                          {"dimension": "experience", "weight": "2.5"})  # fmt: skip
    assert response.status_code == 302
    assert DimensionWeight.objects.get(dimension="experience").weight == 2.5


def test_every_indicator_of_a_dimension_at_zero_is_refused_naming_it(admin):
    # Satisfaction holds NPS and CSAT: CSAT at 0 is fine, then NPS at 0 is not.
    response = admin.post("/admin/analytics/scorecardtarget/add/",
                          {"code": "csat", "target": "80", "weight": "0"})  # fmt: skip
    assert response.status_code == 302
    response = admin.post("/admin/analytics/scorecardtarget/add/",
                          {"code": "nps", "target": "40", "weight": "0"}, **ZH)  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert "满意度的每个指标权重都将为 0" in page and "NPS" in page
    assert not ScorecardTarget.objects.filter(code="nps").exists()


def test_an_existing_row_edited_to_zero_is_refused_too(admin):
    rows = [DimensionWeight.objects.create(dimension=d, weight=0.0)
            for d in ("satisfaction", "loyalty", "value_growth")]  # fmt: skip
    last = DimensionWeight.objects.create(dimension="experience", weight=3.0)
    response = admin.post(f"/admin/analytics/dimensionweight/{last.pk}/change/",
                          {"dimension": "experience", "weight": "0"})  # fmt: skip

    assert response.status_code == 200 and len(rows) == 3
    last.refresh_from_db()
    assert last.weight == 3.0


def test_all_zero_rows_written_around_the_admin_weigh_equally_not_fail_the_night():
    for dimension in ("satisfaction", "loyalty", "value_growth", "experience"):
        DimensionWeight.objects.create(dimension=dimension, weight=0.0)

    snapshot = evaluation_compute(period=period_containing(local_today()).code)

    assert snapshot.pk is not None
