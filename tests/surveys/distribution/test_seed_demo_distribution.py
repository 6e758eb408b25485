"""The demo distribution: the NPS survey mailed (to files) to a subset of demo customers, once."""

import pytest

from surveys.distribution import demo as demo_distribution
from surveys.distribution.queries import distribution_counts
from surveys.models import Distribution, DistributionStatus, Invitation
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db


def test_the_demo_step_sends_the_nps_survey_once_to_files(tmp_path, monkeypatch, mailoutbox):
    monkeypatch.setattr(demo_distribution, "OUTBOX", tmp_path)
    published_survey(slug="nps-2026", consent_text="")
    for number in range(1, 6):
        CustomerFactory(external_id=f"DEMO-{number:04d}", unsubscribed=number == 5)
    lines = []

    demo_distribution.seed(log=lines.append)
    demo_distribution.seed(log=lines.append)

    distribution = Distribution.objects.get()
    assert distribution.status == DistributionStatus.SENT
    assert Invitation.objects.count() == 5
    counts = distribution_counts(distribution)
    assert (counts["sent"], counts["skipped_unsubscribed"]) == (4, 1)
    assert len(list(tmp_path.iterdir())) >= 1
    assert mailoutbox == []  # never through the configured backend
    assert len(lines) == 1 and str(tmp_path) in lines[0]


def test_the_demo_step_does_nothing_without_the_demo_survey():
    lines = []

    demo_distribution.seed(log=lines.append)

    assert not Distribution.objects.exists()
