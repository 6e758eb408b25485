"""The published CDNOW results (Fader, Hardie & Lee 2005; Fader & Hardie 2013) reproduced."""

from pathlib import Path

import pandas as pd
import pytest

from analytics.clv.bgnbd import bgnbd_fit
from analytics.clv.gamma_gamma import gamma_gamma_fit
from analytics.clv.summary import customer_summary

REPO_ROOT = Path(__file__).resolve().parents[3]
CDNOW = REPO_ROOT / ".." / "shared" / "data" / "cdnow-purchases.csv"
CALIBRATION_END = "1997-09-30"
# Published figures are rounded to 3 decimals (2 for Gamma-Gamma); 0.5% covers that rounding.
REL = 0.005


@pytest.fixture(scope="module")
def transactions() -> pd.DataFrame:
    if not CDNOW.exists():
        pytest.fail(f"CDNOW sample missing at {CDNOW}")
    return pd.read_csv(CDNOW, parse_dates=["ordered_at"])


@pytest.fixture(scope="module")
def weekly(transactions) -> pd.DataFrame:
    return customer_summary(transactions, calibration_end=CALIBRATION_END, time_unit="weeks")


def test_cdnow_summary_has_2357_customers_and_946_repeaters(weekly):
    assert len(weekly) == 2357
    assert (weekly["frequency"] > 0).sum() == 946


def test_cdnow_first_customer_matches_the_paper(weekly):
    first = weekly.loc["C00001"]

    assert first["frequency"] == 2
    assert first["recency"] == pytest.approx(30.43, abs=0.005)
    assert first["T"] == pytest.approx(38.86, abs=0.005)


def test_cdnow_bgnbd_in_weeks_matches_the_published_fit(weekly):
    fit = bgnbd_fit(weekly["frequency"], weekly["recency"], weekly["T"])

    assert fit.converged
    assert fit.r == pytest.approx(0.243, rel=REL)
    assert fit.alpha == pytest.approx(4.414, rel=REL)
    assert fit.a == pytest.approx(0.793, rel=REL)
    assert fit.b == pytest.approx(2.426, rel=REL)
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.1)


def test_cdnow_bgnbd_in_days_has_the_same_shape_and_seven_times_alpha(transactions):
    daily = customer_summary(transactions, calibration_end=CALIBRATION_END, time_unit="days")

    fit = bgnbd_fit(daily["frequency"], daily["recency"], daily["T"])

    assert fit.r == pytest.approx(0.243, rel=REL)
    assert fit.alpha == pytest.approx(4.414 * 7, rel=REL)
    assert fit.a == pytest.approx(0.793, rel=REL)
    assert fit.b == pytest.approx(2.426, rel=REL)


def test_cdnow_gamma_gamma_on_the_946_repeaters_matches_the_published_fit(weekly):
    fit = gamma_gamma_fit(weekly["frequency"], weekly["monetary_value"])

    assert fit.n_customers == 946
    assert fit.converged
    assert fit.p == pytest.approx(6.25, rel=REL)
    assert fit.q == pytest.approx(3.74, rel=REL)
    assert fit.gamma == pytest.approx(15.44, rel=REL)
