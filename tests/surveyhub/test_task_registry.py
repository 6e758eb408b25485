"""Pins the registered task names: a rename would strand messages already queued."""

from surveyhub.celery import app

EXPECTED_TASKS = {
    "surveyhub.record_heartbeat",
    "surveys.announce_response",
    "surveys.announce_responses",
    "surveys.sweep_unannounced_responses",
    "analytics.run_import",
    "analytics.sweep_pending_imports",
    "surveys.send_distribution_batch",
    "surveys.send_reminder_batch",
    "surveys.send_due_distributions",
    "surveys.build_distribution_audience",
    "surveys.send_due_reminders",
    "surveys.sweep_stuck_invitations",
    "surveys.poll_sms_receipts",
    "surveys.apply_retention",
    "surveys.refresh_result_cubes",
    "feedback.analyse_batch",
    "feedback.sweep_unanalysed",
    "feedback.discover_topics",
    "feedback.send_case_reply",
    "feedback.check_case_slas",
    "analytics.fit_clv",
    "analytics.compute_evaluations",
    "analytics.compute_workspace_figures",
    "analytics.post_purchase_invitations",
    "analytics.send_weekly_digest",
    "analytics.generate_report",
    "analytics.quarterly_reports",
    "analytics.evaluate_alerts",
    "analytics.send_alert_deliveries",
}


def test_registered_task_names_are_exactly_the_pinned_set():
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours == EXPECTED_TASKS


def test_every_task_acks_late_and_declares_a_known_queue():
    from surveyhub.tasking.declare import TASK_QUEUES, route_to_declared_queue

    app.loader.import_default_modules()
    for name in EXPECTED_TASKS:
        task = app.tasks[name]
        assert task.acks_late is True, name
        assert task.reject_on_worker_lost is True, name
        assert route_to_declared_queue(name, (), {}, {}) == {"queue": TASK_QUEUES[name].value}


def test_every_beat_entry_runs_a_registered_task_and_the_outbox_runs_every_few_seconds(settings):
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} <= EXPECTED_TASKS
    outbox = schedule["surveys-announce-responses"]
    assert outbox["task"] == "surveys.sweep_unannounced_responses"
    assert outbox["schedule"] == settings.SURVEYHUB_ANNOUNCE_SECONDS
