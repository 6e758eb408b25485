"""Aspect-level sentiment: which parts of the experience a comment praises or blames.

A comment is split into clauses (punctuation and contrast words), each clause that
mentions an aspect's trigger word gets that clause's own sentiment, so
"东西不错但是物流太慢" yields quality positive and delivery negative. An aspect is listed
once per comment: when several clauses name it, the one with the clearest opinion.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from feedback.nlp import sentiment
from feedback.nlp.features import word_polarity
from feedback.nlp.memo import BoundedMemo
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
            (key, tuple(t.lower() for t in spec.get("triggers", ()) if t))
            for key, spec in self.aspects.items()
        ]
        # One scan finds, at every position of a clause, the longest trigger starting there
        # (alternatives longest first, inside a lookahead so matches may overlap); every
        # shorter trigger starting there is a prefix of it, so each trigger maps to the
        # aspects of all its prefixes: the same result as testing every trigger.
        by_trigger: dict[str, set[str]] = {}
        for key, triggers in self._triggers:
            for trigger in triggers:
                by_trigger.setdefault(trigger, set()).add(key)
        self._closure = {
            trigger: set().union(*(keys for t, keys in by_trigger.items() if trigger.startswith(t)))
            for trigger in by_trigger
        }
        # The alternatives as a trie ("快(?:递(?:员)?)"): at each position the regex engine
        # follows the text down one path, and the greedy optional parts give the longest
        # trigger, as longest-first alternatives would, without trying every trigger.
        alternatives = _trie_pattern(sorted(by_trigger))
        self._scan = re.compile(f"(?=({alternatives}))") if by_trigger else None
        # Without the lookahead the engine skips to the positions where a trigger can start.
        self._any = re.compile(alternatives) if by_trigger else None
        self._order = {key: i for i, (key, _) in enumerate(self._triggers)}

    @classmethod
    def from_json(cls, path: str | Path) -> AspectLexicon:
        """Read a lexicon written as ``{"key": {"zh": …, "en": …, "triggers": […]}}``."""
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def display_name(self, aspect: str, language: str = "zh") -> str:
        """The aspect's name in ``language`` ("zh" or "en"), the key when unknown."""
        return self.aspects.get(aspect, {}).get(language, aspect)

    def mentions_any(self, text: str) -> bool:
        """True when some trigger word occurs in the text (one scan: most texts stop here)."""
        return self._any is not None and self._any.search(text) is not None

    def match(self, clause: str) -> list[str]:
        """Aspect keys whose trigger words occur in a normalised clause (lexicon order)."""
        if self._scan is None:
            return []
        found: set[str] = set()
        for hit in self._scan.findall(clause):
            found |= self._closure[hit]
        return sorted(found, key=self._order.__getitem__)


def _trie_pattern(words: list[str]) -> str:
    """A regex matching exactly the given non-empty words, written as a trie: each node's
    continuations (one per next character, so at most one can match) before the node's end,
    which is optional when the node is a word of its own."""
    trie: dict = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}  # the end of a word

    def pattern(node: dict) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" not in node:
            return body
        return f"{body}?" if len(branches) == 1 and len(body) == 1 else f"(?:{body})?"

    return pattern(trie)


@cache
def _default_lexicon() -> AspectLexicon:
    """The shipped lexicon, compiled once per process."""
    return AspectLexicon()


def _has_opinion(words: list[str]) -> bool:
    return any(word_polarity(w) for w in words)


# Clause → words, clause → score under ``_CLAUSE_SCORES.model`` and clause → aspect keys
# under ``_CLAUSE_ASPECTS.lexicon``: customers repeat the same clauses ("物流很快",
# "客服态度很好") across thousands of comments.
_CLAUSE_WORDS = BoundedMemo(cut, 100_000)
_CLAUSE_SCORES = BoundedMemo(None, 100_000)
_CLAUSE_ASPECTS = BoundedMemo(None, 100_000)


class ClauseWords(dict):
    """Segmentation of the clauses of one batch: whole texts from the caller, else memo."""

    def __missing__(self, clause: str) -> list[str]:
        return _CLAUSE_WORDS[clause]


