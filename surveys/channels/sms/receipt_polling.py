"""Asking the provider for the delivery reports that did not arrive by callback.

A receipt callback can be lost (our site was down, the provider gave up pushing, the push
URL was never configured). Sends still without a report RECEIPT_POLL_MINUTES after they
were handed over are looked up with the provider's query API — Aliyun QuerySendDetails per
message, Tencent PullSmsSendStatus for the app's pending reports — and recorded exactly as a
callback would record them. Sends older than POLL_DAYS are no longer asked about.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from surveys.channels.sms.providers import SentSms, SmsProvider, configured_provider, sms_configured
from surveys.channels.sms.sending import receipts_record
from surveys.models import DistributionChannel, Invitation, InvitationStatus, SmsDelivery

logger = logging.getLogger(__name__)

POLL_DAYS = 3
POLL_BATCH = 200


def sends_awaiting_receipt(*, now=None, limit: int = POLL_BATCH) -> list[SentSms]:
    """SMS sends handed to the provider over RECEIPT_POLL_MINUTES ago with no report yet,
    oldest first."""
    now = now or timezone.now()
    waited = now - timedelta(minutes=settings.SURVEYHUB_SMS_RECEIPT_POLL_MINUTES)
    rows = (
        Invitation.objects.filter(
            distribution__channel=DistributionChannel.SMS, status=InvitationStatus.SENT,
            delivery=SmsDelivery.SUBMITTED, sent_at__lte=waited,
            sent_at__gte=now - timedelta(days=POLL_DAYS),
        )
        .exclude(provider_message_id="")
        .order_by("sent_at", "pk")
        .values_list("provider_message_id", "customer__phone", "sent_at")[:limit]
    )  # fmt: skip
    return [SentSms(message_id, phone, sent_at) for message_id, phone, sent_at in rows]


def receipts_poll(*, provider: SmsProvider | None = None, now=None) -> int:
    """Ask the provider about the sends awaiting a report; record what it says. Returns how
    many invitations the reports matched (0 when SMS is not configured)."""
    if provider is None:
        if not sms_configured():
            return 0
        provider = configured_provider()
    pending = sends_awaiting_receipt(now=now)
    if not pending:
        return 0
    receipts = provider.query_receipts(pending)
    matched = receipts_record(receipts=receipts)
    logger.info("polled %s sends: %s reports, %s invitations", len(pending), len(receipts), matched)
    return matched
