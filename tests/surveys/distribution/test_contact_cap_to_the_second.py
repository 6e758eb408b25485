"""The contact-frequency cap to the second: a customer last invited exactly N days ago, or one
second less, is skipped; one second more, invited — with the default N = 30 and with
SURVEYHUB_CONTACT_CAP_DAYS set, for an email distribution and for a post-purchase run.
The clock is frozen, so "N days ago" means the same instant when the invitation is stored
and when the cap is checked."""

import datetime as dt

import pytest
from django.utils import timezone

from analytics.evaluations.post_purchase import post_purchase_invitations_run
from analytics.models import PostPurchaseRule, Purchase
from surveys.distribution.contact_cap import contact_cap_cutoff
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation
from tests.factories import published_survey
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db

SECOND = dt.timedelta(seconds=1)
JUST_INSIDE, EXACTLY, JUST_OUTSIDE = -SECOND, dt.timedelta(0), SECOND


@pytest.fixture
def now(monkeypatch):
    frozen = timezone.now().replace(microsecond=0)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


def _invited_at(customer, sent_at) -> None:
    """Another survey's invitation, mailed to `customer` at `sent_at`."""
    other = published_survey(consent_text="")
    distribution = Distribution.objects.create(survey=other, channel="email", status="sent")
    seed = new_seed()
    Invitation.objects.create(
        distribution=distribution, customer=customer, token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent", sent_at=sent_at,
    )  # fmt: skip


def _skip_reasons(distribution) -> dict[str, str]:
    return dict(distribution.invitations.values_list("customer__email", "skip_reason"))


def _three_customers(customer, now, days: int) -> list:
    """Invited `days` days ago minus a second, exactly, plus a second."""
    people = []
    for name, offset in (("inside", JUST_INSIDE), ("exactly", EXACTLY), ("outside", JUST_OUTSIDE)):
        person = customer(name, f"{name}@example.cn")
        _invited_at(person, now - dt.timedelta(days=days) - offset)
        people.append(person)
    return people


EXPECTED = {
    "inside@example.cn": "frequency_cap",
    "exactly@example.cn": "frequency_cap",
    "outside@example.cn": "",
}


def test_the_default_cap_is_30_days_to_the_second(
    survey, customer, now, mailoutbox, django_capture_on_commit_callbacks
):
    people = _three_customers(customer, now, days=30)

    distribution = send_now(email_distribution(survey, people), django_capture_on_commit_callbacks)

    assert _skip_reasons(distribution) == EXPECTED
    assert [m.to for m in mailoutbox] == [["outside@example.cn"]]
    assert contact_cap_cutoff(now) == now - dt.timedelta(days=30)


def test_the_cap_follows_its_setting_to_the_second(
    survey, customer, now, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SURVEYHUB_CONTACT_CAP_DAYS = 12
    people = _three_customers(customer, now, days=12)

    distribution = send_now(email_distribution(survey, people), django_capture_on_commit_callbacks)

    assert _skip_reasons(distribution) == EXPECTED
    assert [m.to for m in mailoutbox] == [["outside@example.cn"]]


def test_a_post_purchase_run_applies_the_same_cap(
    survey, customer, now, mailoutbox, django_capture_on_commit_callbacks
):
    people = _three_customers(customer, now, days=30)
    rule = PostPurchaseRule.objects.create(category="服装", days_after=7, survey=survey)
    today = timezone.localdate(now)
    for n, person in enumerate(people):
        Purchase.objects.create(
            customer=person, order_id=f"PP{n}", amount="99.00", category="服装",
            ordered_at=now - dt.timedelta(days=7),
        )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        (run,) = post_purchase_invitations_run(today=today)

    assert run.rule == rule
    assert _skip_reasons(run.distribution) == EXPECTED
    assert [m.to for m in mailoutbox] == [["outside@example.cn"]]
