"""The public submit on PostgreSQL as production runs it: one statement per new response, and
a resent submission_id still answers with the first response, whatever changed since.

(bench/load.py found the lookup of the submission_id before every INSERT to be a tenth of
the request's time; a resend is now recognised when the INSERT or the checks refuse it.)
"""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.design.services import survey_close
from surveys.models import Response
from tests.factories import published_survey

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def submit(client, slug: str, answers: dict, submission_id: str, device: str = "resend-1"):
    body = {"answers": answers, "submission_id": submission_id, "consent": True}
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", json.dumps(body),
        content_type="application/json", HTTP_X_DEVICE_ID=device, HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip


@pytest.fixture
def broker_mode():
    """As with a broker in production: the request leaves announcing to the sweeper."""
    from surveyhub.celery import app

    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


def test_a_new_response_costs_one_database_statement(client, broker_mode):
    survey = published_survey(slug="one-statement")
    submit(client, survey.slug, {"nps": 9}, str(uuid.uuid4()))  # caches the survey

    with CaptureQueriesContext(connection) as queries:
        reply = submit(client, survey.slug, {"nps": 3, "comment": "太慢了"}, str(uuid.uuid4()))

    assert reply.status_code == 201
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["WITH"]


def test_a_resend_answers_with_the_first_response(client):
    survey = published_survey(slug="resend")
    submission = str(uuid.uuid4())

    first = submit(client, survey.slug, {"nps": 9}, submission)
    again = submit(client, survey.slug, {"nps": 9}, submission)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "duplicate": True}
    assert Response.objects.count() == 1


def test_a_resend_after_the_survey_closed_still_answers_with_the_first_response(client):
    survey = published_survey(slug="resend-closed")
    submission = str(uuid.uuid4())
    first = submit(client, survey.slug, {"nps": 2}, submission)
    survey_close(survey=survey)

    again = submit(client, survey.slug, {"nps": 2}, submission)
    new = submit(client, survey.slug, {"nps": 2}, str(uuid.uuid4()))

    assert (again.status_code, again.json()["id"], again.json()["duplicate"]) == (
        200, first.json()["id"], True,
    )  # fmt: skip
    assert new.status_code == 400
    assert Response.objects.count() == 1


def test_a_resend_with_answers_now_invalid_answers_with_the_first_response(client):
    survey = published_survey(slug="resend-invalid")
    submission = str(uuid.uuid4())
    first = submit(client, survey.slug, {"nps": 10}, submission)

    again = submit(client, survey.slug, {"nps": 99}, submission)

    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    assert Response.objects.count() == 1


def test_a_submission_id_used_for_another_survey_is_refused(client):
    one = published_survey(slug="resend-one")
    other = published_survey(slug="resend-other")
    submission = str(uuid.uuid4())
    submit(client, one.slug, {"nps": 8}, submission)

    reply = submit(client, other.slug, {"nps": 8}, submission)

    assert reply.status_code == 400
    assert "another survey" in json.dumps(reply.json())
    assert list(Response.objects.values_list("survey__slug", flat=True)) == ["resend-one"]


def test_an_invalid_new_submission_is_still_refused(client):
    survey = published_survey(slug="resend-new-invalid")

    reply = submit(client, survey.slug, {"nps": 99}, str(uuid.uuid4()))

    assert reply.status_code == 400
    assert "answers.nps" in reply.json()["errors"]
    assert not Response.objects.exists()
