"""An opinion word can mean the opposite after some subjects: 快 praises a delivery but
blames a battery. The demo showed a detractor's "功能还行，耗电比较快" (NPS 5) as 正面; making
耗电 a blame word instead flipped "更新后耗电少了，很好". Since then the subject gives the
word its meaning within the clause (``data/polarity_context.tsv``)."""

import pytest

from feedback.nlp.features import sentiment_tokens
from feedback.nlp.normalize import normalize
from feedback.nlp.sentiment import label, score

COMPLAINTS = [
    "功能还行，耗电比较快",
    "手机耗电很快",
    "耗電比較快😡",
    "这个App广告多",
    "噪音很大，睡不着",
    "battery耗电太快了",
]
PRAISE = ["更新后耗电少了，很好", "电池耗电慢，很耐用", "物流很快", "客服回复很快👍"]


@pytest.mark.usefixtures("sentiment_model")
@pytest.mark.parametrize("text", COMPLAINTS)
def test_a_word_that_blames_after_its_subject_reads_as_a_complaint(text):
    assert label(score([text])[0]) == "negative"


@pytest.mark.usefixtures("sentiment_model")
@pytest.mark.parametrize("text", PRAISE)
def test_the_same_words_elsewhere_still_read_as_praise(text):
    assert label(score([text])[0]) == "positive"


def polarity_features(raw: str) -> list[str]:
    return [t for t in sentiment_tokens(normalize(raw).text) if t.startswith("p:")]


def test_the_subject_gives_the_meaning_only_within_its_clause():
    assert "p:neg" in polarity_features("耗电比较快")
    assert "p:pos" not in polarity_features("耗电比较快")
    # After a clause break 快 is about something else again.
    assert "p:pos" in polarity_features("手机耗电，物流很快")
    # Negated, the subject's meaning is negated: 耗电不是很快 is praise.
    assert "p:not-neg" in polarity_features("耗电不是很快")
