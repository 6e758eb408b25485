"""Distributions and email invitations: the only code that writes them.

A distribution is created (draft), then sent: its audience is built from the directory
once, every selected customer gets one Invitation — pending, or skipped with the reason
(unsubscribed, no consent, no email, contacted within the frequency cap) — and Celery
mails the pending ones in batches. Each email goes out under a row lock and only while
its invitation is still pending, so a task that runs twice never mails anyone twice.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.tasking.declare import enqueue_on_commit
from surveys.distribution.audience import AudienceError, audience_build, audience_clean
from surveys.distribution.emails import classify_send_error, invitation_email
from surveys.distribution.tokens import hash_token, looks_like_token, new_seed, token_for
from surveys.errors import SurveyError
from surveys.models import (
    Customer,
    Distribution,
    DistributionChannel,
    DistributionStatus,
    Invitation,
    InvitationStatus,
    ResponseStatus,
    SkipReason,
    Survey,
    SurveyStatus,
)
from surveys.privacy.suppression import suppressed_customer_ids

logger = logging.getLogger(__name__)

MAX_REMINDERS = 5
MAX_REMINDER_AFTER_DAYS = 90


class DistributionError(SurveyError):
    """A distribution rule was broken; `errors` maps a field to its translated messages."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}  # type: ignore[assignment]


class EmailTemporarilyFailed(Exception):
    """The mail server or network failed in a way that may pass: retry later with backoff."""


class SendOutcome(StrEnum):
    SENT = "sent"
    BOUNCED = "bounced"
    SKIPPED = "skipped"
    FAILED = "failed"
    NOT_DUE = "not_due"  # already handled by another run, or no longer pending


# Creating --------------------------------------------------------------------------------


