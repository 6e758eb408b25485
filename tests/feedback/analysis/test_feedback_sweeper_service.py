"""The sweeper, in process: what it picks up and what it leaves alone."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.analysis.services import STALE_AFTER, feedback_sweep_unanalysed
from feedback.analysis.tasks import analyse_batch
from feedback.models import AnalysisStatus, FeedbackItem
from feedback.nlp import model_store, segment, sentiment
from surveys.responding.services import response_submit
from tests.factories import FeedbackItemFactory, published_survey

pytestmark = pytest.mark.django_db


def test_pending_items_never_queued_or_queued_long_ago_are_sent_and_analysed():
    now = timezone.now()
    never = FeedbackItemFactory(text="物流太慢")
    lost = FeedbackItemFactory(text="客服很好", enqueued_at=now - STALE_AFTER * 2)
    queued = FeedbackItemFactory(text="包装破了", enqueued_at=now)

    sent = feedback_sweep_unanalysed(now=now)  # tasks run in-process in these tests

    assert sent == 2
    statuses = dict(FeedbackItem.objects.values_list("pk", "analysis_status"))
    assert statuses[never.pk] == statuses[lost.pk] == AnalysisStatus.DONE
    assert statuses[queued.pk] == AnalysisStatus.PENDING


def test_the_sweeper_creates_items_the_signal_missed():
    # Outside a real commit the signal's receiver never runs: as if it had failed.
    response, _ = response_submit(
        survey=published_survey(), data={"nps": 3, "comment": "退款一直不到账"}, consent_given=True
    )
    assert not FeedbackItem.objects.exists()

    feedback_sweep_unanalysed()

    item = FeedbackItem.objects.get(response=response)
    assert item.analysis_status == AnalysisStatus.DONE


def test_old_responses_are_left_to_the_demo_and_backfills():
    response, _ = response_submit(
        survey=published_survey(), data={"nps": 3, "comment": "退款一直不到账"}, consent_given=True
    )
    type(response).objects.filter(pk=response.pk).update(
        completed_at=timezone.now() - dt.timedelta(days=30)
    )
    feedback_sweep_unanalysed()
    assert not FeedbackItem.objects.exists()


def test_the_model_and_jieba_are_loaded_once_per_process_not_per_task(monkeypatch):
    first, second = FeedbackItemFactory(text="很好"), FeedbackItemFactory(text="太差了")
    analyse_batch.delay([first.pk])
    model, tokenizer = sentiment.get_model(), segment.get_tokenizer()

    def must_not_load(*args, **kwargs):
        raise AssertionError("loaded again")

    monkeypatch.setattr(model_store, "load_model", must_not_load)
    monkeypatch.setattr(segment.jieba_fast_dat, "Tokenizer", must_not_load)
    analyse_batch.delay([second.pk])

    second.refresh_from_db()
    assert second.analysis_status == AnalysisStatus.DONE
    assert sentiment.get_model() is model and segment.get_tokenizer() is tokenizer
