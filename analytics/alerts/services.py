"""Alerts, the writes: check every active rule (one alert per rule and occasion), deliver
each alert by email and to its group robots, retry failed deliveries with backoff and mark
them failed after the last attempt (logged and shown; never dropped), mute, close, test."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.alerts import words
from analytics.alerts.checks import rule_findings
from analytics.alerts.robots import RobotError, robot_post, robot_request
from analytics.dashboard.digests import digest_recipients
from analytics.evaluations.periods import local_today
from analytics.models import (
    Alert,
    AlertDelivery,
    AlertRobot,
    AlertRule,
    AlertStatus,
    DeliveryStatus,
)
from surveyhub.api.errors import DomainError

logger = logging.getLogger(__name__)

# Minutes to wait after the 1st, 2nd, 3rd, 4th failure; the 5th attempt is the last.
BACKOFF_MINUTES = (1, 5, 15, 60)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1


class AlertError(DomainError):
    """A robot test that failed, a mute date in the past…: the message says what to do."""


def rule_recipients(rule: AlertRule) -> list[str]:
    """The managers (if the rule says so) and the rule's own addresses, each once."""
    emails = (
        list(digest_recipients().values_list("email", flat=True)) if rule.email_managers else []
    )
    return list(dict.fromkeys([*emails, *rule.email_list()]))


def alert_fire(rule: AlertRule, *, key: str, details: dict) -> Alert | None:
    """Store the alert and its pending deliveries; None when this occasion already fired."""
    with translation.override(settings.LANGUAGE_CODE):
        title = words.alert_title(rule.kind, details)
        message = words.alert_message(rule.kind, details)
        period = words.window_label(details.get("window", "month"), details.get("current_key", ""))
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule, key=key, period_label=period, title=title[:200], message=message,
                details={"kind": rule.kind, **details},
            )  # fmt: skip
            recipients = rule_recipients(rule)
            if recipients:
                AlertDelivery.objects.create(alert=alert, recipients="\n".join(recipients))
            for robot in rule.robots.filter(is_active=True):
                AlertDelivery.objects.create(alert=alert, robot=robot)
    except IntegrityError:
        return None
    logger.info("alert %s fired: %s", alert.pk, key)
    return alert


def alerts_evaluate(*, today: dt.date | None = None) -> list[Alert]:
    """Check every active rule that is not muted today; return the alerts that fired now."""
    today = today or local_today()
    fired = []
    for rule in AlertRule.objects.filter(is_active=True).exclude(muted_until__gte=today):
        try:
            findings = rule_findings(rule, today=today)
        except Exception:  # one broken rule must not silence the others
            logger.exception("alert rule %s could not be checked", rule.pk)
            continue
        for finding in findings:
            alert = alert_fire(rule, key=finding.key, details=finding.details)
            if alert is not None:
                fired.append(alert)
    return fired


# Delivery ----------------------------------------------------------------------------------


def _link(alert: Alert) -> str:
    return f"{settings.SITE_URL}{reverse('alerts:history')}#alert-{alert.pk}"


def _send_to_robot(delivery: AlertDelivery) -> None:
    alert, robot = delivery.alert, delivery.robot
    markdown = f"### {alert.title}\n\n{alert.message}\n\n[{_('Open in SurveyHub')}]({_link(alert)})"
    plain = f"{alert.title}\n{alert.message}\n{_link(alert)}"
    url, body = robot_request(
        kind=robot.kind, url=robot.url, secret=robot.secret, title=alert.title,
        markdown=markdown, plain=plain, now=time.time(),
    )  # fmt: skip
    robot_post(url, body)


def _send_email(delivery: AlertDelivery) -> None:
    alert = delivery.alert
    body = f"{alert.message}\n\n{_('Open in SurveyHub')}: {_link(alert)}\n"
    subject = _("[SurveyHub alert] %(title)s") % {"title": alert.title}
    send_mail(subject, body, None, delivery.recipients.split("\n"), fail_silently=False)


def delivery_attempt(delivery: AlertDelivery, *, now: dt.datetime | None = None) -> bool:
    """Try once. Success → sent; failure → retried after the backoff, or failed after the
    last attempt (logged as an error: the history page and the home page show it)."""
    now = now or timezone.now()
    if delivery.robot_id is None and not delivery.recipients:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = _("No recipient: the robot was deleted.")
        delivery.save(update_fields=["status", "last_error"])
        return False
    try:
        with translation.override(settings.LANGUAGE_CODE):
            if delivery.robot_id:
                _send_to_robot(delivery)
            else:
                _send_email(delivery)
    except RobotError as exc:
        error = words.delivery_error(
            exc.reason, status=exc.status, code=exc.code, detail=exc.detail
        )
    except (smtplib.SMTPException, OSError) as exc:
        error = words.delivery_error("smtp", detail=str(exc))
    else:
        delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
        delivery.attempts += 1
        delivery.next_attempt_at = None
        delivery.save(
            update_fields=["status", "sent_at", "last_error", "attempts", "next_attempt_at"]
        )
        return True
    delivery.attempts += 1
    delivery.last_error = error[:500]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        logger.error(
            "alert %s: delivery %s failed for good: %s", delivery.alert_id, delivery.pk, error
        )
    else:
        delivery.status = DeliveryStatus.RETRYING
        delivery.next_attempt_at = now + dt.timedelta(
            minutes=BACKOFF_MINUTES[delivery.attempts - 1]
        )
    delivery.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return False


def deliveries_send_due(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send every waiting delivery and every retry whose time has come; returns how many went
    out. Each row is locked while it is sent, so two workers never send it twice."""
    now = now or timezone.now()
    due = Q(status=DeliveryStatus.PENDING) | Q(
        status=DeliveryStatus.RETRYING, next_attempt_at__lte=now
    )
    ids = list(
        AlertDelivery.objects.filter(due).order_by("id").values_list("id", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        with transaction.atomic():
            delivery = (
                AlertDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("alert", "robot")
                .filter(due, pk=pk)
                .first()
            )
            if delivery is not None:
                sent += delivery_attempt(delivery, now=now)
    return sent


def delivery_redrive(delivery: AlertDelivery) -> AlertDelivery:
    """Send a failed delivery again from the first attempt (after the robot was fixed)."""
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery


# Rules, alerts, robots ------------------------------------------------------------------------


def rule_mute(rule: AlertRule, *, until: dt.date | None) -> AlertRule:
    """Mute until a day (inclusive), or unmute with None. A day in the past is refused."""
    if until is not None and until < local_today():
        raise AlertError(
            _("%(day)s is in the past: choose today or a later day to mute until.")
            % {"day": until.isoformat()}
        )
    rule.muted_until = until
    rule.save(update_fields=["muted_until", "updated_at"])
    return rule


def alert_close(alert: Alert) -> Alert:
    if alert.status != AlertStatus.CLOSED:
        alert.status, alert.closed_at = AlertStatus.CLOSED, timezone.now()
        alert.save(update_fields=["status", "closed_at"])
    return alert


def robot_test(robot: AlertRobot) -> None:
    """Post a test message now; raise AlertError saying why the robot did not take it."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("SurveyHub test message")
        text = _("This group will receive SurveyHub alerts.")
    try:
        url, body = robot_request(
            kind=robot.kind, url=robot.url, secret=robot.secret, title=title,
            markdown=f"### {title}\n\n{text}", plain=f"{title}\n{text}", now=time.time(),
        )  # fmt: skip
        robot_post(url, body)
    except RobotError as exc:
        raise AlertError(
            words.delivery_error(exc.reason, status=exc.status, code=exc.code, detail=exc.detail)
        ) from None
