"""Alerts, the reads: open alerts and failed deliveries for the home pages and the workspace,
the history with every delivery, and the rules in words."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from analytics.alerts import words
from analytics.models import Alert, AlertDelivery, AlertRule, AlertStatus, DeliveryStatus

DELIVERY_CLASS = {"pending": "close", "retrying": "close", "sent": "met", "failed": "missed"}


def alert_rows(alerts) -> list[dict]:
    """Alerts in the reader's language, each with its deliveries."""
    rows = []
    for alert in alerts:
        kind = alert.details.get("kind", alert.rule.kind)
        deliveries = list(alert.deliveries.all())
        rows.append({
            "alert": alert,
            "title": words.alert_title(kind, alert.details),
            "message": words.alert_message(kind, alert.details),
            "deliveries": [
                {"delivery": d, "channel": d.channel_label, "status": d.get_status_display(),
                 "css": DELIVERY_CLASS[d.status]} for d in deliveries
            ],
            "failed": any(d.status == DeliveryStatus.FAILED for d in deliveries),
        })  # fmt: skip
    return rows


def _alerts():
    deliveries = AlertDelivery.objects.select_related("robot").order_by("id")
    return Alert.objects.select_related("rule").prefetch_related(
        Prefetch("deliveries", queryset=deliveries)
    )


def open_alerts(limit: int = 8) -> list[dict]:
    return alert_rows(_alerts().filter(status=AlertStatus.OPEN)[:limit])


def alert_history(*, status: str = "", limit: int = 200) -> list[dict]:
    qs = _alerts()
    if status in AlertStatus.values:
        qs = qs.filter(status=status)
    return alert_rows(qs[:limit])


def alert_counts() -> dict:
    counts = Alert.objects.aggregate(open=Count("pk", filter=Q(status=AlertStatus.OPEN)))
    counts["failed_deliveries"] = AlertDelivery.objects.filter(status=DeliveryStatus.FAILED).count()
    return counts


def rule_rows() -> list[dict]:
    rules = (
        AlertRule.objects.select_related("topic")
        .prefetch_related("robots")
        .annotate(fired=Count("alerts"))
    )
    rows = []
    for rule in rules:
        rows.append({"rule": rule, "robots": ", ".join(r.name for r in rule.robots.all())})
    return rows
