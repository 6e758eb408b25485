"""`fit_clv --as-of 1997-09-30` on the imported CDNOW sample reproduces the published fit."""

import json

import pytest
from django.core.management import call_command

from analytics.models import ClvRun, CustomerValue
from tests.support import cdnow_path

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_LL = -9582.4


@pytest.fixture
def cdnow(capsys):
    call_command("import_purchases", str(cdnow_path()))
    capsys.readouterr()


def test_fit_clv_on_cdnow_reproduces_the_published_bgnbd_parameters(cdnow, capsys):
    call_command("fit_clv", "--as-of", "1997-09-30", "--json")

    fitted = json.loads(capsys.readouterr().out)
    assert fitted["n_customers"] == 2357
    for name, published in PUBLISHED.items():
        assert fitted["bgnbd"][name] == pytest.approx(published, rel=0.005), name
    assert abs(fitted["bgnbd"]["log_likelihood"] - PUBLISHED_LL) <= 0.1
    gg = fitted["gamma_gamma"]
    assert fitted["n_repeaters"] == 946
    assert (gg["p"], gg["q"], gg["gamma"]) == pytest.approx((6.25, 3.74, 15.44), rel=0.01)


def test_fit_clv_prints_the_parameters_and_stores_every_customer(cdnow, capsys):
    call_command("fit_clv", "--as-of", "1997-09-30")

    out = capsys.readouterr().out
    assert "r=0.243 alpha=4.414 a=0.793 b=2.426" in out
    run = ClvRun.objects.get()
    assert CustomerValue.objects.filter(run=run).count() == 2357
    tiers = dict.fromkeys(["high", "medium", "low"], 0)
    for tier in CustomerValue.objects.values_list("value_tier", flat=True):
        tiers[tier] += 1
    assert tiers["high"] == 472  # ceil(20% of 2357)
    assert tiers["medium"] == 1179 - 472  # ceil(50%) − high
    # A customer who never repurchased is alive for sure under BG/NBD.
    assert not CustomerValue.objects.filter(run=run, frequency=0).exclude(p_alive=1.0).exists()


def test_days_give_the_same_shape_parameters_and_seven_times_alpha(cdnow, capsys):
    call_command("fit_clv", "--as-of", "1997-09-30", "--time-unit", "days", "--json")

    fitted = json.loads(capsys.readouterr().out)["bgnbd"]
    assert fitted["r"] == pytest.approx(PUBLISHED["r"], rel=0.005)
    assert fitted["alpha"] == pytest.approx(7 * PUBLISHED["alpha"], rel=0.005)


def test_export_customer_values_writes_the_api_columns(cdnow, tmp_path, capsys):
    path = tmp_path / "values.csv"

    call_command("export_customer_values", str(path), "--as-of", "1997-09-30")

    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "external_id,frequency,recency,T,monetary,r_score,f_score,m_score,rfm_segment,"
        "p_alive,expected_orders_1y,clv,churn_risk"
    )
    assert len(lines) == 2358


def test_fit_clv_without_purchases_fails_with_a_clear_message(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="客户太少"):
        call_command("fit_clv", "--as-of", "1997-09-30")
