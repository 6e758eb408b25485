"""The PostgreSQL connection is dropped (the server ends the session) in the middle of a
submit: the respondent gets the friendly error page — no traceback, nothing of DEBUG — no
response is left half-written, and sending again stores it exactly once."""

import threading
import uuid

import psycopg
import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from surveys.models import Answer, Response, ResponseStatus
from tests.factories import published_survey
from tests.support import database_url_for, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

LEAKS = ("Traceback", "OperationalError", "psycopg", "terminating connection", "settings.py")


def _terminate(pid: int) -> None:
    """End a session from another one, as a database restart or failover does."""
    with psycopg.connect(database_url_for(connection.settings_dict), autocommit=True) as admin:
        (ended,) = admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()
    assert ended


def _assert_clean_error_page(page) -> None:
    assert page.status_code == 500
    html = page.content.decode()
    assert "出错了" in html and "Something went wrong" in html
    for leak in LEAKS:
        assert leak not in html


def _assert_clean_json_error(answer) -> None:
    """The JSON submit is under /api/: its 500 is JSON too, with nothing about the failure."""
    assert answer.status_code == 500
    assert answer.json() == {"detail": "服务器暂时出现问题，请稍后再试。"}
    for leak in LEAKS:
        assert leak not in answer.content.decode()


def _complete_responses_without_answers():
    return Response.objects.filter(status=ResponseStatus.COMPLETED, answers__isnull=True)


def test_connection_dropped_while_the_form_completes_the_response():
    survey = published_survey(slug="faults-db-form", consent_text="")
    url = f"/s/{survey.slug}/"
    phone = Client(raise_request_exception=False)
    rk = str(uuid.uuid4())
    first = phone.post(url, {"page": 0, "rk": rk, "nps": "4", "action": "next"})
    last_page = {"page": 1, "rk": rk, "comment": "快递员态度很差", "action": "submit"}

    def drop_before_completing(execute, sql, params, many, context):
        # The answers of the last page are written (same transaction); the UPDATE that marks
        # the response completed is next: the server ends the session now.
        if sql.startswith('UPDATE "surveys_response"') and "status" in sql:
            _terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop_before_completing):
        failed = phone.post(first["Location"], last_page)

    _assert_clean_error_page(failed)
    close_old_connections()  # what the end of a request does (the test client skips it)
    assert not _complete_responses_without_answers().exists()
    assert not Response.objects.filter(status=ResponseStatus.COMPLETED).exists()
    draft = Response.objects.get()  # the earlier pages are kept, as a draft

    again = phone.post(first["Location"], last_page)

    assert again.status_code == 302
    response = Response.objects.get()
    assert response.pk == draft.pk
    assert response.status == ResponseStatus.COMPLETED
    assert response.nps_score == 4
    assert sorted(response.answers.values_list("question_key", "text")) == [
        ("comment", "快递员态度很差"),
        ("nps", ""),
    ]


def test_connection_dropped_during_the_single_statement_of_the_json_submit():
    survey = published_survey(slug="faults-db-json", consent_text="")
    body = {
        "answers": {"nps": 2, "comment": "等了两个星期还没发货"},
        "submission_id": str(uuid.uuid4()),
    }
    url = f"/api/v1/public/surveys/{survey.slug}/responses/"
    pages = []

    def submit():
        try:
            client = Client(raise_request_exception=False)
            pages.append(client.post(url, body, content_type="application/json"))
        finally:
            connections.close_all()

    with psycopg.connect(database_url_for(connection.settings_dict)) as holder:
        # Answers cannot be written while this transaction holds the table: the submit's
        # INSERT … WITH statement waits, and is cut off while it waits.
        holder.execute("LOCK TABLE surveys_answer IN SHARE MODE")
        request = threading.Thread(target=submit)
        request.start()
        pid = wait_until(_waiting_insert, timeout=20, interval=0.02)
        _terminate(pid)
        holder.rollback()
        request.join(timeout=20)

    (failed,) = pages
    _assert_clean_json_error(failed)
    assert not Response.objects.exists()
    assert not Answer.objects.exists()

    phone = Client()
    stored = phone.post(url, body, content_type="application/json")
    repeated = phone.post(url, body, content_type="application/json")

    assert (stored.status_code, stored.json()["duplicate"]) == (201, False)
    assert (repeated.status_code, repeated.json()["duplicate"]) == (200, True)
    response = Response.objects.get()
    assert response.answers.count() == 2
    assert not _complete_responses_without_answers().exists()


def _waiting_insert() -> int | None:
    """The session whose INSERT waits for a lock (a fresh look: statistics are a snapshot
    per transaction)."""
    with psycopg.connect(database_url_for(connection.settings_dict), autocommit=True) as watcher:
        row = watcher.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND query LIKE %s",
            ("%INSERT INTO surveys_response%",),
        ).fetchone()
    return row[0] if row else None
