"""The project's URLs plus the reference: a bare view that inserts one row."""

import uuid

from django.http import JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from surveyhub.models import WorkerHeartbeat


@csrf_exempt
def bare_insert(request):
    row = WorkerHeartbeat.objects.create(worker=uuid.uuid4().hex, seen_at=timezone.now())
    return JsonResponse({"id": row.pk}, status=201)


urlpatterns = [
    path("bench/bare-insert/", bare_insert),
    path("", include("surveyhub.urls")),
]
