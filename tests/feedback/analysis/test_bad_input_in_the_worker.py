"""The worker's batch on bad input: every item ends done or skipped with a reason, never
failed, and the stored confidence matches the label shown."""

import pytest

from feedback.analysis.corrections import sentiment_correct, sentiment_training_rows
from feedback.analysis.services import feedback_analyse_batch
from feedback.models import AnalysisStatus, FeedbackItem
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db

TEXTS = {
    "twenty thousand characters": ("快递太慢了，" * 4000)[:20_000],
    "only emoji": "🙃🙃🙃",
    "mixed scripts": "Доставка 很慢，とても遅い delivery太慢了",
    "mojibake": "锟斤拷锟斤拷锟斤拷",
    "unrepairable replacement characters": "\ufffd" * 10,
    "personal data": "打我电话13812345678，身份证110101199003071234，退款还没到",
    "markup only": "<p><br></p>",
}


def test_bad_input_is_done_or_skipped_with_a_reason_never_failed():
    items = {name: FeedbackItemFactory(text=text) for name, text in TEXTS.items()}

    result = feedback_analyse_batch(item_ids=[i.pk for i in items.values()])

    assert result.failed == 0
    assert result.analysed + result.skipped == len(TEXTS)
    stored = {name: FeedbackItem.objects.get(pk=i.pk) for name, i in items.items()}
    for name in ("twenty thousand characters", "mixed scripts", "personal data"):
        assert stored[name].analysis_status == AnalysisStatus.DONE, name
    for name in ("only emoji", "mojibake", "unrepairable replacement characters", "markup only"):
        assert stored[name].analysis_status == AnalysisStatus.SKIPPED, name
        assert stored[name].analysis_error
        assert stored[name].sentiment_confidence is None
    assert "13812345678" not in stored["personal data"].text_normalized


def test_an_item_exposes_the_confidence_of_the_label_it_shows():
    item = FeedbackItemFactory(text="售后服务堪称标杆，主动联系我处理问题")
    feedback_analyse_batch(item_ids=[item.pk])
    item.refresh_from_db()

    assert item.sentiment_label == "positive"
    assert item.sentiment_confidence == pytest.approx(item.sentiment_score)
    assert item.sentiment_confidence_percent == round(item.sentiment_score * 100)


def test_a_staff_corrected_label_shows_no_model_confidence(django_user_model):
    item = FeedbackItemFactory(text="物流太慢了，很失望")
    feedback_analyse_batch(item_ids=[item.pk])
    item.refresh_from_db()
    assert item.sentiment_confidence > 0.5
    user = django_user_model.objects.create_user("agent-h5", password="x")

    sentiment_correct(item=item, label="neutral", by=user)

    item.refresh_from_db()
    assert item.sentiment_label == "neutral"
    assert item.sentiment_confidence is None


def test_a_neutral_correction_becomes_neutral_training_data(django_user_model):
    item = FeedbackItemFactory(text="昨天  下午收到的")
    user = django_user_model.objects.create_user("agent-h5b", password="x")
    sentiment_correct(item=item, label="negative", by=user)
    sentiment_correct(item=item, label="neutral", by=user)

    assert sentiment_training_rows() == [("neutral", "昨天 下午收到的")]
