"""A topic is named by what its comments are about, never by how the customer felt: its
name tags praise and complaints alike ("#物流快" on "物流太慢了" read as the opposite)."""

import pytest

from feedback.nlp.normalize import normalize
from feedback.nlp.segment import keyword_tokens
from feedback.nlp.topic_names import is_subject, subject_phrase
from feedback.nlp.topics import discover_topics


@pytest.mark.parametrize(
    ("clause", "subject"),
    [
        ("客服回复很慢", "客服回复"),
        ("物流快", "物流"),
        ("酒店性价比可以", "酒店性价比"),
        ("但售后电话打不通", "售后电话"),
        ("給客服小哥點讚👍", "客服小哥"),
        ("房間還算乾淨", "房间"),
        ("外卖送得很快", "外卖"),
        ("工作人员对老人特别耐心", "工作人员"),
        ("上门师傅走之前", "上门师傅"),
        ("Customer service太差了", "customer service"),
        ("5G信号很差", "5g信号"),
        # Constructions that judge without an opinion word.
        ("售后电话一打就通", "售后电话"),
        ("APP一用就閃退", "app"),
        ("手机越用越卡", "手机"),
        ("信號時有時無", "信号"),
        ("空调忽冷忽热", "空调"),
        ("一楼大堂", "一楼大堂"),  # 一 without 就 after it
        # Nothing but an opinion or a filler: no subject.
        ("很满意这次的购物", ""),
        ("老实说", ""),
        ("😡😡", ""),
    ],
)
def test_the_subject_of_a_clause_stops_before_its_opinion(clause, subject):
    assert subject_phrase(normalize(clause).text) == subject


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        *[("物流快", False), ("给客服小哥点赞", False), ("质量挺好的", False)],
        *[("外卖准时送达", False), ("银行经理全程帮我办好", False), ("", False)],
        *[("物流", True), ("客服回复", True), ("酒店性价比", True), ("手机银行", True)],
    ],
)
def test_a_name_that_is_more_than_a_subject_is_told_apart(name, subject):
    assert is_subject(name) is subject


DELIVERY = [
    "物流很快，第二天就到了",
    "物流太慢了，等了一个星期",
    "物流速度一般，包装还行",
    "物流慢得离谱，快递还丢件",
    "物流給力，速度快👍",
    "物流信息一直不更新，差评",
]
APP = [
    "手机银行App老是闪退",
    "手机银行App很好用，转账方便",
    "手机银行转账太麻烦了",
    "手机银行App界面清爽，点赞",
    "手机银行登录总是失败",
    "手机银行App更新以后更卡了",
]


def test_topics_of_praise_and_complaint_alike_are_named_by_their_subject():
    texts = [normalize(t).text for t in DELIVERY + APP]
    model = discover_topics([keyword_tokens(t) for t in texts], k=2, texts=texts)
    groups = [set(range(len(DELIVERY))), set(range(len(DELIVERY), len(texts)))]
    names = []
    for topic in model.topics:
        group = next(g for g in groups if topic.examples[0] in g)
        # A subject most comments of the group share, with no opinion in it.
        assert sum(topic.label in texts[i] for i in group) >= len(group) / 2, topic.label
        assert is_subject(topic.label)
        names.append(topic.label)
    assert sorted(names) == ["手机银行app", "物流"]
