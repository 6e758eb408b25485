"""Benchmark: our sentiment + keyword pipeline against raw snownlp, same texts, same run.

Run: ``.venv/bin/python bench/nlp.py``. Prints throughput (texts/second, one core) of
each and their ratio (target ≥ 10×), and macro-F1 on ``feedback/nlp/data/eval.tsv``
(target: ours ≥ snownlp + 0.05).

``--smoke``: one batch of 500 texts for throughput (F1 still on the whole eval file). Either
way it exits non-zero when a text gets no score, a score is outside [0, 1] or our macro-F1 is
no better than a coin's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from sklearn.metrics import f1_score
from snownlp import SnowNLP
from threadpoolctl import threadpool_limits

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a script (``python bench/nlp.py``): make the project importable.
sys.path.insert(0, str(REPO_ROOT))

from feedback.nlp import sentiment  # noqa: E402
from feedback.nlp.pipeline import analyse  # noqa: E402
from feedback.nlp.train import read_labelled_tsv  # noqa: E402

EVAL_FILE = REPO_ROOT / "feedback" / "nlp" / "data" / "eval.tsv"
THROUGHPUT_TEXTS = 4000
BATCH_SIZE = 500  # what a Celery task on the nlp queue gets


def pin_to_one_core() -> None:
    """Run on a single CPU so throughput compares like with like."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def snownlp_scores(texts: list[str]) -> list[float]:
    """The baseline: one SnowNLP object per text, as the raw library is used."""
    return [SnowNLP(t).sentiments for t in texts]


def our_scores(texts: list[str]) -> list[float]:
    """Our pipeline (sentiment + keywords, no aspects) in batches."""
    scores: list[float] = []
    for start in range(0, len(texts), BATCH_SIZE):
        for item in analyse(texts[start : start + BATCH_SIZE], with_aspects=False):
            scores.append(0.5 if item.sentiment_score is None else item.sentiment_score)
    return scores


def full_analysis(texts: list[str]) -> list[float]:
    """Everything the worker stores, aspects included (for information)."""
    for start in range(0, len(texts), BATCH_SIZE):
        analyse(texts[start : start + BATCH_SIZE])
    return []


def timed(function, texts: list[str]) -> float:
    """Seconds ``function`` takes on ``texts``."""
    started = time.perf_counter()
    function(texts)
    return time.perf_counter() - started


def check(condition: bool, message: str) -> None:
    """A wrong result stops the bench with a non-zero exit (and the smoke run with it)."""
    if not condition:
        raise SystemExit(f"bench check failed: {message}")


def main() -> None:
    """Print throughput and macro-F1 of both, and how ours compares."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one batch for throughput")
    args = parser.parse_args()
    throughput_texts = BATCH_SIZE if args.smoke else THROUGHPUT_TEXTS
    pin_to_one_core()
    # One core for both sides: the comparison must not reward BLAS threads.
    threadpool_limits(1)
    rows = read_labelled_tsv(EVAL_FILE)
    labels = [label for label, _ in rows]
    texts = [text for _, text in rows]
    repeated = (texts * (throughput_texts // len(texts) + 1))[:throughput_texts]

    # Warm-up outside the clock: model load (training if missing), dictionaries.
    sentiment.get_model()
    our_scores(texts[:50])
    snownlp_scores(texts[:50])

    # Interleave the two in rounds so that load from other processes on a shared machine
    # hits both sides alike instead of skewing whichever ran during a busy spell.
    seconds = {"snownlp": 0.0, "ours": 0.0, "full": 0.0}
    for start in range(0, len(repeated), BATCH_SIZE):
        chunk = repeated[start : start + BATCH_SIZE]
        seconds["snownlp"] += timed(snownlp_scores, chunk)
        seconds["ours"] += timed(our_scores, chunk)
        seconds["full"] += timed(full_analysis, chunk)
    snow_rate, ours_rate, full_rate = (len(repeated) / seconds[k] for k in seconds)

    ours = our_scores(texts)
    check(len(ours) == len(texts), f"{len(ours)} scores for {len(texts)} texts")
    check(all(0.0 <= s <= 1.0 for s in ours), "a sentiment score outside [0, 1]")
    snow_f1 = f1_score(labels, [int(s >= 0.5) for s in snownlp_scores(texts)], average="macro")
    ours_f1 = f1_score(labels, [int(s >= 0.5) for s in ours], average="macro")

    print(f"texts: {len(repeated)} for throughput (eval.tsv repeated), {len(texts)} for F1")
    print(f"model: {sentiment.MODEL_VERSION}")
    print(f"snownlp raw               : {snow_rate:10.0f} texts/s")
    print(f"ours sentiment + keywords : {ours_rate:10.0f} texts/s")
    print(f"ours full (with aspects)  : {full_rate:10.0f} texts/s")
    print(f"throughput ratio          : {ours_rate / snow_rate:10.1f}x   (target >= 10x)")
    print(f"macro-F1 snownlp (binary) : {snow_f1:10.4f}")
    print(f"macro-F1 ours (binary)    : {ours_f1:10.4f}")
    print(f"macro-F1 difference       : {ours_f1 - snow_f1:+10.4f}   (target >= +0.05)")
    print("3-class F1: not reported, eval.tsv labels are positive/negative only")
    check(ours_f1 > 0.5, f"macro-F1 {ours_f1:.4f}: no better than a coin")


if __name__ == "__main__":
    main()
