"""Invitation tokens: at least 128 random bits, stored hashed, tampering gets a friendly page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.distribution.tokens import hash_token
from surveys.models import Invitation
from tests.factories import CustomerFactory
from tests.surveys.distribution.helpers import email_distribution, send_now, token_of

pytestmark = pytest.mark.django_db


def test_every_invitation_has_its_own_128_bit_seed_and_only_the_token_hash_is_stored(
    survey, mailoutbox, django_capture_on_commit_callbacks
):
    send_now(
        email_distribution(survey, CustomerFactory.create_batch(20)),
        django_capture_on_commit_callbacks,
    )

    invitations = list(Invitation.objects.all())
    assert len({i.token_seed for i in invitations}) == 20
    assert all(len(bytes.fromhex(i.token_seed)) * 8 >= 128 for i in invitations)
    for invitation in invitations:
        token = token_of(invitation)
        assert invitation.token_hash == hash_token(token) != token
        assert token not in (invitation.token_seed, invitation.token_hash)
    assert all(token_of(i) in "".join(m.body for m in mailoutbox) for i in invitations)


@pytest.mark.parametrize("token", ["x" * 43, "short", "x" * 42 + "!", "测试" * 20, "a" * 500])
def test_a_tampered_unsubscribe_token_gets_a_friendly_page(client, token):
    reply = client.get(f"/u/{token}/")

    assert reply.status_code == 404
    assert "unsubscribe" in reply.content.decode().lower() or "退订" in reply.content.decode()


def test_a_malformed_token_never_reaches_the_database(client):
    with CaptureQueriesContext(connection) as queries:
        client.post("/u/not-a-token/")

    assert not [q for q in queries.captured_queries if "invitation" in q["sql"]]
