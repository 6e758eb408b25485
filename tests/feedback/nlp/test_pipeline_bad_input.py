import pytest

from feedback.nlp.normalize import MAX_ANALYSIS_CHARS
from feedback.nlp.pipeline import ANALYSIS_VERSION, analyse, analysis_version

pytestmark = pytest.mark.usefixtures("sentiment_model")


def only(text):
    [result] = analyse([text])
    return result


@pytest.mark.parametrize("text", ["", "   ", "\n\t　"])
def test_empty_and_whitespace_only_answers_are_reported_empty(text):
    result = only(text)
    assert result.error == "empty"
    assert result.sentiment_score is None
    assert result.keywords == result.tokens == result.aspects == []


def test_none_instead_of_text_does_not_raise():
    assert only(None).error == "empty"


def test_gbk_mojibake_that_cannot_be_repaired_is_reported():
    assert only("锟斤拷锟斤拷锟斤拷").error == "mojibake"


def test_gbk_mojibake_that_can_be_repaired_is_analysed():
    result = only("物流太慢了，很失望".encode("gbk").decode("latin-1"))
    assert result.error is None
    assert result.sentiment_label == "negative"


def test_unknown_emoji_only_is_reported_as_no_text():
    assert only("🦄🦄🌈").error == "no_chinese_or_english_text"


def test_sentiment_emoji_only_is_analysed():
    assert only("👍👍👍").sentiment_label == "positive"
    assert only("😡😡").sentiment_label == "negative"


def test_script_tags_are_removed_before_analysis():
    result = only("<script>alert('差评')</script><div>客服态度很好</div>")
    assert "script" not in result.text_normalized
    assert "差评" not in result.text_normalized
    assert result.sentiment_label == "positive"


def test_pure_english_comment_gets_a_sentiment_and_english_keywords():
    result = only("Terrible service, very slow delivery")
    assert result.sentiment_label == "negative"
    assert "delivery" in result.keywords


def test_a_very_long_comment_is_truncated_and_still_analysed():
    result = only("客服态度很差，" * 3000)
    assert result.truncated is True
    assert len(result.text_normalized) == MAX_ANALYSIS_CHARS
    assert result.sentiment_label == "negative"
    assert result.keywords[0] == "客服态度"


def test_a_batch_keeps_input_order_and_mixes_good_and_bad_items():
    results = analyse(["质量很好👍", "", "物流太慢了😡", "锟斤拷锟斤拷"])
    assert [r.error for r in results] == [None, "empty", None, "mojibake"]
    assert results[0].sentiment_label == "positive"
    assert results[2].sentiment_label == "negative"
    assert [a.aspect for a in results[2].aspects] == ["delivery"]
    assert "物流" in results[2].tokens


def test_analysis_version_combines_code_and_model_versions():
    assert analysis_version().startswith(ANALYSIS_VERSION + "+")


def test_lone_surrogates_and_control_characters_do_not_raise():
    result = only("客服\ud800态度\x00很好\x1b")
    assert result.error is None
    assert result.text_normalized == "客服 态度 很好"
    assert result.sentiment_label == "positive"


def test_html_with_only_markup_reports_no_text():
    assert only("<div><br/><img src='x.png'></div>").error == "no_chinese_or_english_text"
