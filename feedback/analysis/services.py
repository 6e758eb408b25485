"""Analysing feedback items: the batch analysis the worker runs, the sweeper and re-analysis
after a model change. The only code that writes analysis results."""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from feedback.analysis.items import feedback_items_for_completed_responses
from feedback.analysis.queueing import analysis_send
from feedback.models import (
    AnalysisStatus,
    CorpusIdf,
    FeedbackAspect,
    FeedbackItem,
)
from feedback.nlp import pipeline
from feedback.nlp.aspects import AspectLexicon
from feedback.nlp.keywords import IdfTable

logger = logging.getLogger(__name__)

# A queued item still pending after this long is sent again (its message was lost).
STALE_AFTER = dt.timedelta(minutes=30)
# The sweeper also creates the missing items of responses completed this recently.
RESPONSES_LOOKBACK = dt.timedelta(days=2)
# The sweeper sends at most this many items per run, so a big backlog drains in steps.
SWEEP_LIMIT = 20_000
MAX_ERROR_CHARS = 200
MAX_CLAUSE_CHARS = 300
RESULT_FIELDS = [
    "text_normalized",
    "sentiment_score",
    "sentiment_label",
    "keywords",
    "analysis_version",
    "analysed_at",
    "analysis_status",
    "analysis_error",
]


@dataclass
class BatchResult:
    analysed: int = 0
    skipped: int = 0
    failed: int = 0
    already_done: int = 0
    # Items whose results this call stored (for follow-up work such as opening cases).
    analysed_ids: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "analysed": self.analysed,
            "skipped": self.skipped,
            "failed": self.failed,
            "already_done": self.already_done,
        }


# Loaded once per process (a worker keeps them between tasks), like the model and jieba.
_lexicon: AspectLexicon | None = None
_idf: tuple[int, IdfTable] | None = None


def _aspect_lexicon() -> AspectLexicon:
    global _lexicon
    if _lexicon is None:
        _lexicon = AspectLexicon()
    return _lexicon


def corpus_idf() -> IdfTable | None:
    """The latest IDF learned from our corpus (cached per process until a newer one exists)."""
    global _idf
    latest = CorpusIdf.objects.order_by("-created_at", "-id").values_list("pk", flat=True).first()
    if latest is None:
        return None
    if _idf is None or _idf[0] != latest:
        table = CorpusIdf.objects.values_list("table", flat=True).get(pk=latest)
        _idf = (latest, IdfTable.from_dict(table))
    return _idf[1]


def _safe_analyse(texts: list[str]) -> list[pipeline.Analysis | Exception]:
    """Analyse a batch; if the batch raises, analyse one by one so one text cannot sink it."""
    lexicon, idf = _aspect_lexicon(), corpus_idf()
    try:
        return list(pipeline.analyse(texts, idf=idf, lexicon=lexicon))
    except Exception:
        logger.exception("batch analysis failed; analysing %s texts one by one", len(texts))
    results: list[pipeline.Analysis | Exception] = []
    for text in texts:
        try:
            results.extend(pipeline.analyse([text], idf=idf, lexicon=lexicon))
        except Exception as exc:
            results.append(exc)
    return results


def _apply(item: FeedbackItem, result: pipeline.Analysis | Exception, version: str, now):
    item.analysis_version = version
    item.analysed_at = now
    if isinstance(result, Exception):
        item.analysis_status = AnalysisStatus.FAILED
        item.analysis_error = f"{type(result).__name__}: {result}"[:MAX_ERROR_CHARS]
        return []
    item.text_normalized = result.text_normalized
    item.keywords = result.keywords
    if result.error is not None:
        item.analysis_status = AnalysisStatus.SKIPPED
        item.analysis_error = result.error[:MAX_ERROR_CHARS]
        item.sentiment_score = None
        if not item.sentiment_corrected:
            item.sentiment_label = ""
        return []
    item.analysis_status = AnalysisStatus.DONE
    item.analysis_error = ""
    item.sentiment_score = min(1.0, max(0.0, float(result.sentiment_score)))
    if not item.sentiment_corrected:  # a staff member's label outranks any model
        item.sentiment_label = result.sentiment_label
    return [
        FeedbackAspect(
            item=item,
            aspect=a.aspect[:32],
            score=min(1.0, max(0.0, float(a.score))),
            label=a.label,
            clause=a.clause[:MAX_CLAUSE_CHARS],
        )
        for a in result.aspects
    ]


