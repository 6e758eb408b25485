"""Signal → item → task on the nlp queue → stored result, with a real worker on Redis."""

import pytest

from feedback.analysis.queueing import analysis_send
from feedback.models import AnalysisStatus, FeedbackAspect, FeedbackItem
from feedback.nlp import pipeline
from surveyhub.tasking.declare import enqueue
from surveys.responding.services import response_submit
from surveys.responding.tasks import sweep_unannounced_responses
from tests.factories import FeedbackItemFactory, published_survey
from tests.support import wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _all_analysed(queryset):
    return lambda: (
        queryset.exists() and not queryset.exclude(analysis_status=AnalysisStatus.DONE).exists()
    )


def test_a_submitted_comment_is_analysed_by_the_worker_and_stored(celery_worker):
    survey = published_survey()

    response, _ = response_submit(
        survey=survey,
        data={"nps": 2, "comment": "东西不错但是物流太慢，客服也不回消息"},
        consent_given=True,
    )
    assert enqueue(sweep_unannounced_responses)  # what beat does every few seconds

    items = FeedbackItem.objects.filter(response=response)
    wait_until(_all_analysed(items), timeout=60)
    item = items.get()
    assert item.enqueued_at is not None
    assert item.analysis_version == pipeline.analysis_version()
    assert item.sentiment_label == "negative"
    assert {"quality", "delivery"} <= set(item.aspects.values_list("aspect", flat=True))


def test_a_batch_sent_twice_is_stored_once(celery_worker):
    items = [FeedbackItemFactory(text=f"第{n}次购买，包装很好，发货很快") for n in range(5)]
    ids = [i.pk for i in items]

    assert analysis_send(item_ids=ids) == 5
    assert analysis_send(item_ids=ids) == 5

    wait_until(_all_analysed(FeedbackItem.objects.filter(pk__in=ids)), timeout=60)
    first = dict(FeedbackItem.objects.values_list("pk", "analysed_at"))
    # Let the worker finish the second message too, then nothing may have changed.
    marker = FeedbackItemFactory(text="最后一条")
    analysis_send(item_ids=[marker.pk])
    wait_until(_all_analysed(FeedbackItem.objects.filter(pk=marker.pk)), timeout=60)
    assert {pk: at for pk, at in FeedbackItem.objects.values_list("pk", "analysed_at")} == {
        **first,
        marker.pk: FeedbackItem.objects.get(pk=marker.pk).analysed_at,
    }
    per_item = FeedbackAspect.objects.filter(item_id__in=ids).values_list("item_id", "aspect")
    assert len(per_item) == len(set(per_item))
