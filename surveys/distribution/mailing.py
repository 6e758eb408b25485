"""Mailing invitations and reminders: one batch at a time, each email under a row lock while
its invitation is pending, so a batch run twice never mails anyone twice."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from surveys.distribution.emails import classify_send_error, invitation_email
from surveys.distribution.invitations import _skip_reason, _survey_refusal, distribution_cancel
from surveys.models import (
    Distribution,
    DistributionStatus,
    Invitation,
    InvitationStatus,
    ResponseStatus,
)

logger = logging.getLogger(__name__)


class EmailTemporarilyFailed(Exception):
    """The mail server or network failed in a way that may pass: retry later with backoff."""


class SendOutcome(StrEnum):
    SENT = "sent"
    BOUNCED = "bounced"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_DUE = "not_due"  # already handled by another run, or no longer pending


def _mail_connection(connection=None):
    """An open mail connection for a batch; a server that cannot be reached is temporary."""
    connection = connection or get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        failure = classify_send_error(exc)
        if failure is None:
            raise
        raise EmailTemporarilyFailed(failure.description) from exc
    return connection


@dataclass
class BatchResult:
    outcomes: dict[str, int]
    more: bool  # pending invitations remain after this batch


def distribution_send_batch(
    *, distribution: Distribution, limit: int, connection=None
) -> BatchResult:
    """Mail up to `limit` pending invitations over one SMTP connection (or `connection`).

    Raises EmailTemporarilyFailed (after recording the attempt) when the server or network
    fails in a way that may pass; the caller retries later.
    """
    distribution = Distribution.objects.select_related("survey").get(pk=distribution.pk)
    outcomes: dict[str, int] = {}
    if distribution.status != DistributionStatus.SENDING:
        return BatchResult(outcomes, more=False)
    refusal = _survey_refusal(distribution.survey, timezone.now())
    if refusal:
        distribution_cancel(distribution=distribution, reason=refusal)
        return BatchResult(outcomes, more=False)
    pending = distribution.invitations.filter(status=InvitationStatus.PENDING)
    batch = list(pending.order_by("pk").only("pk")[:limit])
    connection = _mail_connection(connection)
    try:
        for invitation in batch:
            outcome = invitation_send(invitation=invitation, connection=connection)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        connection.close()
    more = pending.exists()
    if not more:
        Distribution.objects.filter(pk=distribution.pk, status=DistributionStatus.SENDING).update(
            status=DistributionStatus.SENT
        )
    return BatchResult(outcomes, more=more)


def invitation_send(*, invitation: Invitation, connection=None) -> SendOutcome:
    """Mail one pending invitation, at most once: the row stays locked while the email goes
    out, and another run skips it (locked) or finds it no longer pending."""
    failure = None
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
        customer = invitation.customer
        reason = _skip_reason(customer, set())
        if reason:  # unsubscribed (or lost their address) after the audience was built
            invitation.status, invitation.skip_reason = InvitationStatus.SKIPPED, reason
            invitation.save(update_fields=["status", "skip_reason"])
            return SendOutcome.SKIPPED
        invitation.attempts += 1
        try:
            invitation_email(invitation=invitation, connection=connection).send()
        except Exception as exc:
            failure = classify_send_error(exc)
            if failure is None:
                raise
            invitation.last_error = failure.description[:500]
            if failure.permanent:
                invitation.status = InvitationStatus.BOUNCED
                invitation.bounced_at = timezone.now()
            elif invitation.attempts >= settings.SURVEYHUB_EMAIL_MAX_ATTEMPTS:
                invitation.status = InvitationStatus.FAILED
        else:
            invitation.status = InvitationStatus.SENT
            invitation.sent_at = timezone.now()
        invitation.save(update_fields=["status", "attempts", "last_error", "sent_at", "bounced_at"])
    if failure is None:
        return SendOutcome.SENT
    if failure.permanent:
        logger.info("invitation %s bounced: %s", invitation_id, failure.description)
        return SendOutcome.BOUNCED
    if invitation.status == InvitationStatus.FAILED:
        logger.warning("invitation %s failed for good: %s", invitation_id, failure.description)
        return SendOutcome.FAILED
    raise EmailTemporarilyFailed(failure.description)


# Reminders -------------------------------------------------------------------------------


def reminders_due(*, distribution: Distribution, now: datetime | None = None):
    """Invitations of this distribution that should get a reminder now: mailed, not
    completed, still subscribed, fewer than `max_reminders` reminders, and the last
    contact at least `reminder_after_days` ago."""
    if not distribution.max_reminders or distribution.reminder_after_days is None:
        return Invitation.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=distribution.reminder_after_days)
    return (
        Invitation.objects.filter(
            distribution=distribution,
            status=InvitationStatus.SENT,
            reminders_sent__lt=distribution.max_reminders,
            customer__unsubscribed=False,
        )
        .filter(
            Q(last_reminded_at__isnull=True, sent_at__lte=cutoff) | Q(last_reminded_at__lte=cutoff)
        )
        .exclude(response__status=ResponseStatus.COMPLETED)
    )


def distribution_remind(*, distribution: Distribution, limit: int | None = None) -> BatchResult:
    """Remind non-responders whose reminder is due (at most `limit` now); see reminders_due."""
    distribution = Distribution.objects.select_related("survey").get(pk=distribution.pk)
    outcomes: dict[str, int] = {}
    if _survey_refusal(distribution.survey, timezone.now()):
        return BatchResult(outcomes, more=False)
    due = reminders_due(distribution=distribution)
    batch = list(due.order_by("pk").only("pk")[:limit])
    if not batch:
        return BatchResult(outcomes, more=False)
    connection = _mail_connection(None)
    try:
        for invitation in batch:
            outcome = invitation_remind(invitation=invitation, connection=connection)
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    finally:
        connection.close()
    return BatchResult(outcomes, more=due.exists())


def invitation_remind(*, invitation: Invitation, connection=None) -> SendOutcome:
    """Mail one due reminder, at most once per due time (row lock, due re-checked)."""
    invitation_id = invitation.pk
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("customer", "distribution__survey")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not (
            reminders_due(distribution=invitation.distribution).filter(pk=invitation_id).exists()
        ):
            return SendOutcome.NOT_DUE
        try:
            invitation_email(invitation=invitation, reminder=True, connection=connection).send()
        except Exception as exc:
            failure = classify_send_error(exc)
            if failure is None:
                raise
            if not failure.permanent:
                raise EmailTemporarilyFailed(failure.description) from exc
            invitation.status = InvitationStatus.BOUNCED
            invitation.bounced_at = timezone.now()
            invitation.last_error = failure.description[:500]
            invitation.save(update_fields=["status", "bounced_at", "last_error"])
            return SendOutcome.BOUNCED
        invitation.reminders_sent += 1
        invitation.last_reminded_at = timezone.now()
        invitation.save(update_fields=["reminders_sent", "last_reminded_at"])
    return SendOutcome.SENT
