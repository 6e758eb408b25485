"""A workspace page opened before the night's run (figures missing or stale) answers at once:
it says "计算中…" and refreshes itself, asks a worker exactly once (a lock), and shows the
figures once the worker is done; the API says the same in `figures`. Tasks go to a private
broker no worker reads, so nothing is computed in the request."""

import datetime as dt
import re

import pytest
import redis

from analytics.evaluations.periods import local_today
from analytics.evaluations.tasks import compute_workspace_figures
from analytics.metrics.scorecard import STANDARD_INDICATORS
from analytics.models import WorkspaceFigures
from analytics.workspace.nightly import figures_warm

pytestmark = [pytest.mark.django_db, pytest.mark.services]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
PAGE = "/staff/evaluations/2026Q2/"
DRILL = "/staff/evaluations/2026Q2/indicators/nps/"
API = "/api/v1/evaluations/2026Q2/"


def queued(broker) -> int:
    """Messages waiting in the private broker's default queue (nobody consumes them)."""
    return redis.Redis.from_url(broker.url).llen("default")


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body[body.find("<main") :]))


def test_a_page_without_figures_says_computing_refreshes_itself_and_asks_a_worker_once(
    manager, two_quarters, private_broker
):
    WorkspaceFigures.objects.all().delete()

    page = manager.get(PAGE)
    again = manager.get(PAGE)
    drill = manager.get(DRILL)
    api = manager.get(API)

    assert page.status_code == again.status_code == drill.status_code == 200
    assert "计算中" in text(page)
    assert 'http-equiv="refresh" content="5"' in page.content.decode()
    assert 'data-figures="computing"' in drill.content.decode()
    assert 'id="ws-by-segment"' not in drill.content.decode()
    assert api.json()["scorecard"]["figures"]["status"] == "computing"
    assert api.json()["scorecard"]["headline"] is None
    assert {i["n"] for i in api.json()["scorecard"]["indicators"]} == {None}
    assert queued(private_broker) == 1  # four views, one task: the lock holds
    assert not WorkspaceFigures.objects.exists()  # nothing computed in the requests


def test_once_the_worker_is_done_the_page_shows_the_figures_and_stops_refreshing(
    manager, two_quarters, private_broker
):
    WorkspaceFigures.objects.all().delete()
    manager.get(PAGE)
    snapshot = two_quarters["q2"]

    assert compute_workspace_figures.apply(args=[snapshot.pk]).get() is True

    page = manager.get(PAGE, **EN)
    drill = manager.get(DRILL, **EN)
    kept = WorkspaceFigures.objects.get(snapshot=snapshot)
    assert set(kept.data["parts"]) == {f"drill:{code}" for code in STANDARD_INDICATORS}
    assert "Computing" not in text(page) and "http-equiv" not in page.content.decode()
    assert "n = 5 answers" in text(page)  # Q2's five NPS answers
    assert 'id="ws-by-segment"' in drill.content.decode()
    assert manager.get(API).json()["scorecard"]["figures"]["status"] == "ready"
    # The worker released its lock, and a second run finds everything kept.
    assert compute_workspace_figures.apply(args=[snapshot.pk]).get() is False


def test_stale_figures_are_shown_with_their_day_while_a_worker_refreshes_them(
    manager, two_quarters, private_broker
):
    snapshot = two_quarters["q2"]
    figures_warm([snapshot])
    old_day = local_today() - dt.timedelta(days=5)
    WorkspaceFigures.objects.filter(snapshot=snapshot).update(computed_on=old_day)

    page = manager.get(PAGE, **EN)
    manager.get(PAGE, **EN)

    body = text(page)
    assert f"computed on {old_day.isoformat()} and are being updated" in body
    assert "n = 5 answers" in body  # yesterday's numbers stay readable meanwhile
    assert 'data-figures="stale"' in page.content.decode()
    assert queued(private_broker) == 1
    assert compute_workspace_figures.apply(args=[snapshot.pk]).get() is True
    assert WorkspaceFigures.objects.get(snapshot=snapshot).computed_on == local_today()
    assert "being updated" not in text(manager.get(PAGE, **EN))


def test_the_lock_is_per_snapshot_and_released_when_the_broker_is_down(
    manager, two_quarters, private_broker
):
    WorkspaceFigures.objects.all().delete()
    manager.get("/staff/evaluations/2026Q1/")
    manager.get(PAGE)
    assert queued(private_broker) == 2  # one per snapshot

    private_broker.stop()
    try:
        WorkspaceFigures.objects.all().delete()
        from django.core.cache import cache

        cache.clear()
        down = manager.get(PAGE)
    finally:
        private_broker.start()
    assert down.status_code == 200 and "计算中" in text(down)
    manager.get(PAGE)  # the broker is back: this view asks again (the lock was let go)
    assert queued(private_broker) == 1


def test_without_a_broker_the_embedded_install_computes_in_process(manager, two_quarters):
    WorkspaceFigures.objects.all().delete()

    page = manager.get(PAGE, **EN)

    assert "Computing" not in text(page) and "n = 5 answers" in text(page)
    assert WorkspaceFigures.objects.filter(snapshot=two_quarters["q2"]).exists()
