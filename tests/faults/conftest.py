"""Fixtures of the fault tests: a private Redis broker this process sends to, and real
workers attached to it (the shared services on 6379/5432 are never stopped)."""

import os
import socket

import pytest

from tests.support import celery_worker_process


@pytest.fixture
def start_worker(private_broker, tmp_path):
    """start_worker(name, queues, **options) → a context manager running a real worker on
    the private broker and the test database; its log is tests/artifacts/<name>.log."""

    def start(name: str, queues: str, *, env: dict[str, str] | None = None, **options):
        return celery_worker_process(
            node=f"{name}-{os.getpid()}@{socket.gethostname()}",
            queues=queues,
            env={
                "CELERY_BROKER_URL": private_broker.url,
                "SURVEYHUB_MEDIA_ROOT": str(tmp_path / "media"),
                "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path / f"beat-{name}"),
                **(env or {}),
            },
            log_name=f"faults-{name}",
            **options,
        )

    return start
