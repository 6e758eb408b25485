"""What each feature added to the public submit costs in SQL statements on the production
path (PostgreSQL, outside a transaction): nothing when the request does not use it —
one statement for a plain app submit, device id or not — and little when it does."""

import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.inpage.models import InPageSurvey
from surveys.models import Response
from tests.factories import published_survey

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOP = "https://shop.example.cn"


@pytest.fixture(autouse=True)
def announced_by_the_outbox(monkeypatch):
    """As in production (a broker): the response row is its own outbox, swept by beat — the
    tests' in-process announcement (feedback analysis run in the request) is not counted."""
    from surveys.responding import services

    monkeypatch.setattr(services, "tasks_run_in_process", lambda: False)


def _submit(client, slug, headers=None, **body):
    payload = {"answers": {"nps": 6, "comment": "還可以，物流慢了點🚚"}, **body}
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", json.dumps(payload, ensure_ascii=False),
        content_type="application/json", headers=headers or {},
    )  # fmt: skip


def _statements(client, slug, headers=None, **body) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        reply = _submit(client, slug, headers, **body)
    assert reply.status_code == 201, reply.content
    return [q["sql"] for q in queries.captured_queries]


def test_a_plain_submit_is_one_statement_with_or_without_a_device(client):
    survey = published_survey(consent_text="", slug="cost-nps")
    InPageSurvey.objects.create(name="页内", survey=survey, allowed_origins=SHOP, event_name="x")
    _submit(client, survey.slug)  # the survey and its questions are read once per process

    plain = _statements(client, survey.slug)
    with_device = _statements(client, survey.slug, device_id="app-install-0001",
                              submission_id=str(uuid.uuid4()))  # fmt: skip
    own_origin = _statements(client, survey.slug, headers={"Origin": "http://testserver"})

    assert len(plain) == len(with_device) == len(own_origin) == 1
    assert plain[0].startswith("WITH r AS (INSERT INTO surveys_response")


def test_an_in_page_answer_from_another_site_costs_a_few_indexed_reads(client):
    survey = published_survey(consent_text="", slug="cost-inpage")
    InPageSurvey.objects.create(name="页内", survey=survey, allowed_origins=SHOP, event_name="x")
    _submit(client, survey.slug)

    first = _statements(client, survey.slug, headers={"Origin": SHOP}, channel="in_page",
                        device_id="shop-device-0001", submission_id=str(uuid.uuid4()))  # fmt: skip

    # the in-page survey for the origin, the device's last answer, the insert, and recording
    # the contact (no look-up of the submission id for a device that has not answered)
    assert not any("submission_id" in sql and sql.startswith("SELECT") for sql in first)
    assert len(first) == 4, first
    assert first[-1].startswith("INSERT INTO surveys_inpagecontact")
    assert "ON CONFLICT" in first[-1]
    assert Response.objects.filter(channel="in_page").count() == 1


def _response_rows_read(cursor) -> int:
    """Rows of surveys_response read by index or scan, as the statistics count them."""
    cursor.execute("SELECT pg_stat_force_next_flush()")
    cursor.execute("SELECT pg_stat_clear_snapshot()")
    cursor.execute(
        "SELECT coalesce(idx_tup_fetch, 0) + seq_tup_read FROM pg_stat_user_tables "
        "WHERE relname = 'surveys_response'"
    )
    return cursor.fetchone()[0]


def test_a_submit_reads_no_more_responses_when_the_table_has_grown(client):
    """The answer trigger of the results pre-aggregate read its response with a generic plan
    (PL/pgSQL keeps one per connection after a few calls) that scanned every completed
    response of the status index: each submit cost more as answers came in (the load
    bench: 5,000 buffers a submit, half the database's CPU)."""
    survey = published_survey(consent_text="", slug="cost-growth")
    assert _submit(client, survey.slug).status_code == 201
    with connection.cursor() as cursor:
        # Statistics taken while few responses were completed (drafts, say), then 3,000
        # responses completed before the next ANALYZE.
        cursor.execute(
            "INSERT INTO surveys_response (survey_id, version_id, channel, store, source, "
            "language, status, respondent_key, started_at, completed_at, nps_score, "
            "device_key, wechat_openid, announce_error, announce_attempts) "
            "SELECT survey_id, version_id, channel, store, source, language, 'draft', "
            "gen_random_uuid(), started_at, completed_at, nps_score, device_key, "
            "wechat_openid, announce_error, announce_attempts "
            "FROM surveys_response, generate_series(1, 3000)"
        )
        cursor.execute("ANALYZE surveys_response")
        cursor.execute("UPDATE surveys_response SET status = 'completed'")
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        try:
            before = _response_rows_read(cursor)
            assert _submit(client, survey.slug).status_code == 201
            read = _response_rows_read(cursor) - before
        finally:
            cursor.execute("RESET plan_cache_mode")
    assert read <= 5, f"one submit read {read} stored responses"
