from feedback.nlp.normalize import normalize
from feedback.nlp.segment import keyword_tokens
from feedback.nlp.topics import (
    PreviousTopic,
    Topic,
    TopicModel,
    choose_k,
    discover_topics,
    match_topics,
    stabilise_topics,
)

DELIVERY = [
    "物流太慢了，快递一周才到",
    "快递慢，物流信息不更新",
    "发货慢，快递员态度差",
    "物流慢得离谱，快递还丢件",
]
REFUND = [
    "退款一直不到账",
    "申请退款被拒绝，退款流程麻烦",
    "退款审核太慢，客服不处理退款",
    "退货退款拖了半个月",
]
APP = ["App老是闪退", "App卡顿，登录闪退", "更新以后App闪退更严重", "App界面卡顿，经常闪退"]


def docs(*groups: list[str]) -> list[list[str]]:
    return [keyword_tokens(normalize(t).text) for group in groups for t in group]


def topic_of(model, keyword: str) -> Topic:
    return next(t for t in model.topics if keyword in t.keywords[:3])


def test_discovery_is_deterministic_for_the_same_corpus():
    corpus = docs(DELIVERY, REFUND, APP)
    assert discover_topics(corpus, k=3) == discover_topics(corpus, k=3)


def test_each_complaint_group_becomes_its_own_topic_and_documents_get_it():
    model = discover_topics(docs(DELIVERY, REFUND, APP), k=3)
    delivery, refund, app = (topic_of(model, word) for word in ("物流", "退款", "闪退"))
    assert len({delivery.id, refund.id, app.id}) == 3
    groups = [delivery.id] * 4 + [refund.id] * 4 + [app.id] * 4
    assert [doc[0][0] for doc in model.document_topics] == groups
    assert all(abs(sum(w for _, w in doc) - 1.0) < 0.2 for doc in model.document_topics)


def test_a_staff_renamed_topic_keeps_its_id_and_name_after_the_corpus_grows():
    first = discover_topics(docs(DELIVERY, REFUND, APP), k=3)
    refund = topic_of(first, "退款")
    previous = [PreviousTopic(t.id, t.label, t.keywords) for t in first.topics if t is not refund]
    previous.append(PreviousTopic(refund.id, "退款慢", refund.keywords))

    grown = [*DELIVERY, "快递太慢，物流三天不动"]
    second = stabilise_topics(discover_topics(docs(APP, grown, REFUND), k=3), previous)

    renamed = next(t for t in second.topics if t.label == "退款慢")
    assert renamed.id == refund.id
    assert "退款" in renamed.keywords
    assert {t.id for t in second.topics} == {t.id for t in first.topics}


def two_topics() -> TopicModel:
    topics = [
        Topic("t-a", "退款", ["退款", "到账", "审核"]),
        Topic("t-b", "快递", ["快递", "物流", "发货"]),
    ]
    return TopicModel(topics, [[("t-b", 1.0)], [("t-a", 0.7), ("t-b", 0.3)]])


def test_a_new_complaint_topic_gets_a_fresh_id_not_an_old_one():
    previous = [PreviousTopic("t-old", "物流配送", ["物流", "快递", "太慢"])]
    assert list(match_topics(two_topics().topics, previous)) == [1]
    model = stabilise_topics(two_topics(), previous)
    assert [(t.id, t.label) for t in model.topics] == [("t-a", "退款"), ("t-old", "物流配送")]


def test_an_automatic_name_that_judges_its_subject_gives_way_a_staff_name_does_not():
    """Names given before topics were named by subject ("物流慢") tag praise as well as
    complaints; the next run replaces them, unless staff chose them."""
    for old_name, edited, expected in [
        ("物流慢", False, "快递"),
        ("物流很給力👍", False, "快递"),
        ("物流慢", True, "物流慢"),
        ("物流配送", False, "物流配送"),
    ]:
        previous = [PreviousTopic("t-old", old_name, ["物流", "快递", "太慢"], edited=edited)]
        model = stabilise_topics(two_topics(), previous)
        assert model.topics[1].label == expected, old_name


def test_document_assignments_follow_the_inherited_ids():
    previous = [PreviousTopic("t-old", "物流慢", ["物流", "快递", "太慢"])]
    model = stabilise_topics(two_topics(), previous)
    assert model.document_topics == [[("t-old", 1.0)], [("t-a", 0.7), ("t-old", 0.3)]]


def test_topics_below_the_similarity_threshold_are_not_matched():
    previous = [PreviousTopic("t-old", "价格", ["价格", "便宜", "划算"])]
    assert match_topics([Topic("t-x", "App", ["app", "闪退", "卡顿"])], previous) == {}


def test_too_small_a_corpus_yields_no_topics_instead_of_failing():
    model = discover_topics([*docs(["物流太慢了"]), [], []])
    assert model.topics == []
    assert model.document_topics == [[], [], []]


def test_number_of_topics_grows_with_the_corpus_within_bounds():
    assert choose_k(10, 100) == 2
    assert choose_k(200, 1000) == 10
    assert choose_k(100_000, 5000) == 12
    assert choose_k(50, 3) == 2
