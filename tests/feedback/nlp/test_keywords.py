from feedback.nlp.keywords import IdfTable, keywords, textrank_keywords, tfidf_keywords
from feedback.nlp.normalize import normalize
from feedback.nlp.segment import keyword_tokens


def tokens(text: str) -> list[str]:
    return keyword_tokens(normalize(text).text)


def test_fitted_idf_ranks_a_rare_word_above_a_common_one():
    corpus = [tokens(t) for t in ["物流很快", "物流太慢了", "物流一般", "包装破损"]]
    table = IdfTable.fit(corpus)
    assert table.weight("破损") > table.weight("物流")
    assert tfidf_keywords(["物流", "破损"], table, top_k=1) == ["破损"]


def test_idf_table_survives_a_round_trip_through_a_dict():
    table = IdfTable.fit([["客服", "态度"], ["客服", "退款"]])
    again = IdfTable.from_dict(table.to_dict())
    assert again.weight("退款") == table.weight("退款")
    assert again.weight("从未见过") == table.default_idf
    assert again.n_docs == 2


def test_unfitted_default_idf_prefers_specific_words_over_everyday_ones():
    table = IdfTable.default()
    assert table.weight("闪退") > table.weight("时间")


def test_stop_words_digits_and_punctuation_never_become_keywords():
    found = keywords("我觉得这个东西真的非常好用！！！买了3次 2024年 123")
    assert "好用" in found
    for word in ("我", "觉得", "这个", "东西", "非常", "真的", "3", "2024", "123", "！"):
        assert word not in found


def test_masked_phone_email_and_order_numbers_never_appear_as_keywords():
    found = keywords(
        "快递联系13812345678没人接，邮件 kf@shop.cn 也没回，订单20231101888888", top_k=20
    )
    assert found, "the complaint itself still has keywords"
    assert not any(ch.isdigit() for word in found for ch in word)
    assert not any(word in ("phone", "email", "id", "kf", "shop", "cn") for word in found)


def test_textrank_puts_the_most_connected_word_first():
    text = "酒店前台服务很差，前台态度冷淡，前台办理入住很慢，房间隔音也差"
    assert textrank_keywords(tokens(text))[0] == "前台"


def test_keywords_of_unreadable_text_are_empty():
    assert keywords("   ") == []
    assert keywords("锟斤拷锟斤拷") == []
