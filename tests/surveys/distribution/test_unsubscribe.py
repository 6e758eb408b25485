"""Unsubscribing from the link in an email: confirm on GET, unsubscribe on POST, no JS needed."""

import pytest
from django.test import Client

from surveys.distribution.invitations import DistributionError, distribution_send
from surveys.distribution.unsubscribe import customer_unsubscribe
from surveys.models import Customer, InvitationStatus
from tests.factories import published_survey
from tests.surveys.distribution.helpers import email_distribution, send_now, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(survey, customer, mailoutbox, django_capture_on_commit_callbacks):
    distribution = email_distribution(survey, [customer("林芳", "lin.fang@example.cn")])
    send_now(distribution, django_capture_on_commit_callbacks)
    return distribution.invitations.get()


def test_opening_the_link_asks_for_confirmation_and_changes_nothing(client, invitation):
    page = client.get(f"/u/{token_of(invitation)}/")

    assert page.status_code == 200
    # Masked: a forwarded link does not hand out the address.
    assert "l***g@example.cn" in page.content.decode()
    assert "lin.fang" not in page.content.decode()
    assert '<form method="post">' in page.content.decode()
    assert not Customer.objects.get(pk=invitation.customer_id).unsubscribed


def test_posting_the_form_unsubscribes_the_customer(client, invitation):
    page = client.post(f"/u/{token_of(invitation)}/")

    assert page.status_code == 200
    customer = Customer.objects.get(pk=invitation.customer_id)
    assert customer.unsubscribed and customer.unsubscribed_at is not None


def test_a_one_click_post_from_a_mail_app_works_without_a_csrf_cookie(invitation):
    mail_app = Client(enforce_csrf_checks=True)

    reply = mail_app.post(f"/u/{token_of(invitation)}/", {"List-Unsubscribe": "One-Click"})

    assert reply.status_code == 200
    assert Customer.objects.get(pk=invitation.customer_id).unsubscribed


def test_the_page_is_in_the_customers_language(
    client, survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    english = email_distribution(
        survey, [customer("Amy Chen", "amy.chen@example.com", language="en")]
    )
    send_now(english, django_capture_on_commit_callbacks)

    page = client.get(f"/u/{token_of(english.invitations.get())}/")

    assert '<html lang="en">' in page.content.decode()
    assert "Unsubscribe from survey invitations?" in page.content.decode()


def test_unsubscribing_skips_invitations_not_yet_mailed_and_future_distributions(
    invitation, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SURVEYHUB_CONTACT_CAP_DAYS = 0
    other = email_distribution(published_survey(consent_text=""), [invitation.customer])
    distribution_send(distribution=other)  # pending, not mailed yet

    customer_unsubscribe(token=token_of(invitation))
    customer_unsubscribe(token=token_of(invitation))  # idempotent

    assert other.invitations.get().status == InvitationStatus.SKIPPED
    later = email_distribution(published_survey(consent_text=""), [invitation.customer])
    send_now(later, django_capture_on_commit_callbacks)
    assert later.invitations.get().skip_reason == "unsubscribed"
    assert len(mailoutbox) == 1


def test_an_unknown_but_well_formed_token_gets_a_friendly_page(client):
    reply = client.post("/u/" + "A" * 43 + "/")

    assert reply.status_code == 404
    assert "<h1>" in reply.content.decode()


def test_the_service_refuses_an_unknown_token():
    with pytest.raises(DistributionError):
        customer_unsubscribe(token="B" * 43)
