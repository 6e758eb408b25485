"""The alert tasks run from the beat schedule with a broker and from the embedded default's
in-process scheduler without one; the tasks are thin wrappers of the services."""

import pytest
from celery.schedules import crontab

from analytics.models import AlertDelivery
from surveyhub.celery import app
from surveyhub.tasking.declare import task_named
from surveyhub.tasking.scheduler import Scheduler, jobs_from_beat_schedule
from tests.analytics.alerts.conftest import make_rule


def test_both_alert_tasks_are_in_the_beat_schedule_and_the_in_process_scheduler():
    schedule = app.conf.beat_schedule
    assert schedule["analytics-evaluate-alerts"]["task"] == "analytics.evaluate_alerts"
    assert isinstance(schedule["analytics-evaluate-alerts"]["schedule"], crontab)
    assert schedule["analytics-send-alert-deliveries"]["schedule"] == 60.0
    jobs = {job.task: job for job in jobs_from_beat_schedule(schedule)}
    assert {"analytics.evaluate_alerts", "analytics.send_alert_deliveries"} <= set(jobs)


@pytest.mark.django_db
def test_the_in_process_scheduler_sends_waiting_deliveries(nps_dropped, robots, robot_server):
    from analytics.alerts.services import alerts_evaluate
    from tests.analytics.alerts.conftest import TODAY

    make_rule(robots=robots[:1], email_managers=False)
    alerts_evaluate(today=TODAY)
    jobs = [j for j in jobs_from_beat_schedule(app.conf.beat_schedule)
            if j.task == "analytics.send_alert_deliveries"]  # fmt: skip
    assert Scheduler(jobs).tick() == ["analytics.send_alert_deliveries"]
    assert AlertDelivery.objects.get().status == "sent"
    assert len(robot_server.to("wecom")) == 1
    assert task_named("analytics.evaluate_alerts")() == 0  # nothing new: today is not TODAY
