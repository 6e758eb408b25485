"""The Celery application: configured from Django settings (CELERY_*), tasks autodiscovered."""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue as KombuQueue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "surveyhub.settings")

app = Celery("surveyhub")
app.config_from_object("django.conf:settings", namespace="CELERY")

from surveyhub.tasking.queues import Queue  # noqa: E402  (needs the settings module name set above)

app.conf.task_queues = [KombuQueue(q.value, routing_key=q.value) for q in Queue]
app.conf.task_default_queue = Queue.DEFAULT.value
app.conf.task_default_routing_key = Queue.DEFAULT.value
app.conf.task_routes = ("surveyhub.tasking.declare.route_to_declared_queue",)

# A static schedule, versioned with the code: every periodic job is a sweeper or a
# nightly computation whose timing is part of the product, not an admin setting.
app.conf.beat_schedule = {
    "worker-heartbeat": {
        "task": "surveyhub.record_heartbeat",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "surveys-send-due-distributions": {
        "task": "surveys.send_due_distributions",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "surveys-send-due-reminders": {
        "task": "surveys.send_due_reminders",
        "schedule": crontab(minute=7),
        "options": {"expires": 3000},
    },
    "surveys-sweep-stuck-invitations": {
        "task": "surveys.sweep_stuck_invitations",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    # SMS delivery reports that no callback brought, from the provider's query API.
    "surveys-poll-sms-receipts": {
        "task": "surveys.poll_sms_receipts",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "analytics-sweep-pending-imports": {
        "task": "analytics.sweep_pending_imports",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    # Results: fold new responses into the big surveys' pre-aggregates (exact meanwhile).
    "surveys-refresh-result-cubes": {
        "task": "surveys.refresh_result_cubes",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "feedback-sweep-unanalysed": {
        "task": "feedback.sweep_unanalysed",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    "feedback-check-case-slas": {
        "task": "feedback.check_case_slas",
        "schedule": 300.0,
        "options": {"expires": 240},
    },
    # Privacy: anonymise responses and feedback past the admin's retention period.
    "surveys-apply-retention": {
        "task": "surveys.apply_retention",
        "schedule": crontab(hour=4, minute=10),
        "options": {"expires": 6 * 3600},
    },
    "feedback-discover-topics": {
        "task": "feedback.discover_topics",
        "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Evaluations (local time, Asia/Shanghai): CLV first, then the scorecards that use it.
    "analytics-fit-clv": {
        "task": "analytics.fit_clv",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600},
    },
    "analytics-compute-evaluations": {
        "task": "analytics.compute_evaluations",
        "schedule": crontab(hour=3, minute=15),
        "options": {"expires": 6 * 3600},
    },
    "analytics-post-purchase-invitations": {
        "task": "analytics.post_purchase_invitations",
        "schedule": crontab(hour=10, minute=0),
        "options": {"expires": 12 * 3600},
    },
    # Alerts: rules checked hourly (once per occasion); deliveries and their retries every minute.
    "analytics-evaluate-alerts": {
        "task": "analytics.evaluate_alerts",
        "schedule": crontab(minute=40),
        "options": {"expires": 3000},
    },
    "analytics-send-alert-deliveries": {
        "task": "analytics.send_alert_deliveries",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # The last quarter's PDF and Excel reports, mailed to the Managers (once per quarter).
    "analytics-quarterly-reports": {
        "task": "analytics.quarterly_reports",
        "schedule": crontab(hour=6, minute=30, day_of_month="1-3", month_of_year="1,4,7,10"),
        "options": {"expires": 12 * 3600},
    },
    "analytics-send-weekly-digest": {
        "task": "analytics.send_weekly_digest",
        "schedule": crontab(hour=8, minute=0, day_of_week="mon"),
        "options": {"expires": 12 * 3600},
    },
}
app.conf.beat_schedule_filename = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILE",
    "/tmp/surveyhub-celerybeat-schedule",  # noqa: S108
)


@app.on_after_configure.connect
def _schedule_the_response_outbox(sender, **kwargs):
    """Responses reach feedback and the case rules within seconds (setting read once Django's
    settings are fully loaded, not while this module is imported)."""
    from django.conf import settings

    seconds = settings.SURVEYHUB_ANNOUNCE_SECONDS
    sender.conf.beat_schedule["surveys-announce-responses"] = {
        "task": "surveys.sweep_unannounced_responses",
        "schedule": float(seconds),
        "options": {"expires": seconds},
    }


# Each wing keeps its tasks in its own `tasks` module; the wiring names them all once here.
TASK_PACKAGES = [
    "surveyhub",
    "surveys.distribution",
    "surveys.channels.sms",
    "surveys.responding",
    "surveys.privacy",
    "surveys.results",
    "feedback.analysis",
    "feedback.cases",
    "analytics.imports",
    "analytics.evaluations",
    "analytics.dashboard",
    "analytics.reports",
    "analytics.alerts",
]
app.autodiscover_tasks(TASK_PACKAGES)

__all__ = ["app", "crontab"]
