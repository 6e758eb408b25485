"""Celery tasks of the results: keeping the big surveys' pre-aggregates up to date."""

from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue
from surveys.results.cube import cubes_refresh


@surveyhub_task(name="surveys.refresh_result_cubes", queue=Queue.DEFAULT, expires=240)
def refresh_result_cubes() -> dict[str, int]:
    """Beat, every few minutes: fold the responses completed since into each pre-aggregate,
    rebuild stale ones, build new ones for surveys that grew big (see `surveys.results.cube`)."""
    return cubes_refresh()
