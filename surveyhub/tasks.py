import socket

from django.utils import timezone

from surveyhub.models import WorkerHeartbeat
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue


@surveyhub_task(name="surveyhub.record_heartbeat", queue=Queue.DEFAULT, expires=55)
def record_heartbeat(worker: str = "") -> str:
    """Record that a worker is alive; idempotent (one row per worker, updated)."""
    name = worker or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(worker=name, defaults={"seen_at": timezone.now()})
    return name
