"""Topics across the corpus: periodic discovery (NMF, in `feedback.nlp.topics`) with stable
identities, staff renames and merges. The only code that writes Topic and FeedbackTopic rows."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.errors import FeedbackError
from feedback.models import AnalysisStatus, CorpusIdf, FeedbackItem, FeedbackTopic, Topic
from feedback.nlp import topics as nlp_topics
from feedback.nlp.keywords import IdfTable
from feedback.nlp.segment import keyword_tokens

logger = logging.getLogger(__name__)

# Discovery reads the most recent analysed items within this window (older ones keep the
# topics they were given by earlier runs).
DISCOVERY_WINDOW = dt.timedelta(days=365)
DISCOVERY_MAX_ITEMS = 20_000
MAX_NAME_CHARS = 100
KEEP_IDF_TABLES = 3


@dataclass
class DiscoveryResult:
    documents: int
    topics: int
    new_topics: int
    links: int


def _final(topic: Topic, by_id: dict[int, Topic]) -> Topic:
    """Follow merges to the topic that was kept."""
    seen = set()
    while topic.merged_into_id and topic.merged_into_id not in seen:
        seen.add(topic.pk)
        topic = by_id.get(topic.merged_into_id, topic)
    return topic


def topics_discover(*, now: dt.datetime | None = None) -> DiscoveryResult:
    """Discover topics over recent analysed items and give every such item its topics.

    Topics recognisably the same as earlier ones keep their id and (staff-given) name; a
    topic merged into another sends its items to that one. Also refreshes the corpus IDF.
    """
    now = now or timezone.now()
    rows = list(
        FeedbackItem.objects.filter(
            analysis_status=AnalysisStatus.DONE, created_at__gte=now - DISCOVERY_WINDOW
        )
        .order_by("-created_at", "-id")
        .values_list("pk", "text_normalized")[:DISCOVERY_MAX_ITEMS]
    )
    item_ids = [pk for pk, _text in rows]
    documents = [keyword_tokens(text) for _pk, text in rows]
    previous_topics = list(Topic.objects.all())
    previous = [
        nlp_topics.PreviousTopic(t.key, t.name, list(t.keywords), edited=t.name_edited)
        for t in previous_topics
    ]
    texts = [text for _pk, text in rows]
    discovered = nlp_topics.discover_topics(documents, texts=texts)
    model = nlp_topics.stabilise_topics(discovered, previous)
    with transaction.atomic():
        result = _store(model, item_ids, previous_topics)
        if documents:
            idf = IdfTable.fit(documents)
            CorpusIdf.objects.create(table=idf.to_dict(), n_docs=idf.n_docs, created_at=now)
            stale = CorpusIdf.objects.order_by("-created_at", "-id").values_list("pk", flat=True)
            CorpusIdf.objects.filter(pk__in=list(stale[KEEP_IDF_TABLES:])).delete()
    logger.info("topics discovered: %s", result)
    return result


def _store(model: nlp_topics.TopicModel, item_ids: list[int], previous: list[Topic]):
    by_key = {t.key: t for t in previous}
    by_id = {t.pk: t for t in previous}
    new_topics = 0
    found: dict[str, Topic] = {}
    for discovered in model.topics:
        topic = by_key.get(discovered.id)
        if topic is None:
            topic = Topic.objects.create(
                key=discovered.id,
                name=discovered.label[:MAX_NAME_CHARS],
                keywords=discovered.keywords,
            )
            by_id[topic.pk] = topic
            new_topics += 1
        else:
            topic.keywords = discovered.keywords
            if not topic.name_edited:
                topic.name = discovered.label[:MAX_NAME_CHARS]
            topic.is_active = topic.merged_into_id is None
            topic.save(update_fields=["keywords", "name", "is_active", "updated_at"])
        found[discovered.id] = _final(topic, by_id)
    kept_ids = {t.pk for t in found.values()}
    Topic.objects.exclude(pk__in=kept_ids).filter(is_active=True).update(is_active=False)
    Topic.objects.filter(pk__in=kept_ids, is_active=False, merged_into__isnull=True).update(
        is_active=True
    )
    links: dict[tuple[int, int], float] = {}
    for item_id, pairs in zip(item_ids, model.document_topics, strict=True):
        for key, weight in pairs:
            pair = (item_id, found[key].pk)
            links[pair] = max(weight, links.get(pair, 0.0))
    FeedbackTopic.objects.filter(item_id__in=item_ids).delete()
    FeedbackTopic.objects.bulk_create(
        [FeedbackTopic(item_id=i, topic_id=t, weight=w) for (i, t), w in links.items()],
        batch_size=2000,
    )
    return DiscoveryResult(len(item_ids), len(model.topics), new_topics, len(links))


@transaction.atomic
def topic_rename(*, topic: Topic, name: str) -> Topic:
    """Give a topic a staff-chosen name; later discovery runs keep it."""
    name = (name or "").strip()
    if not name:
        raise FeedbackError(_("The name is empty."), field="name")
    if len(name) > MAX_NAME_CHARS:
        raise FeedbackError(
            _("The name is too long: at most %(max)s characters.") % {"max": MAX_NAME_CHARS},
            field="name",
        )
    topic.name = name
    topic.name_edited = True
    topic.save(update_fields=["name", "name_edited", "updated_at"])
    return topic


@transaction.atomic
def topic_merge(*, topic: Topic, into: Topic) -> Topic:
    """Merge `topic` into `into`: its items move over, and when discovery finds it again its
    items go to `into`. Returns the kept topic."""
    if topic.pk == into.pk:
        raise FeedbackError(_("A topic cannot be merged into itself."), field="into")
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    into = Topic.objects.select_for_update().get(pk=into.pk)
    if topic.merged_into_id:
        raise FeedbackError(_("This topic was already merged into another one."))
    if into.merged_into_id:
        raise FeedbackError(_("That topic was itself merged into another one."), field="into")
    already = FeedbackTopic.objects.filter(topic=into).values("item_id")
    FeedbackTopic.objects.filter(topic=topic, item_id__in=already).delete()
    FeedbackTopic.objects.filter(topic=topic).update(topic=into)
    Topic.objects.filter(merged_into=topic).update(merged_into=into)
    topic.merged_into = into
    topic.is_active = False
    topic.save(update_fields=["merged_into", "is_active", "updated_at"])
    return into
