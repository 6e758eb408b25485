import pytest

from surveyhub.security.roles import Role
from tests.factories import UserFactory

FRAGMENT = {"HTTP_X_BUILDER_FRAGMENT": "1"}


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


def keys_of(survey):
    survey.refresh_from_db()
    return list(survey.current_version.questions.values_list("key", flat=True))
