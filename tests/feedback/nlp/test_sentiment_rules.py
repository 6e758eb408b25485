"""The rules around the sentiment model: which clause a contrast word hands the last word to,
what an empty batch and an unreadable text score, and the module's lazy attributes."""

import pytest

from feedback.nlp import sentiment
from feedback.nlp.sentiment import NO_EVIDENCE_SCORE, contrast_tail, label, score


@pytest.mark.parametrize(
    ("words", "tail"),
    [
        (["东西", "不错", "但是", "物流", "太慢"], ["物流", "太慢"]),
        (["东西", "不错", "，", "但是", "，", "物流", "太慢", "。"], ["物流", "太慢"]),
        # 就是 is a contrast only at the start of a clause.
        (["东西", "不错", "，", "就是", "物流", "太慢"], ["物流", "太慢"]),
        (["我", "就是", "喜欢"], None),
        # The last contrast word decides.
        (
            ["东西", "不错", "但是", "物流", "太慢", "不过", "客服", "很", "好"],
            ["客服", "很", "好"],
        ),
        # An opinion is needed on both sides.
        (["但是", "物流", "太慢"], None),
        (["，", "但是", "物流", "太慢"], None),
        (["东西", "不错", "但是"], None),
        (["东西", "不错", "但是", "。"], None),
        (["物流", "太慢"], None),
        ([], None),
        (["但是"], None),
    ],
)
def test_the_clause_after_the_last_contrast_word(words, tail):
    assert contrast_tail(words) == tail


def test_a_contrast_word_just_before_the_last_word_still_counts():
    assert contrast_tail(["不错", "但", "慢"]) == ["慢"]


def test_an_empty_batch_scores_nothing():
    assert score([]) == []


def test_unreadable_texts_score_no_evidence_and_keep_their_places(sentiment_model):
    scores = score(["", "物流太慢了，很失望", "锟斤拷锟斤拷", "🦄"])

    assert scores[0] == scores[2] == scores[3] == NO_EVIDENCE_SCORE == 0.5
    assert label(scores[1]) == "negative"
    assert label(NO_EVIDENCE_SCORE) == "neutral"


def test_the_label_bands_are_closed_at_their_thresholds():
    assert [label(s) for s in (0.0, 0.4, 0.4001, 0.5999, 0.6, 1.0)] == [
        "negative",
        "negative",
        "neutral",
        "neutral",
        "positive",
        "positive",
    ]


def test_an_unknown_attribute_of_the_module_is_an_attribute_error():
    with pytest.raises(AttributeError, match="MODEL_VERSIONS"):
        sentiment.MODEL_VERSIONS  # noqa: B018
