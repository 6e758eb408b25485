"""Fixtures for the pure NLP package: no Django, the model trained at most once per session."""

import pytest

from feedback.nlp import sentiment


@pytest.fixture(scope="session", autouse=True)
def _test_settings():
    """Override the project's Django settings fixture: this package never touches Django.

    Lets these tests run with ``-p no:django`` (no settings configured) as well.
    """
    return


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Override the project's Celery fixture: nothing here enqueues tasks."""
    return


@pytest.fixture(scope="session")
def sentiment_model():
    """The process-wide model, trained on first use if var/nlp has no file of this version."""
    return sentiment.get_model()