def _save_results(items: list[FeedbackItem]) -> None:
    """UPDATE the result columns of each item, in one executemany.

    `bulk_update` builds a CASE expression per field and row, which cost four times the
    analysis itself on 100-item batches; a prepared UPDATE per row does not.
    """
    fields = [FeedbackItem._meta.get_field(name) for name in RESULT_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    # Only model metadata goes into the SQL; every value is a parameter.
    table = quote(FeedbackItem._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    rows = [
        [field.get_db_prep_save(getattr(item, field.attname), connection) for field in fields]
        + [item.pk]
        for item in items
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def feedback_analyse_batch(*, item_ids: Sequence[int]) -> BatchResult:
    """Analyse these items and store the results; idempotent.

    Items already analysed with the current `analysis_version()` are left alone, and so are
    items another worker is analysing right now (their rows are locked). Text that cannot be
    analysed is marked `skipped` with the reason; an unexpected error marks it `failed`.
    """
    version = pipeline.analysis_version()
    result = BatchResult()
    with transaction.atomic():
        # NO KEY: a case being linked to the item at this moment holds KEY SHARE on it, which
        # a plain FOR UPDATE would conflict with, so SKIP LOCKED would drop the item.
        items = list(
            FeedbackItem.objects.select_for_update(skip_locked=True, no_key=True)
            .filter(pk__in=list(item_ids))
            .exclude(
                analysis_status__in=[AnalysisStatus.DONE, AnalysisStatus.SKIPPED],
                analysis_version=version,
            )
            .only("pk", "text", "sentiment_label", "sentiment_corrected")
            .order_by("pk")
        )
        result.already_done = len(set(item_ids)) - len(items)
        if not items:
            return result
        now = timezone.now()
        analyses = _safe_analyse([item.text for item in items])
        aspects: list[FeedbackAspect] = []
        for item, analysis in zip(items, analyses, strict=True):
            aspects.extend(_apply(item, analysis, version, now))
            status = item.analysis_status
            if status == AnalysisStatus.DONE:
                result.analysed += 1
                result.analysed_ids.append(item.pk)
            elif status == AnalysisStatus.SKIPPED:
                result.skipped += 1
            else:
                result.failed += 1
        _save_results(items)
        FeedbackAspect.objects.filter(item__in=items).delete()
        FeedbackAspect.objects.bulk_create(aspects)
    return result


def feedback_sweep_unanalysed(
    *, now: dt.datetime | None = None, stale_after: dt.timedelta = STALE_AFTER
) -> int:
    """Send again the items still pending that were never queued (the broker was down) or
    were queued long ago (the message was lost). Returns how many were sent.

    First creates the items of recent responses that have none (the receiver failed).
    """
    now = now or timezone.now()
    missing = feedback_items_for_completed_responses(completed_since=now - RESPONSES_LOOKBACK)
    if missing:
        logger.warning("feedback sweeper: created %s items the signal had missed", missing)
    ids = list(
        FeedbackItem.objects.filter(analysis_status=AnalysisStatus.PENDING)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - stale_after))
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    sent = analysis_send(item_ids=ids) if ids else 0
    if ids:
        logger.info("feedback sweeper: %s of %s unanalysed items sent", sent, len(ids))
    return sent


def feedback_reanalyse_all() -> int:
    """After a model or code change: put every item analysed with another version back in
    the queue (results stay visible until replaced). Returns how many items were queued."""
    version = pipeline.analysis_version()
    with transaction.atomic():
        count = (
            FeedbackItem.objects.exclude(analysis_version=version)
            .exclude(analysis_status=AnalysisStatus.PENDING)
            .update(analysis_status=AnalysisStatus.PENDING, enqueued_at=None)
        )
    ids = list(
        FeedbackItem.objects.filter(analysis_status=AnalysisStatus.PENDING, enqueued_at=None)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    analysis_send(item_ids=ids)
    return count
