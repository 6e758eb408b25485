"""Topic discovery over the corpus: items get topics, staff names and merges survive re-runs."""

import csv

import pytest
from django.conf import settings

from feedback.analysis.queries import topics_examples
from feedback.analysis.services import feedback_analyse_batch
from feedback.analysis.topics import topic_merge, topic_rename, topics_discover
from feedback.errors import FeedbackError
from feedback.models import CorpusIdf, FeedbackItem, FeedbackTopic, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    path = settings.BASE_DIR / "feedback" / "demo_comments.tsv"
    with path.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle, delimiter="\t")]
    items = FeedbackItem.objects.bulk_create(FeedbackItem(text=t, source="import") for t in texts)
    feedback_analyse_batch(item_ids=[i.pk for i in items])
    return items


def test_discovery_gives_items_topics_named_by_a_phrase_of_their_comments(corpus):
    result = topics_discover()

    assert result.topics >= 2
    assert Topic.objects.filter(is_active=True).count() == result.topics
    for topic in Topic.objects.all():
        assert " / " not in topic.name
        examples = topics_examples([topic], limit=3)[topic.pk]
        assert 1 <= len(examples) == len({e.text for e in examples})
        texts = FeedbackItem.objects.filter(topic_links__topic=topic).values_list(
            "text_normalized", flat=True
        )
        assert any(topic.name in text for text in texts)
    assert FeedbackTopic.objects.values("item").distinct().count() > len(corpus) / 2
    assert CorpusIdf.objects.get().n_docs == len(corpus)


def test_a_second_run_on_the_same_corpus_changes_nothing(corpus):
    topics_discover()
    before = list(Topic.objects.order_by("key").values_list("key", "name", "keywords"))
    links = set(FeedbackTopic.objects.values_list("item_id", "topic__key"))

    topics_discover()

    assert list(Topic.objects.order_by("key").values_list("key", "name", "keywords")) == before
    assert set(FeedbackTopic.objects.values_list("item_id", "topic__key")) == links


def test_a_renamed_topic_keeps_its_name_and_id_when_discovery_runs_again(corpus):
    topics_discover()
    topic = Topic.objects.order_by("pk").first()
    topic_rename(topic=topic, name="物流慢")
    FeedbackItem.objects.bulk_create(
        FeedbackItem(text=f"物流太慢了，第{n}次等了一周", source="import") for n in range(30)
    )
    feedback_analyse_batch(item_ids=list(FeedbackItem.objects.values_list("pk", flat=True)))

    topics_discover()

    topic.refresh_from_db()
    assert topic.name == "物流慢"
    assert topic.name_edited
    assert Topic.objects.filter(name="物流慢").count() == 1


def test_a_merged_topic_sends_its_items_to_the_kept_one_now_and_after_a_rerun(corpus):
    topics_discover()
    first, second = Topic.objects.order_by("pk")[:2]
    moved = set(FeedbackTopic.objects.filter(topic=first).values_list("item_id", flat=True))

    kept = topic_merge(topic=first, into=second)

    assert kept == second
    assert not FeedbackTopic.objects.filter(topic=first).exists()
    assert moved <= set(
        FeedbackTopic.objects.filter(topic=second).values_list("item_id", flat=True)
    )
    topics_discover()
    first.refresh_from_db()
    assert first.merged_into == second and not first.is_active
    assert not FeedbackTopic.objects.filter(topic=first).exists()


def test_rename_and_merge_refuse_bad_input(corpus):
    topics_discover()
    topic = Topic.objects.first()
    with pytest.raises(FeedbackError):
        topic_rename(topic=topic, name="   ")
    with pytest.raises(FeedbackError):
        topic_merge(topic=topic, into=topic)


def test_a_topics_examples_are_different_comments_that_use_its_words_first(client):
    """The demo showed "物超所值，家人都很喜欢" three times as the examples of an
    after-sales topic: the same comment sent often, and one without a word of the topic."""
    from surveyhub.security.roles import Role
    from tests.factories import UserFactory

    topic = Topic.objects.create(key="t-aftersales", name="一个电话就上门解决了",
                                 keywords=["售后", "解决", "电话"])  # fmt: skip
    texts = ["物超所值，家人都很喜欢"] * 4 + ["售后太给力了，一个电话就上门解决了",
             "問題很快解決了，售後不錯", "售后电话一直占线😡"]  # fmt: skip
    items = FeedbackItem.objects.bulk_create(FeedbackItem(text=t, source="import") for t in texts)
    FeedbackTopic.objects.bulk_create(
        FeedbackTopic(item=item, topic=topic, weight=1.0 if n < 4 else 0.6)
        for n, item in enumerate(items)
    )

    shown = [e.text for e in topics_examples([topic], limit=3)[topic.pk]]

    assert shown == ["售后电话一直占线😡", "售后太给力了，一个电话就上门解决了"]
    client.force_login(UserFactory(role=Role.MANAGER))
    page = client.get("/staff/feedback/topics/", headers={"Accept-Language": "zh-hans"})
    assert page.status_code == 200
    body = page.content.decode()
    # The list shows two: both with a word of the topic.
    assert "“售后电话一直占线😡”" in body
    assert "“售后太给力了，一个电话就上门解决了”" in body
    assert "物超所值" not in body
    # A topic none of whose comments uses its words still shows examples.
    topic.keywords = ["退款"]
    topic.save()
    shown = [e.text for e in topics_examples([topic], limit=3)[topic.pk]]
    assert shown == ["物超所值，家人都很喜欢", "售后电话一直占线😡", "問題很快解決了，售後不錯"]
