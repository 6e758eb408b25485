"""Benchmark: our text analysis against raw snownlp (same texts, same run), and our topics
against plain NMF.

Run: ``.venv/bin/python bench/nlp.py``. Prints
- macro-F1 and per-class F1 of ours and of snownlp on our survey answers
  (``feedback/nlp/data/survey_eval.tsv``, three classes, never trained on) and on the old
  ``eval.tsv`` (two classes), plus ours per kind of answer (negation, sarcasm …);
- the same on public review corpora when ``SURVEYHUB_PUBLIC_CORPORA`` names a folder of
  ``<name>.tsv`` files (``label<TAB>text``; for checking only, never trained on);
- throughput per core of everything the worker computes (sentiment + keywords + aspects)
  against raw snownlp's sentiment, on the same distinct texts (target ≥ 50×);
- topic coherence (mean NPMI of the top keywords, on our comments) of our topics against
  plain NMF over TF-IDF with the same number of topics, on all words and on the words ours
  keeps (no feeling words), and our topic names with examples.

``--smoke``: 300 texts for throughput, the rest as in a full run. Either way it exits
non-zero on a wrong result: a text without a score, a score outside [0, 1], our macro-F1
not above snownlp's, the demo's misread sentence not positive, a topic named by keywords.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from snownlp import SnowNLP
from threadpoolctl import threadpool_limits

REPO_ROOT = Path(__file__).resolve().parent.parent
# Run as a script (``python bench/nlp.py``): make the project importable.
sys.path.insert(0, str(REPO_ROOT))

from feedback.nlp import memo, sentiment, topics  # noqa: E402
from feedback.nlp.normalize import normalize  # noqa: E402
from feedback.nlp.pipeline import analyse  # noqa: E402
from feedback.nlp.segment import keyword_tokens  # noqa: E402

DATA = REPO_ROOT / "feedback" / "nlp" / "data"
SURVEY_EVAL = DATA / "survey_eval.tsv"
OLD_EVAL = DATA / "eval.tsv"
SURVEY_TRAIN = DATA / "survey_train.tsv"
THROUGHPUT_TEXTS = 2400
SMOKE_TEXTS = 300
BATCH_SIZE = 500  # what a Celery task on the nlp queue gets
TOPICS_K = 12
NPMI_TOP = 8
CLASSES = ["negative", "neutral", "positive"]
DEMO = "售后服务堪称标杆，主动联系我处理问题"


def pin_to_one_core() -> None:
    """Run on a single CPU so throughput compares like with like."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def read_rows(path: Path) -> list[tuple[str, str, str]]:
    """(label, kind, text) of a labelled TSV (``label<TAB>…<TAB>text``)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) >= 2 and record[0] in CLASSES:
                kind = record[2].split("+")[0] if len(record) >= 4 else "-"
                rows.append((record[0], kind, record[-1]))
    return rows


def snownlp_scores(texts: list[str]) -> list[float]:
    """The baseline: one SnowNLP object per text, as the raw library is used."""
    return [SnowNLP(t).sentiments for t in texts]


def our_scores(texts: list[str]) -> list[float]:
    """Everything the worker stores (sentiment, keywords, aspects), in batches."""
    scores: list[float] = []
    for start in range(0, len(texts), BATCH_SIZE):
        for item in analyse(texts[start : start + BATCH_SIZE]):
            score = item.sentiment_score
            scores.append(sentiment.NO_EVIDENCE_SCORE if score is None else score)
    return scores


def check(condition: bool, message: str) -> None:
    """A wrong result stops the bench with a non-zero exit (and the smoke run with it)."""
    if not condition:
        raise SystemExit(f"bench check failed: {message}")


def three_way(scores: list[float]) -> list[str]:
    return [sentiment.label(s) for s in scores]


def report_set(name: str, rows, ours: list[float], snow: list[float]) -> float:
    """Print per-class and macro F1 of both; returns our macro-F1 (binary sets at 0.5)."""
    gold = [label for label, _, _ in rows]
    classes = [c for c in CLASSES if c in set(gold)]
    if classes == ["negative", "positive"]:  # two-class set: positive at ≥ 0.5
        predicted = {
            "ours": ["positive" if s >= 0.5 else "negative" for s in ours],
            "snownlp": ["positive" if s >= 0.5 else "negative" for s in snow],
        }
    else:
        predicted = {"ours": three_way(ours), "snownlp": three_way(snow)}
    print(f"\n{name}: {len(rows)} texts, classes {', '.join(classes)}")
    print(f"  {'':8} {'macro-F1':>9} " + " ".join(f"{c:>9}" for c in classes))
    result = 0.0
    for who, labels in predicted.items():
        per_class = f1_score(gold, labels, labels=classes, average=None)
        macro = float(np.mean(per_class))
        result = macro if who == "ours" else result
        print(f"  {who:8} {macro:9.4f} " + " ".join(f"{v:9.4f}" for v in per_class))
    return result


def report_kinds(rows, ours: list[float]) -> None:
    """Accuracy of ours per kind of answer (plain, negation, sarcasm …)."""
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (label, kind, _), value in zip(rows, three_way(ours), strict=True):
        hits[kind][0] += label == value
        hits[kind][1] += 1
    print(
        "  ours, accuracy per kind: "
        + ", ".join(f"{kind} {ok / n:.2f} ({n})" for kind, (ok, n) in sorted(hits.items()))
    )


def public_corpora() -> list[tuple[str, list]]:
    folder = os.environ.get("SURVEYHUB_PUBLIC_CORPORA")
    if not folder or not Path(folder).is_dir():
        print("\npublic corpora: SURVEYHUB_PUBLIC_CORPORA not set or missing, not measured")
        return []
    return [(p.stem, read_rows(p)) for p in sorted(Path(folder).glob("*.tsv"))]


def throughput(texts: list[str], warm_up: list[str] | None = None) -> tuple[float, float]:
    """Texts per CPU-second of snownlp and of ours on the same texts, interleaved in rounds.

    CPU time of this process (one core, one BLAS thread), not wall time: on a shared
    machine the wall clock also counts the time other processes held the core. Our memo
    tables (words, clauses) are emptied first, so texts seen by the quality runs above do
    not come for free; ``warm_up`` texts (none of the timed ones) are then analysed
    untimed, as a worker that has been running a while has seen other comments."""
    memo.clear_all()
    if warm_up:
        our_scores(warm_up)
    seconds = {"snownlp": 0.0, "ours": 0.0}
    for start in range(0, len(texts), BATCH_SIZE):
        chunk = texts[start : start + BATCH_SIZE]
        for name, function in (("snownlp", snownlp_scores), ("ours", our_scores)):
            started = time.process_time()
            function(chunk)
            seconds[name] += time.process_time() - started
    return len(texts) / seconds["snownlp"], len(texts) / seconds["ours"]


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def plain_nmf_keywords(documents: list[list[str]], k: int) -> list[list[str]]:
    """The baseline: NMF over default TF-IDF of the same tokens, top words per topic."""
    vectorizer = TfidfVectorizer(analyzer=_identity)
    matrix = vectorizer.fit_transform(documents)
    terms = vectorizer.get_feature_names_out()
    nmf = NMF(n_components=k, init="nndsvda", random_state=0, max_iter=500).fit(matrix)
    return [[str(terms[j]) for j in np.argsort(-row)[:NPMI_TOP]] for row in nmf.components_]


def report_topics(texts: list[str]) -> None:
    normalized = [normalize(t).text for t in texts]
    documents = [keyword_tokens(t) for t in normalized]
    started = time.perf_counter()
    model = topics.discover_topics(documents, k=TOPICS_K, texts=normalized)
    seconds = time.perf_counter() - started
    ours = [topics.npmi(t.keywords, documents, NPMI_TOP) for t in model.topics]
    plain = [topics.npmi(w, documents, NPMI_TOP) for w in plain_nmf_keywords(documents, TOPICS_K)]
    # The same baseline on the words ours uses: feeling words (推荐, 满意, 失望 …) end many
    # comments together, so topics of them score high NPMI and say nothing about what.
    stop = topics.topic_stopwords()
    content = [[w for w in d if w not in stop] for d in documents]
    plain_content = [
        topics.npmi(w, documents, NPMI_TOP) for w in plain_nmf_keywords(content, TOPICS_K)
    ]
    again = topics.discover_topics(documents, k=TOPICS_K, texts=normalized)
    print(f"\ntopics on {len(texts)} of our comments, k={TOPICS_K} ({seconds:.1f}s)")
    print(f"  NPMI (top {NPMI_TOP}) ours      : {np.mean(ours):+.4f}")
    print(f"  NPMI (top {NPMI_TOP}) plain NMF : {np.mean(plain):+.4f}  (all words)")
    print(f"  NPMI (top {NPMI_TOP}) plain NMF : {np.mean(plain_content):+.4f}  (ours' words)")
    print(f"  same names on a re-run     : {again.topics == model.topics}")
    for topic in sorted(model.topics, key=lambda t: -t.size):
        examples = " | ".join(normalized[i][:24] for i in topic.examples[:2])
        print(f"  {topic.size:4}  {topic.label:<18} {' '.join(topic.keywords[:4]):<22} {examples}")
    check(again.topics == model.topics, "topics differ between two runs on the same input")
    check(all(" / " not in t.label for t in model.topics), "a topic is named by keywords")


def main() -> None:
    """Print quality, throughput and topic coherence, and how ours compares."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="fewer texts for throughput")
    args = parser.parse_args()
    pin_to_one_core()
    # One core for both sides: the comparison must not reward BLAS threads.
    threadpool_limits(1)
    survey, old = read_rows(SURVEY_EVAL), read_rows(OLD_EVAL)
    sentiment.get_model()  # warm-up outside the clock (trains if missing)
    print(f"model: {sentiment.MODEL_VERSION}")

    macro = {}
    sets = [("our survey answers (survey_eval.tsv)", survey), ("old eval.tsv", old)]
    for name, rows in sets + public_corpora():
        texts = [text for _, _, text in rows]
        ours, snow = our_scores(texts), snownlp_scores(texts)
        check(len(ours) == len(texts), f"{len(ours)} scores for {len(texts)} texts")
        check(all(0.0 <= s <= 1.0 for s in ours), "a sentiment score outside [0, 1]")
        macro[name] = report_set(name, rows, ours, snow)
        snow_macro = f1_score(
            [label for label, _, _ in rows],
            three_way(snow)
            if rows is survey
            else ["positive" if s >= 0.5 else "negative" for s in snow],
            average="macro",
        )
        if rows is survey:
            report_kinds(rows, ours)
        check(macro[name] > snow_macro, f"{name}: macro-F1 not above snownlp's")
    demo = our_scores([DEMO])[0]
    print(f"\n{DEMO}: {demo:.3f} ({sentiment.label(demo)})")
    check(sentiment.label(demo) == "positive", "the demo's praise is not read as positive")

    distinct = list(dict.fromkeys(text for _, _, text in survey + old))
    count = SMOKE_TEXTS if args.smoke else THROUGHPUT_TEXTS
    texts = distinct[:count]
    our_scores(texts[:50])
    snownlp_scores(texts[:50])
    # Steady state: vocabulary known from other comments (survey_train.tsv shares no
    # clause with the evaluation texts), clauses and texts new.
    timed = set(texts)
    warm_up = [text for _, _, text in read_rows(SURVEY_TRAIN) if text not in timed]
    cold = throughput(texts)
    snow_rate, ours_rate = throughput(texts, warm_up)
    print(f"\nthroughput, one core (CPU time), {len(texts)} distinct texts")
    print(f"  snownlp raw (sentiment)              : {snow_rate:8.0f} texts/s")
    print(f"  ours sentiment + keywords + aspects  : {ours_rate:8.0f} texts/s")
    print(
        f"  ratio                                : {ours_rate / snow_rate:8.1f}x  (target >= 50x)"
    )
    print(
        f"  ratio from empty memo tables         : {cold[1] / cold[0]:8.1f}x  "
        "(a worker's first texts)"
    )

    report_topics([text for _, _, text in survey])


if __name__ == "__main__":
    main()
