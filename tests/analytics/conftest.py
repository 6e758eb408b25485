"""Fixtures for the upload tests (tests/analytics/test_upload_*.py): one call uploads a file
through a public interface — the API with an Admin's token, the HTML import page, or the
`import_purchases` command — and returns what the uploader is told."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from analytics.models import ImportJob
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.analytics.upload_files import Outcome
from tests.factories import UserFactory


@pytest.fixture
def upload_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin_token(db) -> str:
    _token, key = api_token_create(user=UserFactory(role=Role.ADMIN))
    return key


@pytest.fixture
def upload_through(
    client, admin_token, tmp_path, upload_media_root, django_capture_on_commit_callbacks
):
    """upload_through(channel, content, name) -> Outcome."""

    def api(content: bytes, name: str) -> Outcome:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/api/v1/imports/",
                {"file": SimpleUploadedFile(name, content), "kind": "purchases"},
                HTTP_AUTHORIZATION=f"Token {admin_token}",
                HTTP_ACCEPT_LANGUAGE="en",
            )
        if response.status_code == 201:
            job = ImportJob.objects.get(pk=response.json()["id"])
            with translation.override("en"):
                return Outcome(201, job.message_text, job)
        return Outcome(response.status_code, response.json()["errors"]["file"][0], None)

    def page(content: bytes, name: str) -> Outcome:
        client.force_login(UserFactory(role=Role.ADMIN))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/staff/analytics/imports/",
                {"kind": "purchases", "file": SimpleUploadedFile(name, content), "mapping": ""},
                HTTP_ACCEPT_LANGUAGE="en",
            )
        if response.status_code == 302:
            job = ImportJob.objects.get()
            with translation.override("en"):
                return Outcome(302, job.message_text, job)
        errors = re.findall(r'<p class="error">(.*?)</p>', response.content.decode(), re.S)
        return Outcome(response.status_code, html.unescape(" ".join(errors)), None)

    def command(content: bytes, name: str) -> Outcome:
        path = tmp_path / name
        path.write_bytes(content)
        try:
            with translation.override("en"):
                call_command("import_purchases", str(path))
        except CommandError as exc:
            return Outcome(None, str(exc), ImportJob.objects.first())
        return Outcome(None, "", ImportJob.objects.first())

    channels = {"api": api, "page": page, "command": command}

    def run(channel: str, content: bytes, name: str = "orders.xlsx") -> Outcome:
        return channels[channel](content, name)

    return run


@pytest.fixture
def api(client):
    """GET a JSON endpoint as a Manager (in English); asserts 200 and returns the JSON."""
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))

    def get(path, **params):
        reply = client.get(path, params, HTTP_ACCEPT_LANGUAGE="en")
        assert reply.status_code == 200, reply.content
        return reply.json()

    return get
