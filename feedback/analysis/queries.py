"""Read models of feedback for the API and the staff pages (filters, topic figures, trends)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber, TruncMonth

from feedback.models import FeedbackAspect, FeedbackItem, FeedbackTopic, Topic
from feedback.nlp.aspects import AspectLexicon
from surveys.models import Response, ResponseStatus
from surveys.scoring.expressions import nps_group_counts


@dataclass(frozen=True)
class FeedbackFilters:
    """The explorer's and the API's filters; empty values filter nothing."""

    sentiment: str = ""
    topic: int | None = None
    aspect: str = ""
    survey: int | None = None
    source: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""


def feedback_items(filters: FeedbackFilters | None = None) -> QuerySet[FeedbackItem]:
    """Items matching the filters, newest first, with everything a list shows prefetched."""
    filters = filters or FeedbackFilters()
    items = FeedbackItem.objects.select_related("survey", "customer").prefetch_related(
        Prefetch("aspects", queryset=FeedbackAspect.objects.order_by("id")),
        Prefetch(
            "topic_links",
            queryset=FeedbackTopic.objects.select_related("topic").order_by("-weight"),
        ),
    )
    if filters.sentiment:
        items = items.filter(sentiment_label=filters.sentiment)
    if filters.topic is not None:
        items = items.filter(
            Exists(FeedbackTopic.objects.filter(item=OuterRef("pk"), topic_id=filters.topic))
        )
    if filters.aspect:
        items = items.filter(
            Exists(FeedbackAspect.objects.filter(item=OuterRef("pk"), aspect=filters.aspect))
        )
    if filters.survey is not None:
        items = items.filter(survey_id=filters.survey)
    if filters.source:
        items = items.filter(source=filters.source)
    if filters.date_from:
        items = items.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        items = items.filter(created_at__date__lte=filters.date_to)
    if filters.q:
        items = items.filter(text__icontains=filters.q)
    return items.order_by("-created_at", "-id")


def topics_with_figures(*, include_merged: bool = False) -> QuerySet[Topic]:
    """Topics with `item_count` and `avg_sentiment` (mean score of their analysed items)."""
    topics = Topic.objects.annotate(
        item_count=Count("item_links"),
        avg_sentiment=Avg("item_links__item__sentiment_score"),
    )
    if not include_merged:
        topics = topics.filter(merged_into__isnull=True)
    return topics.order_by("-is_active", "-item_count", "name", "id")


# Examples are picked among this many of a topic's heaviest links per example shown.
EXAMPLE_CANDIDATES = 50


def topics_examples(topics: list[Topic], limit: int = 2) -> dict[int, list[FeedbackItem]]:
    """Per topic, the comments that show it best (one query for all topics): different
    texts (the same comment sent many times is shown once) that use one of the topic's
    first keywords, heaviest links first; comments without such a word only when none has
    one (a comment with a little weight on a topic would misname what it is about)."""
    ranked = (
        FeedbackTopic.objects.filter(topic_id__in=[t.pk for t in topics])
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("topic_id")],
                order_by=[F("weight").desc(), F("item_id").desc()],
            )
        )
        .filter(rank__lte=limit * EXAMPLE_CANDIDATES)
        .select_related("item")
        .only("topic_id", "weight", "item__text")
        .order_by("topic_id", "rank")
    )
    links: dict[int, list[FeedbackItem]] = {}
    for link in ranked:
        links.setdefault(link.topic_id, []).append(link.item)
    return {t.pk: _examples(links.get(t.pk, []), t.keywords or [], limit) for t in topics}


def _examples(items: list[FeedbackItem], keywords: list[str], limit: int) -> list[FeedbackItem]:
    words = [w for w in keywords[:3] if w]
    seen: set[str] = set()
    with_keyword: list[FeedbackItem] = []
    others: list[FeedbackItem] = []
    for item in items:
        text = item.text.strip()
        if not text or text in seen:
            continue
        seen.add(text)
        (with_keyword if any(w in text for w in words) else others).append(item)
    return (with_keyword or others)[:limit]


def _nps(promoters: int, detractors: int, n: int) -> float | None:
    return round(100.0 * (promoters - detractors) / n, 1) if n else None


def topics_nps_impact(topic_ids: list[int]) -> dict[int, float | None]:
    """Per topic: NPS of responses whose feedback has the topic minus NPS of the rest.

    Two queries, whatever the number of topics. None when either side has no responses.
    """
    scored = Response.objects.filter(status=ResponseStatus.COMPLETED, nps_score__isnull=False)
    total = scored.aggregate(n=Count("pk"), **nps_group_counts())
    response = "item__response"
    per_topic = (
        FeedbackTopic.objects.filter(
            topic_id__in=topic_ids,
            item__response__status=ResponseStatus.COMPLETED,
            item__response__nps_score__isnull=False,
        )
        .values("topic_id")
        .annotate(
            n=Count(response, distinct=True),
            **nps_group_counts(score="item__response__nps_score", on=response, distinct=True),
        )
    )
    impact: dict[int, float | None] = dict.fromkeys(topic_ids)
    for row in per_topic:
        with_topic = _nps(row["promoters"], row["detractors"], row["n"])
        without = _nps(
            total["promoters"] - row["promoters"],
            total["detractors"] - row["detractors"],
            total["n"] - row["n"],
        )
        if with_topic is not None and without is not None:
            impact[row["topic_id"]] = round(with_topic - without, 1)
    return impact


def topic_trend(topic: Topic) -> list[dict]:
    """Per month (local time): how many items had the topic and their mean sentiment."""
    return list(
        FeedbackTopic.objects.filter(topic=topic)
        .annotate(month=TruncMonth("item__created_at"))
        .values("month")
        .annotate(count=Count("id"), avg_sentiment=Avg("item__sentiment_score"))
        .order_by("month")
    )


def aspect_choices(language: str = "zh-hans") -> list[tuple[str, str]]:
    """(key, display name) of the configured aspects, in the page's language."""
    lexicon = AspectLexicon()
    lang = "en" if language.startswith("en") else "zh"
    return [(key, lexicon.display_name(key, lang)) for key in lexicon.aspects]
