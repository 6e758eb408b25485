"""Thin Celery wrappers of the alert services. Both are safe to run twice: an occasion fires
once per rule, and a delivery row is locked while it is sent."""

from analytics.alerts.services import alerts_evaluate, deliveries_send_due
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue


@surveyhub_task(name="analytics.evaluate_alerts", queue=Queue.DEFAULT, time_limit=15 * 60)
def evaluate_alerts() -> int:
    """Hourly: check every active rule, then send what fired."""
    fired = alerts_evaluate()
    deliveries_send_due()
    return len(fired)


@surveyhub_task(name="analytics.send_alert_deliveries", queue=Queue.DEFAULT, time_limit=5 * 60)
def send_alert_deliveries() -> int:
    """Every minute: send waiting deliveries and the retries whose time has come."""
    return deliveries_send_due()
