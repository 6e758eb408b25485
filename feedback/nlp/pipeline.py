"""One call from raw comments to everything the product stores about them."""

from __future__ import annotations

from dataclasses import dataclass, field

from feedback.nlp import sentiment
from feedback.nlp.aspects import (
    AspectLexicon,
    AspectSentiment,
    ClauseWords,
    aspect_sentiments,
    find_aspect_clauses,
    remember_clause_scores,
)
from feedback.nlp.keywords import DEFAULT_TOP_K, IdfTable, rank_keyword_tokens
from feedback.nlp.normalize import normalize
from feedback.nlp.segment import cut, is_keyword_token

# Bump when what ``analyse`` produces changes (not the model: see ``analysis_version``).
ANALYSIS_VERSION = "1"


@dataclass
class Analysis:
    """What we learn from one comment; ``error`` is set (and the rest empty) if unreadable."""

    text_normalized: str
    sentiment_score: float | None
    sentiment_label: str | None
    keywords: list[str] = field(default_factory=list)
    aspects: list[AspectSentiment] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False


def analysis_version() -> str:
    """Code and model version together: stored results older than this can be re-run."""
    return f"{ANALYSIS_VERSION}+{sentiment.MODEL_VERSION}"


def analyse(
    texts: list[str],
    *,
    idf: IdfTable | None = None,
    top_k: int = DEFAULT_TOP_K,
    lexicon: AspectLexicon | None = None,
    with_aspects: bool = True,
) -> list[Analysis]:
    """Analyse a batch of raw comments; the batch is scored in one model call (with the
    aspect clauses not scored before). Never raises."""
    normalized = [normalize(t) for t in texts]
    ok = [i for i, n in enumerate(normalized) if n.error is None]
    ok_texts = [normalized[i].text for i in ok]
    # Segment once: the same words feed sentiment features, keywords and topics.
    words = [cut(t) for t in ok_texts]
    per_text: list = []
    fresh: list[str] = []
    if with_aspects:
        cuts = ClauseWords(zip(ok_texts, words, strict=True))
        per_text, by_clause = find_aspect_clauses(ok_texts, lexicon, cuts)
        # A clause that is a whole text of the batch takes that text's score.
        fresh = [c for c, value in by_clause.items() if value is None and c not in cuts]
        words = words + [cuts[c] for c in fresh]
    scores = sentiment.score_segmented(ok_texts + fresh, words).tolist()
    del words[len(ok_texts) :]
    if with_aspects:
        remember_clause_scores(fresh, scores[len(ok_texts) :])
        by_clause.update(zip(fresh, scores[len(ok_texts) :], strict=True))
        if None in by_clause.values():
            position_of = {text: p for p, text in enumerate(ok_texts)}
            for clause, value in by_clause.items():
                if value is None:
                    by_clause[clause] = scores[position_of[clause]]
        aspects = aspect_sentiments(per_text, by_clause)
    results: list[Analysis | None] = [None] * len(texts)
    table = idf or IdfTable.default()
    for position, i in enumerate(ok):
        tokens = list(filter(is_keyword_token, words[position]))
        value = scores[position]
        results[i] = Analysis(
            text_normalized=ok_texts[position],
            sentiment_score=value,
            sentiment_label=sentiment.label(value),
            keywords=rank_keyword_tokens(tokens, table, top_k),
            aspects=aspects[position] if with_aspects else [],
            tokens=tokens,
            truncated=normalized[i].truncated,
        )
    return [
        result or Analysis(n.text, None, None, error=n.error, truncated=n.truncated)
        for result, n in zip(results, normalized, strict=True)
    ]
