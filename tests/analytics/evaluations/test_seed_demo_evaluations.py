"""`seed_demo` ends with evaluations: CLV, four quarterly scorecards, a post-purchase rule."""

import pytest
from django.core.management import call_command

from analytics.models import ClvRun, EvaluationSnapshot, PostPurchaseRule

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_seed_demo_fits_clv_and_computes_four_quarters_idempotently(capsys):
    call_command("seed_demo")
    counts = (ClvRun.objects.count(), EvaluationSnapshot.objects.count())

    call_command("seed_demo")

    assert (ClvRun.objects.count(), EvaluationSnapshot.objects.count()) == counts
    assert EvaluationSnapshot.objects.values("period").distinct().count() == 4
    latest = EvaluationSnapshot.objects.order_by("-period_start").first()
    indicators = {row["code"]: row for row in latest.result["indicators"]}
    assert indicators["nps"]["value"] is not None
    assert indicators["clv"]["value"] is not None
    assert PostPurchaseRule.objects.count() == 1
    assert ClvRun.objects.latest().values.exists()
