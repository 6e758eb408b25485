"""Personal API tokens: shown once, stored hashed, rotated and revoked by their owner,
revoked by an Admin, refused for inactive users."""

import hashlib
from types import SimpleNamespace

import pytest
from django.db import connection

from surveyhub.api.tokens import api_token_create
from surveyhub.models import ApiToken
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/staff/api-token/"


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def created_key(client) -> str:
    page = client.post(PAGE, {"action": "create"})
    assert page.status_code == 200
    return page.context["new_key"]


@pytest.fixture
def designer(client):
    user = UserFactory(username="designer-token", role=Role.DESIGNER)
    client.force_login(user)
    return user


def test_a_staff_user_creates_a_token_that_is_shown_once_and_works(client, designer):
    key = created_key(client)

    assert client.get(PAGE).status_code == 200
    assert key not in client.get(PAGE).content.decode()
    client.logout()
    assert client.get("/api/v1/surveys/", **auth(key)).status_code == 200


def test_only_a_hash_of_the_key_is_stored(client, designer):
    key = created_key(client)

    token = ApiToken.objects.get(user=designer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key[:8] == token.prefix
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM surveyhub_apitoken")
        assert key not in repr(cursor.fetchall())


def test_rotating_stops_the_old_key_at_once(client, designer):
    old = created_key(client)
    new = created_key(client)

    assert client.get("/api/v1/surveys/", **auth(old)).status_code == 401
    assert client.get("/api/v1/surveys/", **auth(new)).status_code == 200
    assert ApiToken.objects.filter(user=designer).count() == 1


def test_revoking_stops_the_key(client, designer):
    key = created_key(client)

    page = client.post(PAGE, {"action": "revoke"}, follow=True)

    assert page.status_code == 200
    assert not ApiToken.objects.filter(user=designer).exists()
    assert client.get("/api/v1/surveys/", **auth(key)).status_code == 401


def test_the_key_of_an_inactive_user_does_not_authenticate(client):
    user = UserFactory(role=Role.DESIGNER)
    _token, key = api_token_create(user=user)
    user.is_active = False
    user.save()

    reply = client.get("/api/v1/surveys/", HTTP_ACCEPT_LANGUAGE="en", **auth(key))

    assert reply.status_code == 401
    assert reply.json()["detail"] == "User inactive or deleted."


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token clé-non-ascii", "Token wrong-key-000000000000000000"]
)
def test_malformed_or_unknown_keys_are_a_401(client, header):
    assert client.get("/api/v1/surveys/", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_use_of_the_key_is_recorded(client):
    token, key = api_token_create(user=UserFactory(role=Role.DESIGNER))
    assert token.last_used_at is None

    client.get("/api/v1/surveys/", **auth(key))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_page_needs_a_login_and_refuses_unknown_actions(client, designer):
    assert client.post(PAGE, {"action": "steal"}).status_code == 400
    client.logout()
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")


def test_the_admin_links_to_my_api_token(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    assert f'href="{PAGE}"' in client.get("/admin/").content.decode()


def test_an_admin_sees_every_token_without_its_key_and_revokes_one(client):
    owner = UserFactory(username="crm-sync", role=Role.MANAGER)
    token, key = api_token_create(user=owner)
    client.force_login(UserFactory(role=Role.ADMIN))

    listing = client.get("/admin/surveyhub/apitoken/").content.decode()
    assert "crm-sync" in listing and token.prefix in listing and key not in listing
    assert client.get("/admin/surveyhub/apitoken/add/").status_code == 403
    client.post(f"/admin/surveyhub/apitoken/{token.pk}/delete/", {"post": "yes"})

    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert client.get("/api/v1/surveys/", **auth(key)).status_code == 401


def test_other_roles_cannot_see_the_tokens_in_the_admin(client):
    api_token_create(user=UserFactory(role=Role.MANAGER))
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.get("/admin/surveyhub/apitoken/").status_code == 403


def test_keys_of_drf_tokens_keep_working_after_the_migration(client):
    """0002 turns DRF's plaintext tokens (if that table exists) into hashed keys."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("surveyhub.migrations.0002_api_tokens_and_login_lockouts")
    user = UserFactory(role=Role.DESIGNER)
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created timestamp with time zone)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created datetime)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, CURRENT_TIMESTAMP)", [key, user.pk]
        )
    # What the function uses of a schema editor (a real one cannot open inside a test's
    # transaction on SQLite).
    editor = SimpleNamespace(connection=connection, quote_name=connection.ops.quote_name)
    migration.keys_from_drf_tokens(apps, editor)

    assert client.get("/api/v1/surveys/", **auth(key)).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
