from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from surveyhub.health import HEALTH_FIGURES, broker_state, database_state
from surveyhub.models import WorkerHeartbeat


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and monitoring: 200 when the database and broker answer."""
    database = database_state()
    broker = broker_state()
    healthy = database == "ok" and broker in {"ok", "in-process"}
    body = {"status": "ok" if healthy else "error", "database": database, "broker": broker}
    if database == "ok":
        last = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        body["last_worker_heartbeat"] = last[0].isoformat() if last else None
        # Figures the apps register (e.g. responses the outbox gave up on).
        body.update({name: figure() for name, figure in HEALTH_FIGURES.items()})
    return JsonResponse(body, status=200 if healthy else 503)
