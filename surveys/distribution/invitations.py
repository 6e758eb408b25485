"""Distributions and their invitations: created, sent (the audience minus unsubscribed,
no-consent and recently contacted customers becomes invitation rows) and cancelled.
The only code that writes them; emails go out in `mailing`."""

import logging
import re
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.tasking.declare import enqueue_on_commit
from surveys.channels.sms.providers import sms_configured
from surveys.distribution import contact_cap
from surveys.distribution.audience import AudienceError, audience_build, audience_clean
from surveys.distribution.email_fields import email_texts_clean
from surveys.distribution.invitation_rows import CONTACT_FIELDS, Contact, invitation_rows_insert
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.errors import SurveyError
from surveys.models import (
    Customer,
    Distribution,
    DistributionChannel,
    DistributionStatus,
    InvitationStatus,
    SkipReason,
    Survey,
    SurveyStatus,
)
from surveys.privacy.suppression import suppressed_customer_ids

logger = logging.getLogger(__name__)

# Numbers that can receive a text: Chinese mobiles, or any number given with another country.
_TEXTABLE = re.compile(r"^\+(861[3-9]\d{9}|(?!86)\d{8,15})$")

MAX_REMINDERS = 5
MAX_REMINDER_AFTER_DAYS = 90


class DistributionError(SurveyError):
    """A distribution rule was broken; `errors` maps a field to its translated messages."""


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
    email_subject: str = "",
    email_body: str = "",
) -> Distribution:
    """Create a draft distribution after checking its channel, audience filters, schedule
    (never in the past) and the staff's own email subject and text, if any.

    `follows_up_contact` marks a follow-up the customer started (a case re-survey): it is
    exempt from the contact-frequency cap, never from unsubscribes or consent."""
    errors = _clean_schedule(
        send_at=send_at, reminder_after_days=reminder_after_days, max_reminders=max_reminders
    )
    if send_at is not None and "send_at" not in errors and send_at <= timezone.now():
        errors["send_at"] = [
            _("The sending time %(when)s is in the past; choose a later time, or send now.")
            % {"when": timezone.localtime(send_at).strftime("%Y-%m-%d %H:%M")}
        ]
    email_subject, email_body = (email_subject or "").strip(), (email_body or "").strip()
    if (email_subject or email_body) and channel != DistributionChannel.EMAIL:
        errors["email_body"] = [_("Only email invitations have a subject and text to edit.")]
    else:
        errors.update(email_texts_clean(subject=email_subject, body=email_body))
    if channel not in DistributionChannel.values:
        errors["channel"] = [
            _("Unknown channel “%(value)s”; expected one of: %(choices)s.")
            % {"value": channel, "choices": ", ".join(DistributionChannel.values)}
        ]
    if survey.status == SurveyStatus.CLOSED:
        errors["survey"] = [_("This survey is closed; reopen it or choose another survey.")]
    if channel == DistributionChannel.SMS:
        errors.update(_sms_refusals(max_reminders))
    if channel in (DistributionChannel.EMAIL, DistributionChannel.SMS):
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
        email_subject=email_subject, email_body=email_body,
    )  # fmt: skip
    try:
        distribution.full_clean()
    except ValidationError as exc:
        raise DistributionError(_("The distribution is not valid."), exc.message_dict) from exc
    distribution.save()
    return distribution


def _sms_refusals(max_reminders: int) -> dict[str, list[str]]:
    errors = {}
    if not sms_configured():
        errors["channel"] = [
            _("SMS is not set up on this server yet: ask your administrator to configure an "
              "SMS provider, or choose email.")
        ]  # fmt: skip
    if max_reminders:
        errors["max_reminders"] = [_("SMS invitations send no reminders; set 0.")]
    return errors


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
        if distribution.status == DistributionStatus.BUILDING:  # the build task sends it
            distribution.send_requested = True
            distribution.save(update_fields=["send_requested"])
            return distribution
        if distribution.channel == DistributionChannel.LINK:
            raise DistributionError(
                _("A link distribution sends nothing: share the survey's link or QR code.")
            )
        if distribution.channel == DistributionChannel.SMS and not sms_configured():
            raise DistributionError(_sms_refusals(0)["channel"][0])
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
        distribution.queued_at = distribution.audience_built_at = now
        distribution.save(update_fields=["status", "queued_at", "audience_built_at"])
        if pending:
            _enqueue_batch(distribution.pk)
        logger.info("distribution %s: %s invitations to send", distribution.pk, pending)
        return distribution


