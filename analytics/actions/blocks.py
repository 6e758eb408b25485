"""The alerts-and-actions block of the evaluation workspace and the manager's home: open
alerts, actions not done (overdue first), and the counts (reads only)."""

from __future__ import annotations

from analytics.actions.queries import action_counts, actions_due
from analytics.alerts.queries import alert_counts, open_alerts


def tasks_block(*, days: int = 14, rows: int = 6) -> dict:
    """{"open_alerts", "alert_counts", "actions_due", "action_counts"} for a page."""
    return {
        "open_alerts": open_alerts(limit=rows),
        "alert_counts": alert_counts(),
        "actions_due": actions_due(days=days, limit=rows),
        "action_counts": action_counts(),
    }


def scorecard_block() -> dict | None:
    """The index and the four dimensions of this quarter — or, before its first nightly
    snapshot, of the latest evaluated period — in words, with the period they belong to."""
    from analytics.dashboard.queries import current_period
    from analytics.workspace.queries import default_period, latest_snapshot, scorecard_view
    from analytics.workspace.words import period_label

    period = current_period()
    snapshot = latest_snapshot(period.code)
    if snapshot is None and (latest := default_period()) is not None:
        period, snapshot = latest, latest_snapshot(latest.code)
    if snapshot is None:
        return None
    view = scorecard_view(snapshot, latest_snapshot(period.previous().code))
    return {"period_code": period.code, "period_label": period_label(period.code), **view}


def manager_overview(user) -> dict:
    """The admin index's start for a manager: this quarter's index and dimensions, open
    alerts, actions due and overdue cases (the same figures as the staff home)."""
    from django.utils import timezone

    from analytics.dashboard.queries import current_period
    from analytics.workspace.queries import latest_snapshot
    from analytics.workspace.words import period_label
    from feedback.cases.queries import CaseFilters, case_queue, case_queue_counts

    now = timezone.now()
    period = current_period()
    snapshot = latest_snapshot(period.code)
    scorecard = scorecard_block()
    overdue = case_queue(user=user, filters=CaseFilters(view="overdue"), now=now)
    return {
        "period": period, "period_label": period_label(period.code),
        "index": snapshot.overall_index if snapshot else None, "scorecard": scorecard,
        "tasks": tasks_block(), "counts": case_queue_counts(user=user, now=now),
        "overdue_cases": list(overdue[:8]),
    }  # fmt: skip