def _clean_schedule(
    *, send_at: datetime | None, reminder_after_days: int | None, max_reminders: int
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if send_at is not None and timezone.is_naive(send_at):
        errors["send_at"] = [_("Give the sending time with its time zone.")]
    if reminder_after_days is not None and not 1 <= reminder_after_days <= MAX_REMINDER_AFTER_DAYS:
        errors["reminder_after_days"] = [
            _("Remind after 1 to %(n)d days.") % {"n": MAX_REMINDER_AFTER_DAYS}
        ]
    if not 0 <= max_reminders <= MAX_REMINDERS:
        errors["max_reminders"] = [_("Send 0 to %(n)d reminders.") % {"n": MAX_REMINDERS}]
    elif max_reminders and reminder_after_days is None:
        errors["reminder_after_days"] = [
            _("Say after how many days to remind, or set the number of reminders to 0.")
        ]
    return errors


@transaction.atomic
def distribution_create(
    *,
    survey: Survey,
    channel: str,
    audience: dict[str, Any] | None,
    send_at: datetime | None = None,
    reminder_after_days: int | None = None,
    max_reminders: int = 0,
    name: str = "",
    by=None,
    follows_up_contact: bool = False,
) -> Distribution:
    """Create a draft distribution after checking its channel, audience filters and schedule.

    `follows_up_contact` marks a follow-up the customer started (a case re-survey): it is
    exempt from the contact-frequency cap, never from unsubscribes or consent."""
    errors = _clean_schedule(
        send_at=send_at, reminder_after_days=reminder_after_days, max_reminders=max_reminders
    )
    if channel not in DistributionChannel.values:
        errors["channel"] = [
            _("Unknown channel “%(value)s”; expected one of: %(choices)s.")
            % {"value": channel, "choices": ", ".join(DistributionChannel.values)}
        ]
    if survey.status == SurveyStatus.CLOSED:
        errors["survey"] = [_("This survey is closed; reopen it or choose another survey.")]
    if channel == DistributionChannel.EMAIL:
        try:
            audience = audience_clean(audience)
        except AudienceError as exc:
            errors["audience"] = exc.errors
    elif channel == DistributionChannel.LINK and audience:
        errors["audience"] = [
            _("A link distribution has no audience: anyone with the link can answer.")
        ]
    if errors:
        raise DistributionError(_("The distribution is not valid."), errors)
    distribution = Distribution(
        survey=survey, channel=channel, audience=audience or {}, send_at=send_at,
        reminder_after_days=reminder_after_days, max_reminders=max_reminders,
        name=name.strip(), created_by=by, follows_up_contact=follows_up_contact,
    )  # fmt: skip
    try:
        distribution.full_clean()
    except ValidationError as exc:
        raise DistributionError(_("The distribution is not valid."), exc.message_dict) from exc
    distribution.save()
    return distribution


# Sending ---------------------------------------------------------------------------------


def _survey_refusal(survey: Survey, now: datetime) -> str | None:
    if survey.status == SurveyStatus.DRAFT:
        return _("The survey “%(title)s” is a draft; publish it before sending invitations.") % {
            "title": survey.title
        }
    if survey.status == SurveyStatus.CLOSED or (survey.closes_at and survey.closes_at <= now):
        return _("The survey “%(title)s” is closed; invitations can no longer be sent.") % {
            "title": survey.title
        }
    return None


def distribution_send(*, distribution: Distribution, by=None) -> Distribution:
    """Queue the sending: build the audience, create the invitations, enqueue the batches.

    Idempotent: a distribution already sending or sent creates nothing new (it only
    re-queues its pending invitations). A future `send_at` only marks it scheduled; the
    beat task calls this again when it is due.
    """
    with transaction.atomic():
        distribution = (
            Distribution.objects.select_for_update()
            .select_related("survey")
            .get(pk=distribution.pk)
        )
        if distribution.status in (DistributionStatus.SENDING, DistributionStatus.SENT):
            if distribution.invitations.filter(status=InvitationStatus.PENDING).exists():
                _enqueue_batch(distribution.pk)
            return distribution
        if distribution.status == DistributionStatus.CANCELLED:
            raise DistributionError(_("This distribution was cancelled; create a new one."))
        if distribution.channel != DistributionChannel.EMAIL:
            raise DistributionError(
                _("A link distribution sends nothing: share the survey's link or QR code.")
            )
        now = timezone.now()
        refusal = _survey_refusal(distribution.survey, now)
        if refusal:
            raise DistributionError(refusal, {"survey": [refusal]})
        if distribution.send_at and distribution.send_at > now:
            distribution.status = DistributionStatus.SCHEDULED
            distribution.save(update_fields=["status"])
            return distribution
        pending = _invitations_create(distribution=distribution, now=now)
        distribution.status = DistributionStatus.SENDING if pending else DistributionStatus.SENT
        distribution.queued_at = now
        distribution.save(update_fields=["status", "queued_at"])
        if pending:
            _enqueue_batch(distribution.pk)
        logger.info("distribution %s: %s invitations to send", distribution.pk, pending)
        return distribution


def _enqueue_batch(distribution_id: int) -> None:
    enqueue_on_commit("surveys.send_distribution_batch", distribution_id)


def _skip_reason(customer: Customer, recently_contacted: set[int]) -> str:
    if customer.unsubscribed:
        return SkipReason.UNSUBSCRIBED
    if not customer.consent:
        return SkipReason.NO_CONSENT
    if not customer.email:
        return SkipReason.NO_EMAIL
    if customer.pk in recently_contacted:
        return SkipReason.FREQUENCY_CAP
    return ""


def _recently_contacted(customers: QuerySet[Customer], *, exclude: Distribution, now: datetime):
    """Ids of customers invited (or about to be) by any distribution within the cap."""
    cutoff = now - timedelta(days=settings.SURVEYHUB_CONTACT_CAP_DAYS)
    return set(
        Invitation.objects.filter(customer__in=customers.values("pk"))
        .exclude(distribution=exclude)
        .filter(
            Q(status=InvitationStatus.SENT, sent_at__gte=cutoff)
            | Q(
                status=InvitationStatus.PENDING,
                distribution__status=DistributionStatus.SENDING,
            )
        )
        .values_list("customer_id", flat=True)
    )


def _invitations_create(*, distribution: Distribution, now: datetime) -> int:
    try:
        audience = audience_build(survey=distribution.survey, filters=distribution.audience)
    except AudienceError as exc:
        raise DistributionError(exc.errors[0], {"audience": exc.errors}) from exc
    # Lock the audience so two distributions sent at once cannot both pass the frequency cap.
    customers = list(
        audience.select_for_update().only(
            "pk", "email", "phone", "consent", "unsubscribed", "language"
        )
    )
    # Erased people re-imported under the same email or phone are never contacted again.
    suppressed = suppressed_customer_ids(customers)
    recently_contacted = (
        set()
        if distribution.follows_up_contact
        else _recently_contacted(audience, exclude=distribution, now=now)
    )
    already = set(distribution.invitations.values_list("customer_id", flat=True))
    invitations = []
    for customer in customers:
        if customer.pk in already:
            continue
        seed = new_seed()
        reason = _skip_reason(customer, recently_contacted)
        if customer.pk in suppressed:
            reason = SkipReason.UNSUBSCRIBED
        invitations.append(
            Invitation(
                distribution=distribution, customer=customer, token_seed=seed,
                token_hash=hash_token(token_for(seed)), language=customer.language,
                status=InvitationStatus.SKIPPED if reason else InvitationStatus.PENDING,
                skip_reason=reason,
            )
        )  # fmt: skip
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    return sum(1 for i in invitations if i.status == InvitationStatus.PENDING)


def distribution_cancel(*, distribution: Distribution, reason: str = "", by=None) -> Distribution:
    """Stop a distribution: nothing more is sent; unsent invitations are marked failed."""
    with transaction.atomic():
        distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
        if distribution.status == DistributionStatus.SENT:
            raise DistributionError(_("This distribution has already been sent."))
        distribution.status = DistributionStatus.CANCELLED
        distribution.save(update_fields=["status"])
        distribution.invitations.filter(status=InvitationStatus.PENDING).update(
            status=InvitationStatus.FAILED, last_error=(reason or "cancelled")[:500]
        )
    return distribution


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


# Periodic work ---------------------------------------------------------------------------


def distributions_send_due(*, now: datetime | None = None) -> list[int]:
    """Send the scheduled distributions whose time has come; return their ids.

    One whose survey can no longer take answers is cancelled (and logged) rather than
    retried every minute.
    """
    now = now or timezone.now()
    due = Distribution.objects.filter(status=DistributionStatus.SCHEDULED, send_at__lte=now)
    sent = []
    for distribution in due.order_by("send_at"):
        try:
            distribution_send(distribution=distribution)
        except DistributionError as exc:
            logger.warning("scheduled distribution %s cancelled: %s", distribution.pk, exc.message)
            distribution_cancel(distribution=distribution, reason=exc.message)
        else:
            sent.append(distribution.pk)
    return sent


def distributions_with_reminders_due(*, now: datetime | None = None) -> list[int]:
    """Ids of distributions that have at least one reminder due now."""
    candidates = Distribution.objects.filter(
        status__in=(DistributionStatus.SENDING, DistributionStatus.SENT),
        channel=DistributionChannel.EMAIL,
        max_reminders__gt=0,
        reminder_after_days__isnull=False,
    )
    return [d.pk for d in candidates if reminders_due(distribution=d, now=now).exists()]


def batch_interval_seconds() -> float:
    """Seconds between the starts of two batches, from the configured sending rate."""
    return settings.SURVEYHUB_EMAIL_BATCH_SIZE * 60 / settings.SURVEYHUB_EMAILS_PER_MINUTE


STUCK_AFTER = timedelta(minutes=10)


def distributions_sweep(*, now: datetime | None = None) -> list[int]:
    """Re-queue distributions whose pending invitations saw no batch for over 10 minutes
    (the broker was down, or a worker died); mark finished ones sent. Return re-queued ids."""
    now = now or timezone.now()
    stuck_after = max(STUCK_AFTER, timedelta(seconds=2 * batch_interval_seconds()))
    requeued = []
    for distribution in Distribution.objects.filter(
        status=DistributionStatus.SENDING, queued_at__lt=now - stuck_after
    ):
        if distribution.invitations.filter(status=InvitationStatus.PENDING).exists():
            with transaction.atomic():
                Distribution.objects.filter(pk=distribution.pk).update(queued_at=now)
                _enqueue_batch(distribution.pk)
            requeued.append(distribution.pk)
        else:
            Distribution.objects.filter(
                pk=distribution.pk, status=DistributionStatus.SENDING
            ).update(status=DistributionStatus.SENT)
    return requeued


def distribution_mark_queued(*, distribution_id: int) -> None:
    """Record that a batch of this distribution ran or was queued (read by the sweeper)."""
    Distribution.objects.filter(pk=distribution_id).update(queued_at=timezone.now())


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
