"""seed_demo: every demo comment becomes an analysed item with topics; seeding twice adds none."""

import pytest
from django.core.management import call_command

from feedback.models import AnalysisStatus, FeedbackItem, FeedbackTopic, Topic
from surveys.models import Answer

pytestmark = pytest.mark.django_db


def test_seed_demo_analyses_every_demo_comment_once(settings):
    settings.DEMO_MODE = False
    call_command("seed_demo")
    counts = (FeedbackItem.objects.count(), Topic.objects.count(), FeedbackTopic.objects.count())

    call_command("seed_demo")

    comments = Answer.objects.filter(question__type="long_text").exclude(text="").count()
    assert FeedbackItem.objects.filter(source="survey").count() == comments > 200
    assert FeedbackItem.objects.exclude(source="survey").count() >= 10
    assert not FeedbackItem.objects.filter(analysis_status=AnalysisStatus.PENDING).exists()
    assert Topic.objects.filter(is_active=True).count() >= 2
    assert (
        FeedbackItem.objects.count(),
        Topic.objects.count(),
        FeedbackTopic.objects.count(),
    ) == counts
