from feedback.nlp.normalize import MAX_ANALYSIS_CHARS, normalize, to_simplified


def test_full_width_letters_digits_and_punctuation_become_half_width():
    assert normalize("ＡＰＰ很好用！").text == "app很好用!"


def test_traditional_characters_become_simplified():
    assert to_simplified("質量很好，物流也很快，下次還會來") == "质量很好，物流也很快，下次还会来"


def test_runs_of_whitespace_collapse_to_one_space():
    assert normalize("  物流\t\t很快 \n\n 包装   不错  ").text == "物流 很快 包装 不错"


def test_sentiment_bearing_emoji_become_words_and_others_disappear():
    text = normalize("客服👍👍 快递😡 🦄").text
    assert text.count("好评") == 2
    assert "生气" in text
    assert "🦄" not in text


def test_html_tags_and_script_content_are_stripped():
    text = normalize("<p>东西<b>很好</b></p><script>alert('x')</script>&amp;").text
    assert text == "东西 很好 &"


def test_mobile_numbers_are_masked_with_or_without_country_code_spaces_and_dashes():
    for phone in ("13812345678", "+86 138 1234 5678", "138-1234-5678", "+8613812345678"):
        text = normalize(f"请打我电话{phone}谢谢").text
        assert "<phone>" in text, phone
        assert "1234" not in text, phone


def test_emails_and_id_like_digit_runs_are_masked():
    text = normalize("邮箱 zhang.san@example.com 身份证 11010519491231002X 订单 20231101888").text
    assert "<email>" in text
    assert text.count("<id>") == 2
    assert "example" not in text and "2023" not in text


def test_short_numbers_such_as_prices_are_kept():
    assert normalize("才99元，很划算").text == "才99元,很划算"


def test_text_longer_than_the_limit_is_truncated_and_flagged():
    result = normalize("好" * (MAX_ANALYSIS_CHARS + 500))
    assert result.truncated is True
    assert len(result.text) == MAX_ANALYSIS_CHARS
    assert result.error is None


def test_gbk_text_read_as_latin1_is_repaired():
    garbled = "质量很好".encode("gbk").decode("latin-1")
    assert normalize(garbled).text == "质量很好"


def test_utf8_text_read_as_gbk_is_repaired():
    garbled = "哈哈".encode().decode("gbk")
    assert garbled == "鍝堝搱"
    assert normalize(garbled).text == "哈哈"


def test_replacement_character_runs_are_reported_as_mojibake():
    assert normalize("锟斤拷锟斤拷锟斤拷").error == "mojibake"
    assert normalize("\ufffd\ufffd\ufffd\ufffd").error == "mojibake"


def test_a_stray_mojibake_run_inside_readable_text_is_dropped():
    result = normalize("客服态度很好锟斤拷，物流也快")
    assert result.error is None
    assert "锟" not in result.text


def test_empty_and_whitespace_only_texts_report_empty():
    assert normalize("").error == "empty"
    assert normalize(" \n\t　").error == "empty"


def test_digits_and_punctuation_only_report_no_text():
    assert normalize("123 ... !!!").error == "no_chinese_or_english_text"


def test_pure_english_is_analysable():
    assert normalize("Great product, fast delivery").error is None
