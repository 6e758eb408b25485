"""Fixtures of the API contract tests: an Admin's token, and the schema served by the app."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import UserFactory

# "Conforms to the schema": no server error; status code, content type, headers and body
# as documented.
CONFORMANCE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(autouse=True)
def _requests_keep_the_test_connection():
    """As Django's test client does: a request through the WSGI app must not close the
    database connection of the test (and with it the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers():
    admin = UserFactory(username="api-admin", role=Role.ADMIN)
    _token, key = api_token_create(user=admin)
    return {"Authorization": f"Token {key}"}


@pytest.fixture
def api_schema(admin_headers):
    """The app's own /api/schema/, calling the app in-process (WSGI) on the test database."""
    return schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        get_wsgi_application(),
        headers=admin_headers,
        config=schemathesis.Config(),
    )
