"""Unsubscribing through the link in an invitation email."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.distribution.invitations import DistributionError
from surveys.distribution.tokens import hash_token, looks_like_token
from surveys.models import (
    Customer,
    Invitation,
    InvitationStatus,
    SkipReason,
)

logger = logging.getLogger(__name__)


def masked_email(email: str) -> str:
    """d***5@example.cn: enough for the owner to recognise, little for whoever holds a
    forwarded link."""
    local, at, domain = (email or "").partition("@")
    if not local:
        return ""
    shown = local[0] + "***" + (local[-1] if len(local) > 2 else "")
    return f"{shown}{at}{domain}"


def masked_phone(phone: str) -> str:
    """+86 138****8000: the last four digits, as Chinese services show a number."""
    digits = (phone or "").removeprefix("+86")
    if len(digits) < 7:
        return ""
    return f"{digits[:3]}****{digits[-4:]}"


def masked_contact(invitation: Invitation) -> str:
    """What the unsubscribe page shows of where the invitation went: masked phone or email."""
    if invitation.distribution.channel == "sms":
        return masked_phone(invitation.customer.phone)
    return masked_email(invitation.customer.email)


# Unsubscribing ---------------------------------------------------------------------------


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a token belongs to, or None for an unknown or malformed token."""
    if not looks_like_token(token):
        return None
    return (
        Invitation.objects.select_related("customer", "distribution__survey")
        .filter(token_hash=hash_token(token))
        .first()
    )


@transaction.atomic
def customer_unsubscribe(*, token: str) -> Customer:
    """Unsubscribe the customer an invitation token belongs to from all survey invitations;
    their invitations not yet mailed are skipped. Idempotent."""
    invitation = invitation_by_token(token)
    if invitation is None:
        raise DistributionError(_("This unsubscribe link is not valid."))
    customer = Customer.objects.select_for_update().get(pk=invitation.customer_id)
    if not customer.unsubscribed:
        customer.unsubscribed = True
        customer.unsubscribed_at = timezone.now()
        customer.save(update_fields=["unsubscribed", "unsubscribed_at", "updated_at"])
        logger.info("customer %s unsubscribed", customer.pk)
    Invitation.objects.filter(customer=customer, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.SKIPPED, skip_reason=SkipReason.UNSUBSCRIBED
    )
    return customer
