"""The label people see, how sure the model is of it, and the demo's former misreadings."""

import pytest

from feedback.nlp import labels, sentiment


def one(text: str) -> float:
    return sentiment.score([text])[0]


@pytest.mark.usefixtures("sentiment_model")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("售后服务堪称标杆，主动联系我处理问题", "positive"),
        # The demo read these as complaints: "一直" and "这么" are common in them.
        ("吃了好几年了，一直这么好吃", "positive"),
        ("味道一直这么好", "positive"),
        ("给老人办业务一点耐心都没有", "negative"),
        ("一点问题都没有", "positive"),
        ("不太满意", "negative"),
        ("昨天下午收到的", "neutral"),
        ("暂无", "neutral"),
    ],
)
def test_short_survey_answers_get_the_label_a_reader_would_give(text, expected):
    assert sentiment.label(one(text)) == expected


@pytest.mark.usefixtures("sentiment_model")
def test_praise_of_after_sales_is_not_listed_as_a_negative_aspect():
    """The demo's item page listed "售后/退换货 · 负面" on this praise: the clause
    "售后服务堪称标杆" alone was read as a complaint."""
    from feedback.nlp.pipeline import analyse

    (item,) = analyse(["售后服务堪称标杆，主动联系我处理问题"])
    assert item.sentiment_label == "positive"
    assert item.aspects
    assert all(a.label != "negative" for a in item.aspects), item.aspects


@pytest.mark.usefixtures("sentiment_model")
def test_double_negation_is_not_read_as_a_complaint():
    assert sentiment.label(one("没有不好")) != "negative"


def test_confidence_is_the_probability_of_the_label_shown():
    assert labels.confidence(0.92, "positive") == pytest.approx(0.92)
    assert labels.confidence(0.25, "negative") == pytest.approx(0.75)
    assert labels.confidence(0.5, "neutral") == pytest.approx(1.0)
    assert labels.confidence(0.45, "neutral") == pytest.approx(0.9)


def test_no_confidence_without_a_score_or_for_a_label_the_model_did_not_give():
    assert labels.confidence(None, "positive") is None
    assert labels.confidence(0.25, "positive") is None


def test_confidence_without_a_label_uses_the_scores_own_label():
    assert labels.confidence(0.1) == pytest.approx(0.9)
    assert labels.confidence(1.7) == pytest.approx(1.0)
