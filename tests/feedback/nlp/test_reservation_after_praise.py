"""A reservation after praise is a complaint; a fault conceded before praise stays praise.

The demo showed detractors' "外卖好吃，就是每次都要等四十分钟以上" (NPS 6) and "房间还算舒服，就是
卫生间有点小" as 正面: the tail after 就是 names what spoils it in words the model reads as
no opinion (+1.5 alone), and the praise before it won. Since then, when the words before the
contrast praise and the tail does not clearly praise, the tail weighs as a complaint at least
as strong as the praise (``feedback.nlp.scoring``).

A hedged last clause needs no contrast word: the demo's "外观挺好看，手感有点廉价" (NPS 5) said
as plainly as "…，就是手感有点廉价" what spoiled the praise, and was shown as 正面 too.
"""

import pytest

from feedback.nlp.scoring import contrast_split, hedge_split
from feedback.nlp.sentiment import label, score

# The demo's detractors (NPS 5–6) that read as praise, and ones in traditional characters,
# with emoji and with English words.
RESERVATIONS = [
    "外卖好吃，就是每次都要等四十分钟以上",
    "房间还算舒服，就是卫生间有点小",
    "口味不错，可惜送到的时候已经不烫了",
    "网速还可以，但是晚上高峰期会变慢",
    "快递员态度不错，就是总送到驿站不送上门",
    "師傅很專業，就是上門時間改了三次😤",
]
CONCESSIONS = [
    "价格有点高，不过服务确实好一些",
    "物流稍微慢了一點，但改地址很方便，一次就改好了。",
    "房间小了点，但是干净，服务也热情",
    "Wi-Fi有点慢，不过staff很nice，早餐也好吃",
]


HEDGED_RESERVATIONS = [
    "外观挺好看，手感有点廉价",
    "外觀挺好看，手感有點廉價😅",
    "物流很快，包装有点简陋",
    "服务很周到，环境有点吵",
    "菜品新鲜，分量有点少",
    "Nice design，有点卡",
    "衣服好看，有些显胖",  # 显胖: a complaint of its own only from the lexicon
    "質量不錯，就是有點起皺",
]
# Hedged, but praise, or a fault first: unchanged.
HEDGED_PRAISE = [
    "客服态度很好，有点耐心",
    "东西很好，有点喜欢",
    "有点咸，还好味道不错",
    "环境不错，有点小资情调",
    "穿着一点也不显胖，很喜欢",
]


@pytest.mark.usefixtures("sentiment_model")
@pytest.mark.parametrize("text", RESERVATIONS + HEDGED_RESERVATIONS)
def test_a_reservation_after_praise_reads_as_a_complaint(text):
    assert label(score([text])[0]) == "negative"


@pytest.mark.usefixtures("sentiment_model")
@pytest.mark.parametrize("text", CONCESSIONS + HEDGED_PRAISE)
def test_a_fault_conceded_before_praise_still_reads_as_praise(text):
    assert label(score([text])[0]) == "positive"


@pytest.mark.usefixtures("sentiment_model")
def test_the_rule_gives_the_same_scores_alone_and_in_a_batch():
    texts = [*RESERVATIONS, *HEDGED_RESERVATIONS, *CONCESSIONS, *HEDGED_PRAISE, "太慢了"]

    assert score(texts) == pytest.approx([score([t])[0] for t in texts], abs=1e-9)


@pytest.mark.parametrize(
    ("words", "split"),
    [
        (["外卖", "好吃", "，", "就是", "要", "等"], (["外卖", "好吃"], ["要", "等"])),
        (
            ["东西", "不错", "但是", "慢", "不过", "客服", "好"],
            (["东西", "不错", "但是", "慢"], ["客服", "好"]),
        ),
        (["但是", "慢"], None),
        (["我", "就是", "喜欢"], None),
    ],
)
def test_the_words_on_each_side_of_the_last_contrast_word(words, split):
    assert contrast_split(words) == split


@pytest.mark.parametrize(
    ("words", "split"),
    [
        (
            ["外观", "好看", "，", "手感", "有点", "廉价", "。"],
            (["外观", "好看"], ["手感", "有点", "廉价"]),
        ),
        (["有点", "咸", "，", "味道", "不错"], None),  # the hedge is not in the last clause
        (["手感", "有点", "廉价"], None),  # one clause: nothing before it
        (["物流", "很快", "，", "包装", "简陋"], None),  # no hedge
    ],
)
def test_the_words_before_a_hedged_last_clause_and_the_clause(words, split):
    assert hedge_split(words) == split