def _aspect_clauses(
    text: str, lexicon: AspectLexicon, cuts: ClauseWords
) -> list[tuple[tuple[str, ...], str]]:
    """(aspects, clause) pairs; an aspect with no opinion borrows the next clause's."""
    if not lexicon.mentions_any(text):
        return []
    clauses = split_clauses(text)
    # Each clause matched once (memoised), also when it is looked at as the next clause.
    found_in = list(map(_CLAUSE_ASPECTS.__getitem__, clauses))
    pairs: list[tuple[tuple[str, ...], str]] = []
    i = 0
    while i < len(clauses):
        found = found_in[i]
        if not found:
            i += 1
            continue
        clause = clauses[i]
        # "物流方面，太慢了": the opinion is in the next clause when this one has none.
        next_is_plain = i + 1 < len(clauses) and not found_in[i + 1]
        if next_is_plain and not _has_opinion(cuts[clause]):
            clause = f"{clause}，{clauses[i + 1]}"
            i += 1
        pairs.append((found, clause))
        i += 1
    return pairs


def find_aspect_clauses(
    texts: list[str], lexicon: AspectLexicon | None, cuts: ClauseWords
) -> tuple[list[list[tuple[tuple[str, ...], str]]], dict[str, float | None]]:
    """Per text its (aspects, clause) pairs, and every clause → its memoised score under
    the current model (None when it has to be scored)."""
    lexicon = lexicon or _default_lexicon()
    if getattr(_CLAUSE_ASPECTS, "lexicon", None) is not lexicon:
        _CLAUSE_ASPECTS.clear()
        _CLAUSE_ASPECTS.lexicon = lexicon
        _CLAUSE_ASPECTS.compute = lambda clause: tuple(lexicon.match(clause))
    model = sentiment.get_model()
    if getattr(_CLAUSE_SCORES, "model", None) is not model:
        _CLAUSE_SCORES.clear()
        _CLAUSE_SCORES.model = model
    per_text = [_aspect_clauses(t, lexicon, cuts) if t else [] for t in texts]
    memoised = _CLAUSE_SCORES.get
    by_clause = {clause: memoised(clause) for pairs in per_text for _, clause in pairs}
    return per_text, by_clause


def remember_clause_scores(clauses: list[str], scores: list[float]) -> None:
    """Keep freshly computed clause scores for the next batches."""
    store = _CLAUSE_SCORES.store
    for clause, value in zip(clauses, scores, strict=True):
        store(clause, value)


def aspect_sentiments(
    per_text: list[list[tuple[tuple[str, ...], str]]], by_clause: dict[str, float]
) -> list[list[AspectSentiment]]:
    """Per text one ``AspectSentiment`` per aspect, from the scores of its clauses."""
    results: list[list[AspectSentiment]] = []
    for pairs in per_text:
        # One entry per aspect: "售后态度差，售后电话也打不通" names 售后 twice.
        by_aspect: dict[str, AspectSentiment] = {}
        for found, clause in pairs:
            value = by_clause[clause]
            for aspect in found:
                kept = by_aspect.get(aspect)
                # Of two clauses on one aspect, the clearer opinion (the first on a tie).
                if kept is None or abs(value - 0.5) > abs(kept.score - 0.5):
                    by_aspect[aspect] = AspectSentiment(
                        aspect, value, sentiment.label(value), clause
                    )
        results.append(list(by_aspect.values()))
    return results


def analyse_aspects_normalized(
    texts: list[str],
    lexicon: AspectLexicon | None = None,
    known: dict[str, tuple[list[str], float]] | None = None,
) -> list[list[AspectSentiment]]:
    """Aspect sentiments of already-normalised texts; all clauses scored in one batch.

    ``known``: text → (words, score) already computed by the caller; a clause that is a
    whole text of the batch ("物流太慢了") takes them instead of being cut and scored again.
    """
    known = known or {}
    cuts = ClauseWords((text, words) for text, (words, _) in known.items())
    per_text, by_clause = find_aspect_clauses(texts, lexicon, cuts)
    for clause in by_clause:
        if clause in known:
            by_clause[clause] = known[clause][1]
    unknown = [c for c, value in by_clause.items() if value is None]
    fresh = sentiment.score_segmented(unknown, [cuts[c] for c in unknown]).tolist()
    remember_clause_scores(unknown, fresh)
    by_clause.update(zip(unknown, fresh, strict=True))
    return aspect_sentiments(per_text, by_clause)


def analyse_aspects(
    texts: list[str], lexicon: AspectLexicon | None = None
) -> list[list[AspectSentiment]]:
    """Aspect sentiments of raw texts: per text, a list of (aspect, score, label, clause)."""
    normalized = [normalize(t) for t in texts]
    return analyse_aspects_normalized([n.text if not n.error else "" for n in normalized], lexicon)
