"""The ORM fallback of the public submit (SQLite, the embedded default; or a caller already
inside a transaction): a response and its answers in one transaction, all or nothing.

On PostgreSQL the single statement would be taken instead, so `orm_fallback` switches it off:
these tests run the fallback on every database, committing as production does.
"""

import uuid

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys.models import Answer, Question, Response
from surveys.responding import rows
from surveys.responding.answers import CleanAnswer
from surveys.responding.services import response_submit
from tests.factories import published_survey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def orm_fallback(monkeypatch):
    """The path SQLite takes: no single statement, no cached survey in the view."""
    monkeypatch.setattr(rows, "fast_path_available", lambda: False)
    monkeypatch.setattr("surveys.api.views.fast_path_available", lambda: False)


def _inserts(queries) -> list[str]:
    return [q["sql"].split("(")[0].strip() for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "WITH"))]  # fmt: skip


def test_the_public_submit_stores_a_response_and_its_answers_through_the_orm(client, orm_fallback):
    survey = published_survey(consent_text="")
    with CaptureQueriesContext(connection) as queries:
        reply = client.post(
            f"/api/v1/public/surveys/{survey.slug}/responses/",
            {"answers": {"nps": 2, "reason": ["price", "__other__"], "reason_other": "运费太贵",
                         "comment": "包装破了😢 O'Neil \\ test"}, "channel": "wechat"},
            content_type="application/json",
        )  # fmt: skip

    assert reply.status_code == 201, reply.content
    assert reply.json()["nps_group"] == "detractor"
    # Two INSERTs (response, then answers in bulk), not the single WITH statement.
    tables = [statement.split()[-1].strip('"') for statement in _inserts(queries)]
    assert tables[:2] == ["surveys_response", "surveys_answer"], _inserts(queries)
    stored = Response.objects.get(pk=reply.json()["id"])
    assert (stored.status, stored.nps_score, stored.channel) == ("completed", 2, "wechat")
    answers = {a.question_key: a for a in stored.answers.all()}
    assert answers["reason"].choices == ["price", "__other__"]
    assert answers["reason"].other_text == "运费太贵"
    assert answers["comment"].text == "包装破了😢 O'Neil \\ test"
    assert answers["nps"].number == 2


def test_a_failing_answer_row_stores_no_response_either(orm_fallback):
    survey = published_survey(consent_text="")
    nps = survey.current_version.questions.get(key="nps")
    response = Response(survey=survey, version=survey.current_version, channel="api",
                        status="completed", nps_score=2, completed_at=timezone.now())  # fmt: skip
    missing_question = Question.objects.order_by("-id").first().id + 999
    answer_rows = [(nps.pk, "nps", CleanAnswer(number=2)),
                   (missing_question, "ghost", CleanAnswer(number=1))]  # fmt: skip

    # The foreign keys are checked when the transaction commits: after the response row.
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"):
        rows.insert_completed(response, answer_rows)

    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_a_duplicate_submission_id_leaves_exactly_one_response(orm_fallback):
    survey = published_survey(consent_text="")
    submission = uuid.uuid4()

    first, created_first = response_submit(survey=survey, data={"nps": 9}, submission_id=submission)
    again, created_again = response_submit(survey=survey, data={"nps": 9}, submission_id=submission)

    assert (created_first, created_again) == (True, False)
    assert first.pk == again.pk
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 1


def test_inside_a_transaction_the_fallback_is_taken_even_on_postgresql():
    """A caller's transaction (a test, an import) must never get the autocommit statement."""
    from django.db import transaction

    with transaction.atomic():
        assert not rows.fast_path_available()
    assert rows.fast_path_available() == (connection.vendor == "postgresql")