def _enqueue_batch(distribution_id: int) -> None:
    # One task for every channel: it dispatches to the mailer or the SMS sender.
    enqueue_on_commit("surveys.send_distribution_batch", distribution_id)


def _skip_reason(
    customer: Customer, recently_contacted: set[int], channel: str = DistributionChannel.EMAIL
) -> str:
    if customer.unsubscribed:
        return SkipReason.UNSUBSCRIBED
    if not customer.consent:
        return SkipReason.NO_CONSENT
    if channel == DistributionChannel.SMS:
        if not _TEXTABLE.match(customer.phone or ""):  # none, or a landline
            return SkipReason.NO_PHONE
    elif not customer.email:
        return SkipReason.NO_EMAIL
    if customer.pk in recently_contacted:
        return SkipReason.FREQUENCY_CAP
    return ""


def _invitations_create(*, distribution: Distribution, now: datetime) -> int:
    try:
        audience = audience_build(survey=distribution.survey, filters=distribution.audience)
    except AudienceError as exc:
        raise DistributionError(exc.errors[0], {"audience": exc.errors}) from exc
    # Lock the audience so two distributions sent at once cannot both pass the frequency cap.
    customers = [Contact(*row) for row in audience.select_for_update().values_list(*CONTACT_FIELDS)]
    # Erased people re-imported under the same email or phone are never contacted again.
    suppressed = suppressed_customer_ids(customers)
    recently_contacted = (
        set()
        if distribution.follows_up_contact
        else contact_cap.recently_contacted(audience, exclude=distribution, now=now)
    )
    already = set(distribution.invitations.values_list("customer_id", flat=True))
    if already and recently_contacted:  # built before: others may have contacted them since
        distribution.invitations.filter(
            status=InvitationStatus.PENDING, customer_id__in=recently_contacted
        ).update(status=InvitationStatus.SKIPPED, skip_reason=SkipReason.FREQUENCY_CAP)
    invitations = []
    for customer in customers:
        if customer.pk in already:
            continue
        seed = new_seed()
        reason = _skip_reason(customer, recently_contacted, distribution.channel)
        if customer.pk in suppressed:
            reason = SkipReason.UNSUBSCRIBED
        invitations.append(
            {
                "distribution_id": distribution.pk, "customer_id": customer.pk,
                "token_seed": seed, "token_hash": hash_token(token_for(seed)),
                "language": customer.language, "skip_reason": reason,
                "status": InvitationStatus.SKIPPED if reason else InvitationStatus.PENDING,
            }
        )  # fmt: skip
    invitation_rows_insert(invitations, now=now)
    if not already:
        return sum(1 for i in invitations if i["status"] == InvitationStatus.PENDING)
    return distribution.invitations.filter(status=InvitationStatus.PENDING).count()


def distribution_cancel(*, distribution: Distribution, reason: str = "", by=None) -> Distribution:
    """Stop a distribution that has not finished: nothing more is sent (an email going out
    this instant finishes, no later one starts); unsent invitations are marked failed.

    The row lock is FOR NO KEY UPDATE, so a cancel never waits for a build that is adding
    invitations (their foreign keys only share-lock the key); the build then sees the
    cancel when it finishes and rolls back."""
    with transaction.atomic():
        distribution = Distribution.objects.select_for_update(no_key=True).get(pk=distribution.pk)
        if distribution.status == DistributionStatus.SENT:
            raise DistributionError(
                _("This distribution has already been sent in full; there is nothing to cancel.")
            )
        if distribution.status == DistributionStatus.CANCELLED:
            raise DistributionError(_("This distribution is already cancelled."))
        reason = (reason or _("The distribution was cancelled.")).strip()
        distribution.status = DistributionStatus.CANCELLED
        distribution.send_requested = False
        distribution.status_note = reason[:300]
        distribution.save(update_fields=["status", "send_requested", "status_note"])
        distribution.invitations.filter(status=InvitationStatus.PENDING).update(
            status=InvitationStatus.FAILED, last_error=reason[:500]
        )
    logger.info("distribution %s cancelled: %s", distribution.pk, reason)
    return distribution
