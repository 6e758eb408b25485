"""Fixtures of the distribution tests: an active survey, customers with real names, SMTP."""

import pytest

from tests.factories import CustomerFactory, published_survey
from tests.surveys.distribution.smtp import SmtpServer


@pytest.fixture
def survey(db):
    return published_survey(consent_text="")


@pytest.fixture
def customer(db):
    def make(name="王芳", email="wang.fang@example.cn", **fields):
        return CustomerFactory(name=name, email=email, **fields)

    return make


@pytest.fixture
def smtp_server(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server.handler


@pytest.fixture
def eager_retries():
    """In-process tasks retry at once instead of raising celery's Retry to the caller."""
    from surveyhub.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
