"""The contact cap at its edge: sent exactly N days ago counts, one second earlier does not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.distribution import contact_cap
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Customer, Distribution, Invitation
from tests.factories import published_survey
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db

CAP_DAYS = 30


@pytest.fixture(autouse=True)
def _cap(settings):
    settings.SURVEYHUB_CONTACT_CAP_DAYS = CAP_DAYS


def _invite(customer, *, status="sent", sent_at=None, distribution_status="sent"):
    distribution = Distribution.objects.create(
        survey=published_survey(consent_text=""), channel="email", status=distribution_status
    )
    seed = new_seed()
    return Invitation.objects.create(
        distribution=distribution, customer=customer, token_seed=seed,
        token_hash=hash_token(token_for(seed)), status=status, sent_at=sent_at,
    )  # fmt: skip


def _contacted(now, *customers, exclude=None):
    queryset = Customer.objects.filter(pk__in=[c.pk for c in customers])
    return contact_cap.recently_contacted(queryset, now=now, exclude=exclude)


def test_the_cutoff_is_exactly_the_cap_before_now():
    now = timezone.now()

    assert contact_cap.contact_cap_cutoff(now) == now - timedelta(days=CAP_DAYS)


@pytest.mark.parametrize(
    ("age", "counts"),
    [
        (timedelta(days=CAP_DAYS) - timedelta(seconds=1), True),
        (timedelta(days=CAP_DAYS), True),
        (timedelta(days=CAP_DAYS) + timedelta(seconds=1), False),
        (timedelta(days=CAP_DAYS - 1), True),
        (timedelta(days=CAP_DAYS + 1), False),
    ],
    ids=["a second inside", "exactly N days", "a second outside", "N-1 days", "N+1 days"],
)
def test_a_sent_invitation_counts_until_exactly_n_days(customer, age, counts):
    now = timezone.now()
    person = customer()
    _invite(person, sent_at=now - age)

    assert (person.pk in _contacted(now, person)) is counts


def test_an_invitation_waiting_in_a_distribution_being_sent_counts(customer):
    person = customer()
    _invite(person, status="pending", distribution_status="sending")

    assert _contacted(timezone.now(), person) == {person.pk}


def test_a_pending_invitation_of_a_draft_distribution_does_not_count(customer):
    person = customer()
    _invite(person, status="pending", distribution_status="draft")

    assert _contacted(timezone.now(), person) == set()


def test_a_skipped_invitation_is_not_a_contact(customer):
    now = timezone.now()
    person = customer()
    _invite(person, status="skipped", sent_at=now - timedelta(days=1))

    assert _contacted(now, person) == set()


def test_the_distribution_being_built_does_not_count_against_itself(customer):
    now = timezone.now()
    person = customer()
    invitation = _invite(person, sent_at=now - timedelta(days=1))

    assert _contacted(now, person, exclude=invitation.distribution) == set()
    assert _contacted(now, person) == {person.pk}


def test_only_the_given_customers_are_reported(customer):
    now = timezone.now()
    contacted = customer("陈晨", "chen.chen@example.cn")
    other = customer("周婷", "zhou.ting@example.cn")
    _invite(contacted, sent_at=now - timedelta(days=2))
    _invite(other, sent_at=now - timedelta(days=2))

    assert _contacted(now, contacted) == {contacted.pk}


@pytest.mark.parametrize(("days", "skipped"), [(CAP_DAYS - 1, True), (CAP_DAYS + 1, False)])
def test_sending_skips_a_customer_mailed_inside_the_cap_only(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks, days, skipped
):
    person = customer()
    _invite(person, sent_at=timezone.now() - timedelta(days=days))
    distribution = email_distribution(survey, [person])

    send_now(distribution, django_capture_on_commit_callbacks)

    invitation = distribution.invitations.get(customer=person)
    assert (invitation.skip_reason == "frequency_cap") is skipped
    assert len(mailoutbox) == (0 if skipped else 1)
