"""Small builders shared by the distribution tests."""

from datetime import timedelta

from django.utils import timezone

from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation
from tests.factories import published_survey


def email_distribution(survey, customers, **options) -> Distribution:
    return distribution_create(
        survey=survey,
        channel="email",
        audience={"customer_ids": [c.pk for c in customers]},
        **options,
    )


def send_now(distribution, capture) -> Distribution:
    """Send a distribution with its on-commit batches run in-process."""
    with capture(execute=True):
        return distribution_send(distribution=distribution)


def invited_before(customer, *, days: int, survey=None) -> Invitation:
    """An invitation of another survey mailed to `customer` `days` ago."""
    other = survey or published_survey(consent_text="")
    distribution = Distribution.objects.create(survey=other, channel="email", status="sent")
    seed = new_seed()
    return Invitation.objects.create(
        distribution=distribution, customer=customer, token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent",
        sent_at=timezone.now() - timedelta(days=days),
    )  # fmt: skip


def token_of(invitation: Invitation) -> str:
    return token_for(invitation.token_seed)
