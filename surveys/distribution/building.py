"""Building a distribution's audience in a task, so that 100,000 customers never hold a
request: the page creates the distribution and queues the build; the build turns the
audience into invitation rows, then the distribution is ready, scheduled or sending.

    draft ─queue─▶ building ─build─▶ ready ─"send now"─▶ building ─▶ sending ─▶ sent
                                  └▶ scheduled ─(beat, when due)─▶ building ─▶ sending
    any of them, until sent ─cancel─▶ cancelled

A second build only adds customers who joined the audience since, and skips pending ones
that another distribution contacted in between (the frequency cap is checked again).
"""

import contextlib
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.tasking.declare import enqueue_on_commit
from surveys.channels.sms.providers import sms_configured
from surveys.distribution.invitations import (
    DistributionError,
    _enqueue_batch,
    _invitations_create,
    _sms_refusals,
    _survey_refusal,
    distribution_cancel,
    distribution_send,
)
from surveys.models import Distribution, DistributionChannel, DistributionStatus

logger = logging.getLogger(__name__)

BUILD_TASK = "surveys.build_distribution_audience"
STARTABLE = (
    DistributionStatus.DRAFT,
    DistributionStatus.READY,
    DistributionStatus.SCHEDULED,
    DistributionStatus.BUILDING,
)


class _CancelledMeanwhile(Exception):
    """The distribution was cancelled while its audience was being built: roll back."""


def _refusal(distribution: Distribution, *, send: bool) -> tuple[str | None, str | None]:
    """(why it cannot be built or sent, the field to name — None: the distribution as a
    whole), or (None, None)."""
    if distribution.channel == DistributionChannel.LINK:
        return _("A link distribution sends nothing: share the survey's link or QR code."), None
    if not send:
        return None, None
    if distribution.channel == DistributionChannel.SMS and not sms_configured():
        return _sms_refusals(0)["channel"][0], None
    refusal = _survey_refusal(distribution.survey, timezone.now())
    return refusal, ("survey" if refusal else None)


def distribution_queue_build(*, distribution: Distribution, send: bool, by=None) -> Distribution:
    """Queue the build of the audience (status "building"); with `send`, sending follows
    the build (or the schedule, when `send_at` is still ahead). Answers at once."""
    with transaction.atomic():
        distribution = (
            Distribution.objects.select_for_update(no_key=True)
            .select_related("survey")
            .get(pk=distribution.pk)
        )
        if distribution.status not in STARTABLE:
            raise DistributionError(
                _("This distribution is “%(status)s”; it cannot be sent again.")
                % {"status": distribution.get_status_display()}
            )
        refusal, field = _refusal(distribution, send=send)
        if refusal:
            raise DistributionError(refusal, {field: [refusal]} if field else None)
        distribution.status = DistributionStatus.BUILDING
        distribution.send_requested = distribution.send_requested or send
        distribution.queued_at = timezone.now()
        distribution.status_note = ""
        distribution.save(update_fields=["status", "send_requested", "queued_at", "status_note"])
        enqueue_on_commit(BUILD_TASK, distribution.pk)
    return distribution


def distribution_send_later(*, distribution: Distribution, by=None) -> Distribution:
    """ "Send" from a person (page or API): a fresh distribution's audience is built by a
    task, never in the request; one already sending, sent or cancelled is answered as
    `distribution_send` does (pending invitations re-queued; a cancelled one refused)."""
    if distribution.status in STARTABLE:
        return distribution_queue_build(distribution=distribution, send=True, by=by)
    return distribution_send(distribution=distribution, by=by)


def _after_build(distribution: Distribution, pending: int, now) -> str:
    if not distribution.send_requested:
        return DistributionStatus.READY
    if distribution.send_at and distribution.send_at > now:
        return DistributionStatus.SCHEDULED
    return DistributionStatus.SENDING if pending else DistributionStatus.SENT


def distribution_build(*, distribution_id: int) -> str:
    """The build task's work: create the invitations of a "building" distribution, then make
    it ready, scheduled or sending. Idempotent; returns the status it left (or found)."""
    now = timezone.now()
    distribution = Distribution.objects.select_related("survey").filter(pk=distribution_id).first()
    if distribution is None or distribution.status != DistributionStatus.BUILDING:
        return distribution.status if distribution else "missing"
    refusal, _field = _refusal(distribution, send=distribution.send_requested)
    if refusal:
        return _cancel_quietly(distribution, refusal)
    try:
        with transaction.atomic():
            try:
                pending = _invitations_create(distribution=distribution, now=now)
            except DistributionError as exc:
                raise _Refused(exc.message) from exc
            status = _after_build(distribution, pending, now)
            fields = {"status": status, "audience_built_at": now, "queued_at": now}
            if status in (DistributionStatus.SENDING, DistributionStatus.SENT):
                fields["send_requested"] = False
            # Conditional: a cancel committed meanwhile leaves nothing to update.
            updated = Distribution.objects.filter(
                pk=distribution_id, status=DistributionStatus.BUILDING
            ).update(**fields)
            if not updated:
                raise _CancelledMeanwhile
            if status == DistributionStatus.SENDING:
                _enqueue_batch(distribution_id)
    except _CancelledMeanwhile:
        logger.info("distribution %s was cancelled during its build", distribution_id)
        return DistributionStatus.CANCELLED
    except _Refused as exc:
        return _cancel_quietly(distribution, str(exc))
    logger.info("distribution %s built: %s pending, now %s", distribution_id, pending, status)
    return status


class _Refused(Exception):
    pass


def _cancel_quietly(distribution: Distribution, reason: str) -> str:
    with contextlib.suppress(DistributionError):  # cancelled or finished meanwhile
        distribution_cancel(distribution=distribution, reason=reason)
    logger.warning("distribution %s not built: %s", distribution.pk, reason)
    return DistributionStatus.CANCELLED
