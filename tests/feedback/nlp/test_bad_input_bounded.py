"""Bad input gets a defined result, within bounded work, and a batch never raises."""

import time

import pytest

from feedback.nlp.normalize import MAX_ANALYSIS_CHARS, PHONE_MASK
from feedback.nlp.pipeline import analyse

pytestmark = pytest.mark.usefixtures("sentiment_model")


def test_twenty_thousand_characters_are_truncated_and_analysed():
    text = ("快递太慢了，客服也不理人。" * 2000)[:20_000]
    [result] = analyse([text])
    assert result.error is None
    assert result.truncated is True
    assert len(result.text_normalized) == MAX_ANALYSIS_CHARS
    assert result.sentiment_label == "negative"


def test_a_megabyte_paste_costs_no_more_than_its_bounded_prefix():
    started = time.perf_counter()
    [result] = analyse(["很好" + "啊" * 1_000_000])
    assert time.perf_counter() - started < 10
    assert len(result.text_normalized) <= MAX_ANALYSIS_CHARS


def test_mixed_scripts_are_analysed_without_error():
    [result] = analyse(["Доставка 很慢，とても遅い，배송이 느려요 delivery太慢了"])
    assert result.error is None
    assert result.sentiment_label == "negative"


def test_personal_data_is_masked_before_keywords_are_taken():
    [result] = analyse(["客服态度很差，打我电话13812345678，邮箱 a.b@example.com 也没回"])
    assert PHONE_MASK in result.text_normalized
    assert "13812345678" not in result.text_normalized
    assert not any("example" in k or "1381" in k for k in result.keywords + result.tokens)
    assert result.sentiment_label == "negative"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (None, "empty"),
        (12345, "no_chinese_or_english_text"),
        ("🙃🙃🙃", "no_chinese_or_english_text"),
        ("\ufffd\ufffd\ufffd\ufffd", "mojibake"),
    ],
)
def test_unreadable_answers_are_skipped_with_a_reason(text, error):
    [result] = analyse([text])
    assert result.error == error
    assert result.sentiment_score is None
    assert result.aspects == result.keywords == []


def test_a_batch_of_every_kind_of_bad_input_returns_one_result_per_text():
    texts = ["", None, "😡", "x" * 20_000, "锟斤拷" * 50, "好" * 3, "<b></b>", "\x00\ud800"]
    results = analyse(texts)
    assert len(results) == len(texts)
    assert all(r.error is not None or 0 <= r.sentiment_score <= 1 for r in results)
