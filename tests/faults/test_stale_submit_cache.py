"""A gunicorn process caches the surveys behind the public submit. When the survey at an
address changes to another one (its slug moved to a new survey), the next respondent's
answers go to the survey now at that address — not to the old one, and not lost to a 500."""

import pytest

from surveys.design.services import survey_update
from surveys.models import Response
from surveys.queries import survey_for_submit_cached
from tests.factories import published_survey

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _post(client, slug, answers):
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", {"answers": answers},
        content_type="application/json",
    )  # fmt: skip


def test_answers_go_to_the_survey_now_at_the_address_the_respondent_used(client):
    old = published_survey(slug="spring-visit", consent_text="")
    assert survey_for_submit_cached("spring-visit").pk == old.pk  # this process caches it
    survey_update(survey=old, slug="spring-visit-2025")
    new = published_survey(slug="spring-visit", consent_text="")

    reply = _post(client, "spring-visit", {"nps": 8, "comment": "还不错"})

    assert reply.status_code == 201, reply.content
    assert Response.objects.get().survey_id == new.pk


def test_an_address_no_survey_has_any_more_is_refused_not_an_error(client):
    old = published_survey(slug="autumn-visit", consent_text="")
    survey_for_submit_cached("autumn-visit")
    survey_update(survey=old, slug="autumn-visit-2025")

    first, second = (_post(client, "autumn-visit", {"nps": 8}) for _ in range(2))

    assert first.status_code == 400
    assert second.status_code == 404  # the stale cache entry was dropped
    assert not Response.objects.exists()
