"""From a sentiment score to the label people see and how sure the model is of it.

Light on purpose (no numpy, no model): the Django models and pages import it.
"""

from __future__ import annotations

# Scores between the thresholds are "neutral". ``train`` rescales the model so that this
# band is where held-out answers are best split three ways (``data/survey_train.tsv``).
POSITIVE_THRESHOLD = 0.6
NEGATIVE_THRESHOLD = 0.4
LABELS = ("positive", "neutral", "negative")


def label(score: float) -> str:
    """Three-way label: positive at ≥ 0.6, negative at ≤ 0.4, else neutral."""
    if score >= POSITIVE_THRESHOLD:
        return "positive"
    if score <= NEGATIVE_THRESHOLD:
        return "negative"
    return "neutral"


def confidence(score: float | None, shown_label: str | None = None) -> float | None:
    """How sure the model is of the label shown, in [0, 1]; None without a score.

    The score is P(positive), so a positive label is as sure as the score and a negative
    one as 1 − score. A neutral label is surest at 0.5 and falls to 1 − |2·score − 1| at
    the band's edges (0.8 there). ``shown_label`` defaults to the score's own label; for a
    label the model did not give (a staff correction) it returns None: no model confidence
    applies.
    """
    if score is None:
        return None
    score = min(1.0, max(0.0, float(score)))
    own = label(score)
    if shown_label and shown_label != own:
        return None
    if own == "positive":
        return score
    if own == "negative":
        return 1.0 - score
    return 1.0 - abs(2.0 * score - 1.0)
