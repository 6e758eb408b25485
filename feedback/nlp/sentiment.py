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
from feedback.nlp.labels import (  # noqa: F401  (part of this module's interface)
    NEGATIVE_THRESHOLD,
    POSITIVE_THRESHOLD,
    confidence,
    label,
)
from feedback.nlp.model_store import LinearModel
from feedback.nlp.normalize import normalize
from feedback.nlp.scoring import (  # noqa: F401  (part of this module's interface)
    CONTRAST_MAX_CHARS,
    CONTRAST_TAIL_WEIGHT,
    contrast_tail,
    logits_segmented,
)
from feedback.nlp.segment import cut

try:
    import fcntl
except ImportError:  # Windows: the atomic os.replace alone keeps the file whole
    fcntl = None

logger = logging.getLogger(__name__)

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


def score_segmented(texts: list[str], words: list[list[str]]) -> np.ndarray:
    """Scores of normalised texts whose segmentation is known, in one model call."""
    if not texts:
        return np.zeros(0)
    return 1.0 / (1.0 + np.exp(-logits_segmented(get_model(), texts, words)))


def score(texts: list[str]) -> list[float]:
    """Probability that each raw text is positive, in [0, 1]; 0.5 when it cannot be read."""
    normalized = [normalize(t) for t in texts]
    ok = [i for i, n in enumerate(normalized) if n.error is None]
    result = [NO_EVIDENCE_SCORE] * len(texts)
    ok_texts = [normalized[i].text for i in ok]
    for i, value in zip(ok, score_segmented(ok_texts, [cut(t) for t in ok_texts]), strict=True):
        result[i] = float(value)
    return result
