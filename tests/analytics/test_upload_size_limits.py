"""An upload over the size limit is refused with 413 and a message stating the limit: from its
Content-Length before the body is read, and from the file's own size otherwise."""

import pytest
from django.core.management import CommandError, call_command
from django.test.client import FakePayload
from django.utils import translation

from analytics.models import ImportJob
from tests.analytics.upload_files import assert_refused_cleanly

pytestmark = pytest.mark.django_db

BOUNDARY = "limit-test"


def oversized_request(client, path: str, **headers):
    """A multipart POST announcing 300 MB, with only a few bytes behind it: reading the body
    past them fails the test (FakePayload refuses to read beyond what it holds)."""
    body = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\npurchases\r\n'
    return client.generic(
        "POST",
        path,
        data=b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(300 * 1024 * 1024),
        **{"wsgi.input": FakePayload(body.encode())},
        HTTP_ACCEPT_LANGUAGE="en",
        **headers,
    )


def test_the_api_answers_413_from_the_content_length_without_reading_the_body(client, admin_token):
    response = oversized_request(
        client, "/api/v1/imports/", HTTP_AUTHORIZATION=f"Token {admin_token}"
    )

    assert response.status_code == 413
    message = "The file is larger than the 200 MB limit; split it and upload the parts."
    assert response.json() == {"detail": message, "errors": {"file": [message]}}
    assert not ImportJob.objects.exists()


def test_the_import_page_answers_413_with_the_limit_before_reading_the_body(client):
    from surveyhub.security.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.ADMIN))

    response = oversized_request(client, "/staff/analytics/imports/")

    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is larger than the 200 MB limit" in page
    assert 'href="/staff/analytics/imports/"' in page
    assert not ImportJob.objects.exists()


def test_a_file_just_over_the_limit_is_refused_by_the_api_with_413(upload_through, settings):
    settings.SURVEYHUB_IMPORT_MAX_UPLOAD_MB = 1
    content = b"customer_id,order_id,ordered_at,amount\n" + b"C1,O1,2026-01-05,10\n" * 60_000

    outcome = upload_through("api", content, "orders.csv")

    assert outcome.status == 413
    assert_refused_cleanly(outcome, "The file is larger than the 1 MB limit")
    assert not ImportJob.objects.exists()


def test_a_file_just_over_the_limit_is_refused_on_the_import_page(upload_through, settings):
    settings.SURVEYHUB_IMPORT_MAX_UPLOAD_MB = 1
    content = b"customer_id,order_id,ordered_at,amount\n" + b"C1,O1,2026-01-05,10\n" * 60_000

    outcome = upload_through("page", content, "orders.csv")

    assert_refused_cleanly(outcome, "The file is larger than the 1 MB limit")
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("command", ["import_purchases", "import_customers", "import_feedback"])
def test_the_commands_refuse_a_file_over_the_limit(tmp_path, settings, command):
    settings.SURVEYHUB_IMPORT_MAX_UPLOAD_MB = 1
    path = tmp_path / "big.csv"
    path.write_bytes(b"customer_id,text\n" + b"C1,hello\n" * 150_000)

    with translation.override("en"), pytest.raises(CommandError, match="larger than the 1 MB"):
        call_command(command, str(path))

    assert not ImportJob.objects.exists()
