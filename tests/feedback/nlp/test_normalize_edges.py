"""Normalisation at its edges: every emoji the model knows, every character class that is
dropped, the masks, the mojibake thresholds and the truncation limit, exactly.

Written from the rules in ``feedback/nlp/normalize.py``'s docstrings and comments, not from
its tables: the expected words below are the ones the sentiment model was trained on.
"""

import pytest

from feedback.nlp.normalize import normalize, repair_mojibake, to_simplified

# Each sentiment-bearing emoji and the word it becomes (surrounded by spaces, so that
# segmentation does not glue it to its neighbours).
EMOJI_WORDS_EXPECTED = [
    ("👍", "好评"),
    ("👏", "赞"),
    ("💯", "满分"),
    ("❤", "喜欢"),
    ("♥", "喜欢"),
    ("💕", "喜欢"),
    ("💖", "喜欢"),
    ("😍", "喜欢"),
    ("🥰", "喜欢"),
    ("😘", "喜欢"),
    ("😊", "开心"),
    ("😀", "开心"),
    ("😁", "开心"),
    ("😄", "开心"),
    ("😃", "开心"),
    ("🙂", "开心"),
    ("😆", "开心"),
    ("🤗", "开心"),
    ("🎉", "开心"),
    ("✨", "赞"),
    ("🌟", "赞"),
    ("⭐", "好评"),
    ("🙏", "感谢"),
    ("🌹", "感谢"),
    ("💪", "给力"),
    ("🔥", "给力"),
    ("👌", "不错"),
    ("😂", "哈哈"),
    ("🤣", "哈哈"),
    ("👎", "差评"),
    ("😡", "生气"),
    ("😠", "生气"),
    ("🤬", "生气"),
    ("💢", "生气"),
    ("😤", "生气"),
    ("😭", "难过"),
    ("😢", "难过"),
    ("😞", "失望"),
    ("😔", "失望"),
    ("😒", "失望"),
    ("🙄", "无语"),
    ("😑", "无语"),
    ("😓", "无语"),
    ("😩", "崩溃"),
    ("😫", "崩溃"),
    ("🤮", "恶心"),
    ("🤢", "恶心"),
    ("💩", "垃圾"),
    ("😱", "吓人"),
    ("💔", "伤心"),
    ("🐢", "慢"),
    ("🐌", "慢"),
]


@pytest.mark.parametrize(
    ("emoji", "word"), EMOJI_WORDS_EXPECTED, ids=[w for _, w in EMOJI_WORDS_EXPECTED]
)
def test_each_sentiment_emoji_becomes_its_word(emoji, word):
    assert normalize(f"东西{emoji}").text == f"东西 {word}"
    assert normalize(f"{emoji}好吃").text == f"{word} 好吃"


@pytest.mark.parametrize(
    "character",
    [
        "\U0001f000",  # the first and last of the emoji blocks
        "\U0001faff",
        "\u2600",  # miscellaneous symbols and dingbats
        "\u27bf",
        "\u2b00",  # arrows and stars
        "\u2bff",
        "\u2300",  # technical symbols (⌚, ⏰)
        "\u23ff",
        "\ufe0f",  # the emoji presentation selector
        "\u200d",  # the zero-width joiner of emoji sequences
        "\u20e3",  # the keycap combiner
        "🦄",
    ],
)
def test_other_emoji_and_their_joiners_become_a_space(character):
    assert normalize(f"好吃{character}便宜").text == "好吃 便宜"


def test_an_emoji_sequence_keeps_its_word_and_drops_its_joiners():
    assert normalize("❤️好评").text == "喜欢 好评"


def test_the_everyday_reading_of_characters_with_a_rare_one_in_snownlp():
    assert to_simplified("畫讚著瞭") == "画赞着了"
    assert normalize("東西畫得讚，著實明瞭").text == "东西画得赞,着实明了"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("看 https://example.com/a?b=1 这里", "看 <url> 这里"),
        ("看www.example.com这里", "看 <url> 这里"),
        ("发到 wang.fang+vip@mail.example.cn 吧", "发到 <email> 吧"),
        ("电话+86 138-1234-5678打", "电话 <phone> 打"),
        ("身份证11010519491231002X号", "身份证 <id> 号"),
        ("订单123456号", "订单 <id> 号"),
        ("只要12345元", "只要12345元"),
    ],
)
def test_personal_data_is_masked_by_its_kind(raw, masked):
    assert normalize(raw).text == masked


def test_a_text_of_masks_only_is_not_analysable_but_keeps_its_masks():
    result = normalize("13812345678 wang@example.cn")

    assert result.error == "no_chinese_or_english_text"
    assert result.text == "<phone> <email>"


def test_utf8_text_read_as_latin1_is_repaired():
    for text in ("质量很好", "客服态度很好", "好吃"):
        garbled = text.encode("utf-8").decode("latin-1")
        assert normalize(garbled).text == text
        assert repair_mojibake(garbled) == text


def test_gbk_text_read_as_latin1_is_still_repaired():
    for text in ("质量很好", "谢谢", "物流太慢了"):
        assert repair_mojibake(text.encode("gbk").decode("latin-1")) == text


def test_latin_text_with_accents_is_left_alone():
    assert repair_mojibake("café crème") is None
    assert normalize("café crème").text == "café crème"


def test_a_short_or_real_chinese_sentence_is_not_repaired():
    assert repair_mojibake("好吃") is None
    assert repair_mojibake("质量很好，物流也快") is None


@pytest.mark.parametrize(
    ("text", "garbled"),
    [
        ("abcdefg\ufffd\ufffd\ufffd", False),  # 3 of 10 characters: 30%, still readable
        ("abcdef\ufffd\ufffd\ufffd\ufffd", True),  # 4 of 10: garbled
        ("锟斤拷好吃", False),  # two readable characters besides the mark
        ("锟斤拷好", True),
    ],
)
def test_garbled_text_is_recognised_at_its_threshold(text, garbled):
    result = normalize(text)

    assert (result.error == "mojibake") is garbled
    assert result.text == ("" if garbled else text.replace("锟斤拷", "").replace("\ufffd", ""))


def test_the_limit_is_exact():
    assert normalize("很好" * 3, max_chars=6) == normalize("很好很好很好")
    longer = normalize("很好" * 3 + "呀", max_chars=6)
    assert (longer.text, longer.truncated, longer.error) == ("很好很好很好", True, None)


def test_non_text_input_is_read_as_text():
    assert normalize(12345678).text == "<id>"
    assert normalize(None).error == "empty"
