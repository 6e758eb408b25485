"""Texting SMS invitations, one batch at a time, each under a row lock while its invitation
is pending (a batch run twice never texts anyone twice), and recording delivery receipts.

The same rules as email: the audience, consent, unsubscribes and the contact-frequency cap
are applied when the distribution is sent (`surveys.distribution.invitations`), and
re-checked here just before each message. Temporary provider failures raise
SmsTemporarilyFailed after recording the attempt: the task retries with backoff, and after
SURVEYHUB_SMS_MAX_ATTEMPTS the invitation is marked failed.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from surveys.channels.sms.providers import (
    Receipt,
    SmsError,
    SmsMessage,
    SmsProvider,
    configured_provider,
)
from surveys.channels.sms.short_links import hash_code, short_code_for, short_url
from surveys.distribution.emails import email_language
from surveys.distribution.invitations import _skip_reason, _survey_refusal, distribution_cancel
from surveys.distribution.mailing import BatchResult, SendOutcome
from surveys.models import (
    Distribution,
    DistributionChannel,
    DistributionStatus,
    Invitation,
    InvitationStatus,
    SmsDelivery,
)

logger = logging.getLogger(__name__)


class SmsTemporarilyFailed(Exception):
    """The provider or network failed in a way that may pass: retry later with backoff."""


def sms_message(invitation: Invitation) -> SmsMessage:
    """The variables of the provider's template for this invitation (see README)."""
    code = short_code_for(invitation.token_seed)
    language = email_language(invitation)
    with translation.override(language):
        name = invitation.customer.name.strip() or _("customer")
    return SmsMessage(
        phone=invitation.customer.phone, name=name[:20], link=short_url(code),
        unsubscribe=short_url(code, unsubscribe=True), reference=str(invitation.pk),
        language=language,
    )  # fmt: skip


def sms_text(invitation: Invitation) -> str:
    """The text as our recommended template words it (README), for previews and the log."""
    message = sms_message(invitation)
    with translation.override(message.language):
        return _(
            "%(name)s, how did we do? Two minutes: %(link)s Reply T or open %(unsubscribe)s "
            "to stop these texts."
        ) % {"name": message.name, "link": message.link, "unsubscribe": message.unsubscribe}


def distribution_send_sms_batch(
    *, distribution: Distribution, limit: int, provider: SmsProvider | None = None
) -> BatchResult:
    """Text up to `limit` pending invitations of an SMS distribution."""
    distribution = Distribution.objects.select_related("survey").get(pk=distribution.pk)
    outcomes: dict[str, int] = {}
    if distribution.status != DistributionStatus.SENDING:
        return BatchResult(outcomes, more=False)
    refusal = _survey_refusal(distribution.survey, timezone.now())
    if refusal:
        distribution_cancel(distribution=distribution, reason=refusal)
        return BatchResult(outcomes, more=False)
    provider = provider or configured_provider()
    pending = distribution.invitations.filter(status=InvitationStatus.PENDING)
    for invitation in list(pending.order_by("pk").only("pk")[:limit]):
        outcome = invitation_send_sms(invitation=invitation, provider=provider)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    more = pending.exists()
    if not more:
        Distribution.objects.filter(pk=distribution.pk, status=DistributionStatus.SENDING).update(
            status=DistributionStatus.SENT
        )
    return BatchResult(outcomes, more=more)


def invitation_send_sms(*, invitation: Invitation, provider: SmsProvider) -> SendOutcome:
    """Text one pending invitation, at most once (row lock; another run skips it)."""
    failure: SmsError | None = None
    invitation_id = invitation.pk
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("customer", "distribution__survey")
            .filter(pk=invitation_id, status=InvitationStatus.PENDING)
            .first()
        )
        if invitation is None:
            return SendOutcome.NOT_DUE
        reason = _skip_reason(invitation.customer, set(), channel=DistributionChannel.SMS)
        if reason:  # unsubscribed (or lost their number) after the audience was built
            invitation.status, invitation.skip_reason = InvitationStatus.SKIPPED, reason
            invitation.save(update_fields=["status", "skip_reason"])
            return SendOutcome.SKIPPED
        invitation.attempts += 1
        invitation.short_code_hash = hash_code(short_code_for(invitation.token_seed))
        try:
            message_id = provider.send(sms_message(invitation))
        except SmsError as exc:
            failure = exc
            invitation.last_error = exc.description[:500]
            if exc.permanent:
                invitation.status, invitation.bounced_at = InvitationStatus.BOUNCED, timezone.now()
                invitation.delivery = SmsDelivery.FAILED
            elif invitation.attempts >= settings.SURVEYHUB_SMS_MAX_ATTEMPTS:
                invitation.status = InvitationStatus.FAILED
        else:
            invitation.status, invitation.sent_at = InvitationStatus.SENT, timezone.now()
            invitation.provider_message_id = message_id
            invitation.delivery = SmsDelivery.SUBMITTED
        invitation.save(update_fields=[
            "status", "attempts", "last_error", "sent_at", "bounced_at", "short_code_hash",
            "provider_message_id", "delivery",
        ])  # fmt: skip
    if failure is None:
        return SendOutcome.SENT
    if failure.permanent:
        logger.info("SMS invitation %s refused: %s", invitation_id, failure.description)
        return SendOutcome.BOUNCED
    if invitation.status == InvitationStatus.FAILED:
        logger.warning("SMS invitation %s failed for good: %s", invitation_id, failure.description)
        return SendOutcome.FAILED
    raise SmsTemporarilyFailed(failure.description)


@transaction.atomic
def receipts_record(*, receipts: list[Receipt]) -> int:
    """Store what delivery reports say (idempotent); return how many invitations they matched.

    Delivered: `delivery` and `delivered_at`. Not delivered: the invitation counts as bounced
    (like a rejected email address), with the provider's error."""
    matched = 0
    now = timezone.now()
    for receipt in receipts:
        invitations = Invitation.objects.filter(
            provider_message_id=receipt.message_id,
            status__in=(InvitationStatus.SENT, InvitationStatus.BOUNCED),
        ).exclude(provider_message_id="")
        if receipt.delivered:
            count = invitations.update(
                delivery=SmsDelivery.DELIVERED, delivered_at=now, status=InvitationStatus.SENT
            )
        else:
            count = invitations.exclude(delivery=SmsDelivery.DELIVERED).update(
                delivery=SmsDelivery.FAILED, status=InvitationStatus.BOUNCED, bounced_at=now,
                last_error=receipt.error[:500],
            )  # fmt: skip
        matched += count
    return matched
