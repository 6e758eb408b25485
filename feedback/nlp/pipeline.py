"""One call from raw comments to everything the product stores about them."""

from __future__ import annotations

from dataclasses import dataclass, field

from feedback.nlp import sentiment
from feedback.nlp.aspects import AspectLexicon, AspectSentiment, analyse_aspects_normalized
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
    """Analyse a batch of raw comments; the batch is scored in one model call. Never raises."""
    normalized = [normalize(t) for t in texts]
    ok = [i for i, n in enumerate(normalized) if n.error is None]
    ok_texts = [normalized[i].text for i in ok]
    # Segment once: the same words feed sentiment features, keywords and topics.
    words = [cut(t) for t in ok_texts]
    scores = sentiment.score_segmented(ok_texts, words)
    known = {t: (w, float(s)) for t, w, s in zip(ok_texts, words, scores, strict=True)}
    aspects = analyse_aspects_normalized(ok_texts, lexicon, known) if with_aspects else None
    results = [
        Analysis(n.text, None, None, error=n.error, truncated=n.truncated) for n in normalized
    ]
    table = idf or IdfTable.default()
    for position, i in enumerate(ok):
        tokens = list(filter(is_keyword_token, words[position]))
        value = float(scores[position])
        results[i] = Analysis(
            text_normalized=ok_texts[position],
            sentiment_score=value,
            sentiment_label=sentiment.label(value),
            keywords=rank_keyword_tokens(tokens, table, top_k),
            aspects=aspects[position] if aspects is not None else [],
            tokens=tokens,
            truncated=normalized[i].truncated,
        )
    return results
