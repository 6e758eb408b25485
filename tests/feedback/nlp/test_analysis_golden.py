"""What ``analyse`` gives on every text the repository ships is pinned: sentiment score
(to 1e-9), label, keywords, tokens, aspects (aspect, score, label, clause), error.

The weights are seeded, not trained: the trained model differs in its last digits from one
CPU to another (the same code gave 5,737 other lines on another machine), and the lines pin
the analysis code, which must give the same result for the same weights everywhere. The
trained model's quality has its own tests (test_sentiment_quality, test_survey_eval_set).

``golden_analysis.txt`` holds one short hash per text, written by the code before the
scoring hot path was made faster; a speed-up must leave every line unchanged. Both from
empty memo tables and from warm ones, in batches of another size (results do not depend on
what else is in a batch or on what the memo tables hold).

When the model or the analysis changes on purpose, regenerate (and say so in the commit):
    DJANGO_DEBUG=1 .venv/bin/python tests/feedback/nlp/test_analysis_golden.py
"""

import csv
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

if __name__ == "__main__":  # regenerating: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from feedback.nlp import memo, sentiment
from feedback.nlp.features import N_FEATURES
from feedback.nlp.model_store import LinearModel
from feedback.nlp.pipeline import analyse

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "feedback" / "nlp" / "data"
GOLDEN = Path(__file__).resolve().parent / "golden_analysis.txt"
BAD_INPUT = [
    "",
    "   ",
    "😀😀😀",
    "🦄",
    "好" * 20_000,
    "锟斤拷锟斤拷锟斤拷",
    "Ã¤Â½Â Ã¥Â¥Â½",
    "客服电话13812345678，邮箱a.b@example.com，网址 https://x.cn/a 订单号1234567890",
    "so disappointed 外卖全凉了",
    "東西不錯，但是物流太慢了😡",
    "<script>alert(1)</script>服务很好",
    "物流方面，太慢了",
    "售后态度差，售后电话也打不通",
]


def shipped_texts() -> list[str]:
    """Every text of the evaluation and training sets and the demo, then bad input."""
    texts = []
    for name in ("survey_eval.tsv", "eval.tsv", "survey_train.tsv", "train_extra.tsv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            for record in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(record) >= 2:
                    texts.append(record[-1])
    with (ROOT / "feedback" / "demo_comments.tsv").open(encoding="utf-8") as handle:
        texts.extend(row["text"] for row in csv.DictReader(handle, delimiter="\t"))
    return texts + BAD_INPUT


def seeded_model() -> LinearModel:
    """Weights drawn from a fixed seed, spread so that the labels fall on all three (about
    a quarter negative, a fifth positive)."""
    rng = np.random.default_rng(20261206)
    return LinearModel(
        coef=rng.normal(0.0, 5.0, N_FEATURES).astype(np.float32),
        intercept=-0.2,
        version="golden-seeded",
        meta={},
        neutral_coef=rng.normal(0.0, 5.0, N_FEATURES).astype(np.float32),
        neutral_intercept=2.0,
        offset=-0.1,
        opinion_power=2.0,
    )


def with_seeded_model(run):
    """run() with the seeded model in place of the process's, and empty memo tables before
    and after (they hold scores of whichever model was in place)."""
    kept = sentiment._model
    memo.clear_all()
    sentiment._model = seeded_model()
    try:
        return run()
    finally:
        sentiment._model = kept
        memo.clear_all()


def _score(value: float | None) -> str:
    return "none" if value is None else f"{round(value, 9):.9f}"


def fingerprints(texts: list[str], batch: int) -> list[str]:
    lines = []
    for start in range(0, len(texts), batch):
        for item in analyse(texts[start : start + batch]):
            summary = [
                item.text_normalized,
                _score(item.sentiment_score),
                item.sentiment_label,
                item.keywords,
                item.tokens,
                [[a.aspect, _score(a.score), a.label, a.clause] for a in item.aspects],
                item.error,
                item.truncated,
            ]
            blob = json.dumps(summary, ensure_ascii=False).encode()
            lines.append(hashlib.sha256(blob).hexdigest()[:16])
    return lines


def _compare(got: list[str], expected: list[str], texts: list[str]) -> None:
    assert len(got) == len(expected)
    pairs = enumerate(zip(got, expected, strict=True))
    differing = [texts[i][:40] for i, (a, b) in pairs if a != b]
    assert not differing, f"{len(differing)} texts analysed differently, e.g. {differing[:5]}"


def test_analysis_of_every_shipped_text_is_unchanged():
    texts = shipped_texts()
    expected = GOLDEN.read_text().split()

    def both_ways():
        _compare(fingerprints(texts, 500), expected, texts)  # from empty memo tables
        # Warm tables (every clause and word seen), other batch boundaries.
        _compare(fingerprints(texts, 137), expected, texts)

    with_seeded_model(both_ways)


def test_the_seeded_weights_give_every_label():
    """The lines would pin little if the seeded model called everything one thing."""
    texts = shipped_texts()[:3000]
    labels = with_seeded_model(lambda: {item.sentiment_label for item in analyse(texts)})
    assert {"positive", "neutral", "negative"} <= labels, labels


if __name__ == "__main__":
    lines = with_seeded_model(lambda: fingerprints(shipped_texts(), 500))
    GOLDEN.write_text("\n".join(lines) + "\n")
