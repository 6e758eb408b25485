"""The response outbox: completed responses handed to the listeners of `response_submitted`
(feedback items and analysis, the case rules), and what happens when a listener fails.

A response is announced once every listener has run without an error (`announced_at`). When
one fails, the response stays in the outbox with its attempt count, the error and the time of
its next try — 30 s, 1 min, 2 min… after (`SURVEYHUB_ANNOUNCE_RETRY_SECONDS`, doubling, at
most 6 h) — and the sweep goes on with the next response, so one failing response never holds
up the others. After `SURVEYHUB_ANNOUNCE_MAX_ATTEMPTS` tries it is marked failed, the Admins
are emailed, and it waits on the outbox page (`/staff/outbox/`) and in `/healthz` until an
Admin re-drives it. Nothing is dropped silently. Listeners are idempotent, so running all of
them again after a partial failure is harmless.
"""

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from surveyhub.security.roles import Role
from surveyhub.tasking.declare import TRANSIENT_ERRORS
from surveys.models import Response, ResponseStatus
from surveys.signals import response_submitted, responses_submitted

logger = logging.getLogger(__name__)

MAX_RETRY_DELAY = dt.timedelta(hours=6)
# Responses per announce task when the sweep shares the outbox out among the workers, and
# how long a handed-out chunk is not swept again.
ANNOUNCE_CHUNK = 100
LEASE = dt.timedelta(minutes=2)


