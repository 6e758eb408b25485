"""An aspect is listed once per comment, with the sentiment of its clearest clause."""

import pytest

from feedback.nlp.aspects import AspectLexicon, analyse_aspects

pytestmark = pytest.mark.usefixtures("sentiment_model")


def test_an_aspect_named_in_two_clauses_is_listed_once():
    [aspects] = analyse_aspects(["退换货太麻烦，退换货还要自己出运费，客服也不理人"])
    names = [a.aspect for a in aspects]
    assert names.count("after_sales") == 1
    assert len(names) == len(set(names))


def test_the_demos_double_after_sales_complaint_is_listed_once_and_negative():
    [aspects] = analyse_aspects(["售后态度太差，售后电话也打不通"])
    after_sales = [a for a in aspects if a.aspect == "after_sales"]
    assert [a.label for a in after_sales] == ["negative"]


def test_the_clearest_clause_gives_the_aspects_sentiment():
    lexicon = AspectLexicon({"delivery": {"zh": "物流", "en": "Delivery", "triggers": ["物流"]}})
    [aspects] = analyse_aspects(["物流是顺丰的，物流太慢了，气死了"], lexicon)
    assert [(a.aspect, a.label) for a in aspects] == [("delivery", "negative")]
    assert "太慢" in aspects[0].clause


def test_two_aspects_in_one_comment_keep_their_own_clause_sentiment():
    [aspects] = analyse_aspects(["东西不错但是物流太慢，物流客服也不回消息"])
    by_aspect = {a.aspect: a.label for a in aspects}
    assert by_aspect["quality"] == "positive"
    assert by_aspect["delivery"] == "negative"
    assert len(aspects) == len(by_aspect)
