"""Aspect-level sentiment: which parts of the experience a comment praises or blames.

A comment is split into clauses (punctuation and contrast words), each clause that
mentions an aspect's trigger word gets that clause's own sentiment, so
"东西不错但是物流太慢" yields quality positive and delivery negative.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from feedback.nlp import sentiment
from feedback.nlp.features import word_polarity
from feedback.nlp.normalize import normalize
from feedback.nlp.segment import cut, split_clauses

# aspect key → display names and trigger words (matched as substrings of a clause).
ASPECTS_FILE = Path(__file__).resolve().parent / "data" / "aspects.json"


@cache
def default_aspects() -> dict[str, dict]:
    """The shipped lexicon (``data/aspects.json``): aspect key → zh/en names + triggers."""
    return json.loads(ASPECTS_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class AspectSentiment:
    """One aspect mentioned in one clause, with that clause's sentiment."""

    aspect: str
    score: float
    label: str
    clause: str


class AspectLexicon:
    """Aspect definitions (key → zh/en names + trigger words); load your own from JSON."""

    def __init__(self, aspects: dict[str, dict] | None = None) -> None:
        self.aspects = aspects if aspects is not None else default_aspects()
        self._triggers = [
            (key, tuple(t.lower() for t in spec.get("triggers", ())))
            for key, spec in self.aspects.items()
        ]

    @classmethod
    def from_json(cls, path: str | Path) -> AspectLexicon:
        """Read a lexicon written as ``{"key": {"zh": …, "en": …, "triggers": […]}}``."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def display_name(self, aspect: str, language: str = "zh") -> str:
        """The aspect's name in ``language`` ("zh" or "en"), the key when unknown."""
        return self.aspects.get(aspect, {}).get(language, aspect)

    def match(self, clause: str) -> list[str]:
        """Aspect keys whose trigger words occur in a normalised clause."""
        return [key for key, triggers in self._triggers if any(t in clause for t in triggers)]


def _has_opinion(words: list[str]) -> bool:
    return any(word_polarity(w) for w in words)


def _aspect_clauses(text: str, lexicon: AspectLexicon) -> list[tuple[list[str], str]]:
    """(aspects, clause) pairs; an aspect with no opinion borrows the next clause's."""
    clauses = split_clauses(text)
    pairs: list[tuple[list[str], str]] = []
    i = 0
    while i < len(clauses):
        clause = clauses[i]
        found = lexicon.match(clause)
        if not found:
            i += 1
            continue
        # "物流方面，太慢了": the opinion is in the next clause when this one has none.
        next_is_plain = i + 1 < len(clauses) and not lexicon.match(clauses[i + 1])
        if next_is_plain and not _has_opinion(cut(clause)):
            clause = f"{clause}，{clauses[i + 1]}"
            i += 1
        pairs.append((found, clause))
        i += 1
    return pairs


def analyse_aspects_normalized(
    texts: list[str], lexicon: AspectLexicon | None = None
) -> list[list[AspectSentiment]]:
    """Aspect sentiments of already-normalised texts; all clauses scored in one batch."""
    lexicon = lexicon or AspectLexicon()
    per_text = [_aspect_clauses(t, lexicon) if t else [] for t in texts]
    clauses = [clause for pairs in per_text for _, clause in pairs]
    scores = iter(sentiment.score_segmented(clauses, [cut(c) for c in clauses]))
    results: list[list[AspectSentiment]] = []
    for pairs in per_text:
        items = []
        for found, clause in pairs:
            value = float(next(scores))
            label = sentiment.label(value)
            items.extend(AspectSentiment(aspect, value, label, clause) for aspect in found)
        results.append(items)
    return results


def analyse_aspects(
    texts: list[str], lexicon: AspectLexicon | None = None
) -> list[list[AspectSentiment]]:
    """Aspect sentiments of raw texts: per text, a list of (aspect, score, label, clause)."""
    normalized = [normalize(t) for t in texts]
    return analyse_aspects_normalized([n.text if not n.error else "" for n in normalized], lexicon)
