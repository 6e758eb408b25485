"""Answering through a personal invitation (so the answer belongs to a customer), as a phone
does it: the NPS page, then the follow-up page, following the redirect to the thank-you page."""

from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation
from tests.factories import CustomerFactory


def invite(survey, customer=None, **fields):
    seed = new_seed()
    distribution = Distribution.objects.create(survey=survey, channel="email")
    invitation = Invitation.objects.create(
        distribution=distribution, customer=customer or CustomerFactory(**fields),
        token_seed=seed, token_hash=hash_token(token_for(seed)), status="sent",
    )  # fmt: skip
    return invitation, f"/i/{token_for(seed)}/"


def answer(client, url: str, *, nps: int, text: str = "很好👍", **headers) -> str:
    """Answer the survey at `url` with `nps`; the thank-you page's HTML."""
    client.post(url, {"page": 0, "nps": str(nps), "action": "next"}, **headers)
    field = "praise" if nps >= 9 else "comment"
    reply = client.post(url, {"page": 1, field: text, "action": "submit"}, follow=True, **headers)
    assert reply.status_code == 200
    return reply.content.decode()
