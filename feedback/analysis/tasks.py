"""Celery tasks of feedback analysis: thin wrappers that take ids and call the services.

jieba, the sentiment model and the aspect lexicon are cached at module level in
`feedback.nlp` / `feedback.analysis.services`, so a worker process loads them once, not per task.
"""

import logging
from dataclasses import asdict

from feedback.analysis.services import feedback_analyse_batch, feedback_sweep_unanalysed
from feedback.analysis.topics import topics_discover
from feedback.cases.opening import cases_open_for_feedback
from surveyhub.tasking.declare import surveyhub_task
from surveyhub.tasking.queues import Queue

logger = logging.getLogger(__name__)


@surveyhub_task(name="feedback.analyse_batch", queue=Queue.NLP)
def analyse_batch(item_ids: list[int]) -> dict:
    """Analyse up to ~100 items, then let the case rules see the negative ones; safe to run
    twice (analysed items are skipped, cases are one per response)."""
    outcome = feedback_analyse_batch(item_ids=item_ids)
    if outcome.analysed_ids:
        cases_open_for_feedback(item_ids=outcome.analysed_ids)
    result = outcome.counts()
    logger.info("feedback.analyse_batch %s items: %s", len(item_ids), result)
    return result


@surveyhub_task(name="feedback.sweep_unanalysed", queue=Queue.NLP, expires=240)
def sweep_unanalysed() -> int:
    """Re-send items left pending (broker was down, message lost)."""
    return feedback_sweep_unanalysed()


@surveyhub_task(name="feedback.discover_topics", queue=Queue.NLP, expires=6 * 3600)
def discover_topics() -> dict:
    """Nightly: topics over the recent corpus, with stable ids and staff names kept."""
    return asdict(topics_discover())
