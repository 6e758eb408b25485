"""Retention: responses and feedback older than the admin's period are anonymised by the
nightly task; scores stay, identity and text go; a rerun changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import metric_summary
from feedback.models import FeedbackItem
from surveyhub.celery import app
from surveyhub.security.roles import Role
from surveys.models import Answer, PrivacySettings, Response
from surveys.privacy.personal_data import ERASED_TEXT, retention_apply
from tests.factories import (
    CustomerFactory,
    FeedbackItemFactory,
    UserFactory,
    published_survey,
    submitted_response,
)

pytestmark = pytest.mark.django_db


def answered(survey, *, days_ago: int, text: str):
    response = submitted_response(
        survey=survey, data={"nps": 4, "comment": text}, customer=CustomerFactory()
    )
    when = timezone.now() - timedelta(days=days_ago)
    Response.objects.filter(pk=response.pk).update(started_at=when, completed_at=when)
    return response


@pytest.fixture
def history(django_capture_on_commit_callbacks):
    survey = published_survey(consent_text="")
    with django_capture_on_commit_callbacks(execute=True):
        old = answered(survey, days_ago=400, text="去年的投诉，张三")
        recent = answered(survey, days_ago=10, text="最近的意见")
    FeedbackItem.objects.filter(response=old).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    old_item = FeedbackItemFactory(text="旧的微信留言 13800138000", customer=CustomerFactory())
    FeedbackItem.objects.filter(pk=old_item.pk).update(
        created_at=timezone.now() - timedelta(days=366)
    )
    return old, recent, old_item


def set_retention(days):
    """What an Admin saves in Privacy settings (the row exists from migration 0008)."""
    PrivacySettings.objects.update_or_create(pk=1, defaults={"retention_days": days})


def test_nothing_is_anonymised_while_retention_is_unset(history):
    set_retention(None)
    assert retention_apply() == {"responses": 0, "feedback": 0}
    assert not Response.objects.filter(anonymised_at__isnull=False).exists()


def test_expired_responses_and_feedback_lose_identity_and_text_but_keep_scores(history):
    old, recent, old_item = history
    set_retention(365)
    nps_before = metric_summary(MetricFilters()).nps

    done = app.tasks["surveys.apply_retention"].delay().get()

    assert done == {"responses": 1, "feedback": 2}  # the old answer's item + the WeChat one
    old.refresh_from_db()
    assert (old.customer_id, old.anonymised_at is not None, old.nps_score) == (None, True, 4)
    assert Answer.objects.get(response=old, question_key="comment").text == ERASED_TEXT
    item = FeedbackItem.objects.get(pk=old_item.pk)
    assert (item.text, item.customer_id, item.keywords) == (ERASED_TEXT, None, [])
    assert metric_summary(MetricFilters()).nps == nps_before
    # Inside the period: untouched.
    recent.refresh_from_db()
    assert recent.customer_id is not None and recent.anonymised_at is None
    assert Answer.objects.get(response=recent, question_key="comment").text == "最近的意见"
    assert FeedbackItem.objects.filter(response=recent, text="最近的意见").exists()


def test_running_again_changes_nothing(history):
    set_retention(365)
    retention_apply()

    assert retention_apply() == {"responses": 0, "feedback": 0}


def test_work_is_done_in_batches(history, django_capture_on_commit_callbacks):
    survey = published_survey(consent_text="")
    for _ in range(4):
        answered(survey, days_ago=500, text="很旧")
    set_retention(30)

    done = retention_apply(batch_size=2)

    assert done["responses"] == 5
    assert not Response.objects.filter(anonymised_at__isnull=True, completed_at__lt=timezone.now()
                                       - timedelta(days=30)).exists()  # fmt: skip


def test_an_admin_sets_the_period_in_the_admin(client):
    client.force_login(UserFactory(role=Role.ADMIN))

    page = client.get("/admin/surveys/privacysettings/", follow=True)
    assert page.status_code == 200
    saved = client.post(
        "/admin/surveys/privacysettings/1/change/", {"retention_days": "730"}, follow=True
    )

    assert saved.status_code == 200
    assert PrivacySettings.current().retention_days == 730


def test_a_manager_cannot_change_the_period(client):
    client.force_login(UserFactory(role=Role.MANAGER))

    assert client.get("/admin/surveys/privacysettings/1/change/").status_code == 403


def test_the_task_is_on_the_nightly_beat_schedule():
    entry = app.conf.beat_schedule["surveys-apply-retention"]

    assert entry["task"] == "surveys.apply_retention"
