"""Texts sent back to our invitations (the providers' MO / uplink callbacks).

A reply that is an opt-out word ("T", "TD", "退订", "N": surveys/channels/sms/opt_out.py)
unsubscribes that number exactly as the unsubscribe link of an email does: every customer
with the number is marked unsubscribed (kept by imports and merges, checked before every
send) and their invitations not yet sent are skipped. Anything else said is not stored.
"""

import logging

from django.db import transaction
from django.utils import timezone

from surveys.channels.sms.opt_out import is_opt_out
from surveys.channels.sms.providers import Reply
from surveys.models import Customer, Invitation, InvitationStatus, SkipReason

logger = logging.getLogger(__name__)


@transaction.atomic
def phone_unsubscribe(*, phone: str) -> int:
    """Unsubscribe every customer with this E.164 number from survey invitations, and skip
    their pending invitations (idempotent); return how many customers have the number."""
    customers = list(Customer.objects.select_for_update().filter(phone=phone).order_by("pk"))
    now = timezone.now()
    for customer in customers:
        if not customer.unsubscribed:
            customer.unsubscribed, customer.unsubscribed_at = True, now
            customer.save(update_fields=["unsubscribed", "unsubscribed_at", "updated_at"])
            logger.info("customer %s unsubscribed by an SMS reply", customer.pk)
    Invitation.objects.filter(
        customer__in=[c.pk for c in customers], status=InvitationStatus.PENDING
    ).update(status=InvitationStatus.SKIPPED, skip_reason=SkipReason.UNSUBSCRIBED)
    return len(customers)


def replies_record(*, replies: list[Reply]) -> int:
    """Act on the opt-out replies among `replies`; return how many numbers opted out."""
    opted_out = {reply.phone for reply in replies if is_opt_out(reply.text)}
    for phone in sorted(opted_out):
        phone_unsubscribe(phone=phone)
    return len(opted_out)
