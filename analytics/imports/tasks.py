"""Celery tasks of imports: run an uploaded file, and sweep uploads nobody picked up."""

from analytics.imports.jobs import import_job_run, import_jobs_sweep
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue


# A million rows take under a minute. A job never runs twice at once (a run holds the job's
# lock; see services.import_job_run); the hard limit stays below the broker's redelivery
# timeout (CELERY_VISIBILITY_TIMEOUT, one hour by default) so a live run is not redelivered.
@surveyhub_task(name="analytics.run_import", queue=Queue.IMPORTS, time_limit=50 * 60)
def run_import_job(job_id: int) -> str:
    """Run one import job (idempotent: a finished job is left alone)."""
    job = import_job_run(job_id=job_id)
    return job.status


@surveyhub_task(name="analytics.sweep_pending_imports", queue=Queue.DEFAULT, expires=240)
def sweep_pending_imports() -> int:
    """Re-enqueue uploads whose task never reached a worker (broker down at upload time)."""
    return import_jobs_sweep()