def announce_retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed try: exponential, capped at 6 h."""
    base = dt.timedelta(seconds=settings.SURVEYHUB_ANNOUNCE_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def response_announce(*, response_id: int) -> bool:
    """Send `response_submitted` for a completed response; True once every listener ran.

    A listener's error (any exception) is recorded on the response and re-driven later with
    backoff, never raised: the caller (the in-request follow-up, a task, the sweep) goes on.
    Transient errors (database locked, broker away) are tried again by the next sweep.
    """
    due = Response.objects.filter(
        pk=response_id, status=ResponseStatus.COMPLETED, announced_at__isnull=True
    )
    if not due.exists():  # not completed, or announced already (a chunk sent twice)
        return False
    results = [
        *responses_submitted.send_robust(sender=Response, response_ids=[response_id]),
        *response_submitted.send_robust(sender=Response, response_id=response_id, batched=True),
    ]
    failures = _failures(results)
    if not failures:
        _mark_announced([response_id])
        return True
    _log_failures(failures, [response_id])
    _record_failure(response_id, failures)
    return False


def _failures(results) -> list:
    """The (receiver, exception) pairs of a `send_robust` whose receiver raised."""
    return [(receiver, result) for receiver, result in results if isinstance(result, Exception)]


def _mark_announced(response_ids: list[int]) -> None:
    Response.objects.filter(pk__in=response_ids).update(
        announced_at=timezone.now(), announce_retry_at=None, announce_error=""
    )


def _log_failures(failures, response_ids: list[int]) -> None:
    for receiver, error in failures:
        logger.error(
            "response_submitted receiver %r failed for responses %s",
            receiver, response_ids, exc_info=error,
        )  # fmt: skip


def responses_announce_together(response_ids: list[int]) -> int | None:
    """Announce a chunk in one go: `responses_submitted` once for the chunk (its listeners
    work in a few queries for all of it), then `response_submitted` per response for the
    listeners that take one at a time. Returns how many were announced, or None when a chunk
    listener failed: the caller then announces one response at a time, so the failure is
    pinned on its response and the others go on (listeners are idempotent)."""
    due = list(
        Response.objects.filter(
            pk__in=response_ids, status=ResponseStatus.COMPLETED, announced_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if not due:
        return 0
    results = responses_submitted.send_robust(sender=Response, response_ids=due)
    failures = _failures(results)
    if failures:
        _log_failures(failures, due)
        return None
    announced = []
    for response_id in due:
        results = response_submitted.send_robust(
            sender=Response, response_id=response_id, batched=True
        )
        failures = _failures(results)
        if failures:
            _log_failures(failures, [response_id])
            _record_failure(response_id, failures)
        else:
            announced.append(response_id)
    _mark_announced(announced)
    return len(announced)


def _receiver_name(receiver) -> str:
    return f"{getattr(receiver, '__module__', '')}.{getattr(receiver, '__qualname__', receiver)}"


def _record_failure(response_id: int, failures) -> None:
    response = Response.objects.filter(pk=response_id).only("announce_attempts").first()
    if response is None:
        return
    now = timezone.now()
    error = "\n".join(f"{_receiver_name(r)}: {e.__class__.__name__}: {e}" for r, e in failures)
    if all(isinstance(e, TRANSIENT_ERRORS) for _r, e in failures):
        # The database was locked or the broker away: the next sweep tries again, and this
        # never counts towards giving up (README: lock errors are retried, never given up).
        Response.objects.filter(pk=response_id, announced_at__isnull=True).update(
            announce_error=error[:2000], announce_retry_at=now
        )
        return
    attempts = response.announce_attempts + 1
    fields = {"announce_attempts": attempts, "announce_error": error[:2000]}
    gave_up = attempts >= settings.SURVEYHUB_ANNOUNCE_MAX_ATTEMPTS
    if gave_up:
        fields.update(announce_failed_at=now, announce_retry_at=None)
    else:
        fields["announce_retry_at"] = now + announce_retry_delay(attempts)
    Response.objects.filter(pk=response_id, announced_at__isnull=True).update(**fields)
    if gave_up:
        logger.error("response %s not announced after %d attempts", response_id, attempts)
        outbox_alert_admins(response_ids=[response_id], error=error)


def responses_unannounced(*, older_than_seconds: int = 0, limit: int | None = None) -> list[int]:
    """Completed responses due to be announced, oldest first (the outbox): not announced, not
    given up, and past their next-try time if a listener failed before."""
    now = timezone.now()
    cutoff = now - dt.timedelta(seconds=older_than_seconds)
    return list(
        Response.objects.filter(
            status=ResponseStatus.COMPLETED,
            announced_at__isnull=True,
            announce_failed_at__isnull=True,
            completed_at__lt=cutoff,
        )
        .filter(Q(announce_retry_at__isnull=True) | Q(announce_retry_at__lte=now))
        .order_by("completed_at")
        .values_list("pk", flat=True)[: limit or settings.SURVEYHUB_ANNOUNCE_BATCH]
    )


def responses_announce(response_ids: Iterable[int]) -> int:
    """Announce these responses (the sweep): together when there are several, else (or when
    a chunk listener failed) each in turn; one that fails is recorded and skipped. Returns how
    many were announced."""
    ids = list(response_ids)
    if len(ids) > 1:
        try:
            together = responses_announce_together(ids)
        except Exception:  # reading the chunk failed: one at a time below
            logger.exception("announcing responses %s together failed", ids)
            together = None
        if together is not None:
            return together
    announced = 0
    for response_id in ids:
        try:
            announced += response_announce(response_id=response_id)
        except Exception:  # recording the failure itself failed: next sweep, the others now
            logger.exception("announcing response %s failed; it stays in the outbox", response_id)
    return announced


def responses_lease(response_ids: list[int]) -> int:
    """Hand these responses to a worker: the sweep skips them for LEASE, so the next tick does
    not send them again while they are in a queue; a worker that died leaves them to the
    sweep once the lease is over."""
    return Response.objects.filter(pk__in=response_ids, announced_at__isnull=True).update(
        announce_retry_at=timezone.now() + LEASE
    )


def responses_announce_failed() -> list[Response]:
    """Responses the outbox gave up on (the Admins' outbox page), oldest first."""
    return list(
        Response.objects.filter(announce_failed_at__isnull=False, announced_at__isnull=True)
        .select_related("survey")
        .order_by("announce_failed_at", "pk")
    )


def responses_waiting_count() -> int:
    """Completed responses not announced yet and not given up (due now or retrying later)."""
    return Response.objects.filter(
        status=ResponseStatus.COMPLETED, announced_at__isnull=True, announce_failed_at__isnull=True
    ).count()


def responses_announce_failed_count() -> int:
    return Response.objects.filter(
        announce_failed_at__isnull=False, announced_at__isnull=True
    ).count()


def response_announce_redrive(*, response_ids: Iterable[int] | None = None) -> int:
    """An Admin re-drives failed responses (all, or those ids): announced now, and the ones
    that still fail start a fresh round of retries. Returns how many were announced."""
    failed = Response.objects.filter(announce_failed_at__isnull=False, announced_at__isnull=True)
    if response_ids is not None:
        failed = failed.filter(pk__in=list(response_ids))
    ids = list(failed.order_by("pk").values_list("pk", flat=True))
    Response.objects.filter(pk__in=ids).update(
        announce_failed_at=None, announce_retry_at=None, announce_attempts=0
    )
    return responses_announce(ids)


def outbox_alert_admins(*, response_ids: list[int], error: str) -> int:
    """Email the active Admins (and superusers) that responses could not be announced."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    admins = users.filter(Q(groups__name=Role.ADMIN.value) | Q(is_superuser=True)).distinct()
    recipients = sorted({u.email for u in admins})
    if not recipients:
        logger.error("no Admin with an email address to tell about responses %s", response_ids)
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "SurveyHub: %(count)d response could not be handed to analysis and the case rules",
            "SurveyHub: %(count)d responses could not be handed to analysis and the case rules",
            len(response_ids),
        ) % {"count": len(response_ids)}
        body = _(
            "Responses %(ids)s were tried %(attempts)d times and their listeners kept failing:"
            "\n\n%(error)s\n\nThey have no analysis or case yet. Fix the cause, then re-drive them"
            " on %(url)s."
        ) % {
            "ids": ", ".join(f"#{pk}" for pk in response_ids),
            "attempts": settings.SURVEYHUB_ANNOUNCE_MAX_ATTEMPTS,
            "error": error,
            "url": f"{settings.SITE_URL}/staff/outbox/",
        }
    return send_mail(subject, body, None, recipients)
