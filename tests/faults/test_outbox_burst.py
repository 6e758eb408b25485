"""After a burst of submits the outbox sweep shares the responses out in leased chunks among
the `default` workers, instead of announcing them one by one in one task: a real worker on
Redis announces them all, and the next tick does not hand out the chunks in flight again."""

import pytest
from django.utils import timezone

from feedback.models import FeedbackItem
from feedback.models.cases import Case
from surveys.models import Response
from surveys.responding.outbox import ANNOUNCE_CHUNK
from surveys.responding.services import response_submit
from surveys.responding.tasks import sweep_unannounced_responses
from tests.factories import published_survey
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_burst_is_handed_out_in_leased_chunks_and_every_response_is_announced(celery_worker):
    survey = published_survey(consent_text="")
    count = ANNOUNCE_CHUNK + 60
    for i in range(count):  # with a broker the request announces nothing itself
        response_submit(survey=survey, data={"nps": i % 11, "comment": f"第{i}位：物流太慢"})
    responses = Response.objects.filter(survey=survey)
    assert responses.filter(announced_at__isnull=True).count() == count

    assert sweep_unannounced_responses() == count  # handed out: 2 chunks
    leased = responses.filter(announced_at__isnull=True, announce_retry_at__gt=timezone.now())
    assert sweep_unannounced_responses() == 0 or not leased.exists()  # in flight: not again

    wait_until(lambda: not responses.filter(announced_at__isnull=True).exists(), timeout=120)
    assert FeedbackItem.objects.filter(response__survey=survey).count() == count
    detractors = responses.filter(nps_score__lte=6)
    assert Case.objects.filter(response__in=detractors).count() == detractors.count()
    assert not responses.filter(announce_attempts__gt=0).exists()
    # Let the worker finish what the announcements set off (analysis, case rules) before the
    # test database is emptied: a task still writing then deadlocks the TRUNCATE.
    items = FeedbackItem.objects.filter(response__survey=survey)
    wait_until(lambda: not items.filter(analysed_at__isnull=True).exists(), timeout=120)
    wait_until(_worker_idle, timeout=60)


def _worker_idle() -> bool:
    from surveyhub.celery import app

    inspect = app.control.inspect(timeout=1)
    busy = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
    return not any(busy)
