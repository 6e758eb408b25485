"""Retention is three years unless an Admin says otherwise: a new install starts with 1095
days (migration 0008), an upgraded one keeps "forever" until an Admin chooses, the Admin can
change it, and the nightly task follows whatever is set."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from surveyhub.celery import app
from surveyhub.security.roles import Role
from surveys.models import Answer, PrivacySettings, Response
from surveys.privacy.personal_data import ERASED_TEXT
from tests.factories import CustomerFactory, UserFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("surveys.migrations.0008_privacy_retention_default")


def answered(survey, *, days_ago: int) -> Response:
    response = submitted_response(
        survey=survey, data={"nps": 8, "comment": f"{days_ago} 天前的意见"},
        customer=CustomerFactory(),
    )  # fmt: skip
    when = timezone.now() - timedelta(days=days_ago)
    Response.objects.filter(pk=response.pk).update(started_at=when, completed_at=when)
    return response


def nightly() -> dict[str, int]:
    return app.tasks["surveys.apply_retention"].delay().get()


def comment(response) -> str:
    return Answer.objects.get(response=response, question_key="comment").text


def test_a_new_install_keeps_three_years():
    # The test database was made by `migrate` on an empty database: a new install.
    assert PrivacySettings.objects.get(pk=1).retention_days == 1095
    assert PrivacySettings.current().retention_days == 1095


def test_an_install_that_loses_the_row_still_defaults_to_three_years():
    PrivacySettings.objects.all().delete()
    assert PrivacySettings.current().retention_days == 1095


def test_the_nightly_task_honours_the_default(django_capture_on_commit_callbacks):
    survey = published_survey(consent_text="")
    with django_capture_on_commit_callbacks(execute=True):
        expired = answered(survey, days_ago=1100)
        kept = answered(survey, days_ago=1090)

    assert nightly()["responses"] == 1

    assert comment(expired) == ERASED_TEXT
    assert comment(kept) == "1090 天前的意见"
    assert Response.objects.get(pk=kept.pk).customer_id is not None


def test_the_nightly_task_honours_what_the_admin_sets(client, django_capture_on_commit_callbacks):
    survey = published_survey(consent_text="")
    with django_capture_on_commit_callbacks(execute=True):
        month_old = answered(survey, days_ago=40)
    client.force_login(UserFactory(role=Role.ADMIN))
    form = client.get("/admin/surveys/privacysettings/1/change/")
    assert 'value="1095"' in form.content.decode()

    assert nightly()["responses"] == 0
    client.post("/admin/surveys/privacysettings/1/change/", {"retention_days": "30"})
    assert PrivacySettings.current().retention_days == 30
    assert nightly()["responses"] == 1
    assert comment(month_old) == ERASED_TEXT


def test_an_admin_can_keep_everything_forever(client, django_capture_on_commit_callbacks):
    survey = published_survey(consent_text="")
    with django_capture_on_commit_callbacks(execute=True):
        ancient = answered(survey, days_ago=4000)
    client.force_login(UserFactory(role=Role.ADMIN))

    client.post("/admin/surveys/privacysettings/1/change/", {"retention_days": ""})

    assert PrivacySettings.current().retention_days is None
    assert nightly()["responses"] == 0
    assert comment(ancient) == "4000 天前的意见"


def test_an_upgraded_install_with_data_keeps_forever_until_an_admin_chooses():
    PrivacySettings.objects.all().delete()
    CustomerFactory()

    MIGRATION.retention_default(apps, None)

    assert PrivacySettings.objects.get(pk=1).retention_days is None


def test_the_migration_gives_an_empty_install_three_years_and_keeps_an_admins_choice():
    PrivacySettings.objects.all().delete()
    MIGRATION.retention_default(apps, None)
    assert PrivacySettings.objects.get(pk=1).retention_days == 1095

    PrivacySettings.objects.filter(pk=1).update(retention_days=90)
    MIGRATION.retention_default(apps, None)
    assert PrivacySettings.objects.get(pk=1).retention_days == 90
