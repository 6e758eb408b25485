import pytest

from feedback.nlp import sentiment

pytestmark = pytest.mark.usefixtures("sentiment_model")


def one(text: str) -> float:
    return sentiment.score([text])[0]


@pytest.mark.parametrize(
    ("plain", "negated"),
    [("满意", "不太满意"), ("好", "一点也不好"), ("推荐", "不推荐"), ("好用", "不好用")],
)
def test_negating_a_positive_word_turns_the_sentence_negative(plain, negated):
    assert one(plain) >= 0.6
    assert one(negated) <= 0.4


@pytest.mark.parametrize("text", ["没什么问题", "不差", "不错", "还行，可以接受", "从来没失望过"])
def test_negated_complaints_and_lukewarm_praise_are_not_negative(text):
    assert sentiment.label(one(text)) != "negative"


@pytest.mark.parametrize("text", ["好", "👍", "❤️", "nice", "quality很好"])
def test_very_short_positive_texts_score_positive(text):
    assert sentiment.label(one(text)) == "positive"


@pytest.mark.parametrize("text", ["差", "垃圾", "👎", "bad", "delivery太慢了"])
def test_very_short_negative_texts_score_negative(text):
    assert sentiment.label(one(text)) == "negative"


def test_contrast_clause_after_but_outweighs_the_praise_before_it():
    assert one("东西不错但是物流太慢") < 0.5
    assert one("价格有点贵，不过质量真的很好") > 0.5


def test_traditional_characters_score_like_simplified_ones():
    assert one("客服態度很差，一直推卸責任") < 0.4
    assert abs(one("質量很好") - one("质量很好")) < 1e-9


def test_scores_are_probabilities_in_input_order():
    scores = sentiment.score(["很满意", "很失望", ""])
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] > 0.6 > 0.4 > scores[1]
    assert scores[2] == sentiment.NO_EVIDENCE_SCORE


def test_label_thresholds_split_scores_into_three_bands():
    assert sentiment.label(0.6) == "positive"
    assert sentiment.label(0.5) == "neutral"
    assert sentiment.label(0.4) == "negative"


def test_model_version_names_the_loaded_model():
    assert sentiment.get_model().version == sentiment.MODEL_VERSION
