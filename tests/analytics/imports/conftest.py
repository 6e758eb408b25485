"""Fixtures for import tests: a private MEDIA_ROOT, and `import_file` that runs the real path
(service → on-commit enqueue → task in-process) on bytes built by the test."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.imports.jobs import import_job_create
from analytics.models import ImportJob


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def import_file(django_capture_on_commit_callbacks):
    def run(
        content: bytes | str, *, kind: str = "purchases", name: str = "data.csv", **options
    ) -> ImportJob:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with django_capture_on_commit_callbacks(execute=True):
            job = import_job_create(kind=kind, upload=SimpleUploadedFile(name, data), **options)
        job.refresh_from_db()
        return job

    return run
