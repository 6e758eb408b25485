"""These tests exercise pure computation: neutralise the project's Django autouse fixtures.

tests/conftest.py sets Django settings and Celery up for every test; overriding those
fixtures by name here lets this folder run without Django (``-p no:django``) and faster.
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    yield


@pytest.fixture(autouse=True)
def _celery_in_process():
    yield
