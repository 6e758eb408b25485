"""Consent texts are recorded, numbered and immutable; each response keeps the one it
accepted, in the language it was shown."""

import pytest

from surveyhub.security.roles import Role
from surveys.design.services import survey_update
from surveys.design.survey_templates import CONSENT_EN, CONSENT_ZH
from surveys.models import ConsentText, Response
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db

NEW_NOTICE = "我们仅将您的回答用于改进服务，保存一年后匿名化。"
# The public submit as in production: committed, so on PostgreSQL the single statement of
# surveys/responding/rows.py writes the consent columns (inside a transaction the ORM would).
COMMITTED = pytest.mark.django_db(transaction=True)


def submit(client, survey, *, language="zh-hans", consent=True):
    return client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        {"answers": {"nps": 8}, "consent": consent, "language": language},
        content_type="application/json",
    )


def test_publishing_records_the_consent_text_in_each_language():
    survey = published_survey()

    rows = {row.language: row for row in ConsentText.objects.filter(survey=survey)}

    assert set(rows) == {"zh-hans", "en"}
    assert (rows["zh-hans"].number, rows["zh-hans"].text) == (1, CONSENT_ZH)
    assert rows["en"].text == CONSENT_EN
    assert rows["zh-hans"].sha256 == ConsentText.digest(CONSENT_ZH)


@COMMITTED
def test_a_response_points_at_the_text_it_accepted_in_its_language(client):
    survey = published_survey()

    zh = submit(client, survey)
    en = submit(client, survey, language="en")

    assert zh.status_code == en.status_code == 201
    by_language = {
        r.language: r for r in Response.objects.select_related("consent_text").order_by("pk")
    }
    assert by_language["zh-hans"].consent_text.text == CONSENT_ZH
    assert by_language["en"].consent_text.text == CONSENT_EN
    assert all(r.consented_at is not None for r in by_language.values())


@COMMITTED
def test_changing_the_text_makes_a_new_version_and_old_responses_keep_theirs(client):
    survey = published_survey()
    submit(client, survey)
    old = Response.objects.get()

    survey_update(survey=survey, consent_text=NEW_NOTICE)
    submit(client, survey)

    new = Response.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert (old.consent_text.number, old.consent_text.text) == (1, CONSENT_ZH)
    assert (new.consent_text.number, new.consent_text.text) == (2, NEW_NOTICE)
    assert ConsentText.objects.filter(survey=survey, number=2).count() == 2  # zh + en


def test_other_edits_keep_the_consent_version():
    survey = published_survey()

    survey_update(survey=survey, intro="新的开场白")

    assert set(ConsentText.objects.filter(survey=survey).values_list("number", flat=True)) == {1}


def test_the_page_flow_stores_the_accepted_text_and_when(client):
    survey = published_survey()
    url = f"/s/{survey.slug}/?lang=en"

    refused = client.post(url, {"page": 0, "rk": "", "nps": "9", "action": "next"})
    assert "I have read and agree" in refused.content.decode()
    client.post(url, {"page": 0, "rk": "", "nps": "9", "_consent": "1", "action": "next"})

    response = Response.objects.select_related("consent_text").get()
    assert (response.consent_text.language, response.consent_text.text) == ("en", CONSENT_EN)
    assert response.consented_at is not None


def test_a_recorded_text_cannot_be_changed_or_deleted():
    survey = published_survey()
    text = ConsentText.objects.filter(survey=survey).first()

    text.text = "篡改"
    with pytest.raises(ValueError, match="immutable"):
        text.save()
    with pytest.raises(ValueError, match="immutable"):
        text.delete()


@COMMITTED
def test_the_responses_api_shows_what_was_accepted(client):
    survey = published_survey()
    submit(client, survey, language="en")
    client.force_login(UserFactory(role=Role.MANAGER))

    body = client.get(f"/api/v1/responses/{Response.objects.get().pk}/").json()

    assert body["consent"]["version"] == 1
    assert body["consent"]["language"] == "en"
    assert body["consent"]["text"] == CONSENT_EN
    assert body["consent"]["sha256"] == ConsentText.digest(CONSENT_EN)
    assert body["consent"]["accepted_at"]


def test_the_migration_records_the_texts_of_surveys_answered_before_it(client):
    import importlib

    from django.apps import apps

    from surveys.models import SurveyVersion

    survey = published_survey()
    submit(client, survey, language="en")
    # As the database looked before the migration: no recorded texts.
    SurveyVersion.objects.update(consent=None, consent_en=None)
    Response.objects.update(consent_text=None)
    ConsentText.objects.all()._raw_delete(ConsentText.objects.db)
    migration = importlib.import_module("surveys.migrations.0004_privacy")

    migration.record_existing_consent_texts(apps, None)

    response = Response.objects.select_related("consent_text").get()
    assert (response.consent_text.number, response.consent_text.language) == (1, "en")
    assert response.consent_text.sha256 == ConsentText.digest(CONSENT_EN)


def test_the_customer_page_shows_which_notice_each_answer_accepted(client, person):
    client.force_login(UserFactory(role=Role.AGENT))

    html = client.get(f"/staff/customers/{person.customer.pk}/").content.decode()

    assert "Accepted privacy notice version 1 (zh-hans)" in html or "隐私声明第 1 版" in html
