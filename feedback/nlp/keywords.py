"""Per-comment keywords: TF-IDF against a corpus IDF table, and TextRank.

Both take keyword tokens (``segment.keyword_tokens``): stop-words, digits, punctuation and
masked PII are already gone, so they can never come out as keywords.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from feedback.nlp.normalize import normalize
from feedback.nlp.segment import is_keyword_token, keyword_tokens

DEFAULT_TOP_K = 5


class IdfTable:
    """Inverse document frequencies learned from our own comments.

    Unfitted (``IdfTable.default()``) it uses jieba's general-Chinese IDF list, so words
    that are rare in Chinese in general still rank above everyday words.
    """

    def __init__(self, idf: dict[str, float], default_idf: float, n_docs: int = 0) -> None:
        self.idf = idf
        self.default_idf = default_idf
        self.n_docs = n_docs

    @classmethod
    def fit(cls, documents: Iterable[list[str]]) -> IdfTable:
        """Learn smoothed IDF (``log((1+n)/(1+df)) + 1``) from token lists."""
        document_frequency: Counter[str] = Counter()
        n_docs = 0
        for tokens in documents:
            n_docs += 1
            document_frequency.update(set(tokens))
        idf = {
            token: math.log((1 + n_docs) / (1 + df)) + 1.0
            for token, df in document_frequency.items()
        }
        # A word never seen in the corpus is as rare as it gets: df = 0.
        return cls(idf, math.log(1 + n_docs) + 1.0, n_docs)

    @classmethod
    def default(cls) -> IdfTable:
        """jieba's shipped IDF table; unknown words get its median IDF."""
        return _jieba_idf_table()

    def weight(self, token: str) -> float:
        """IDF of a token, the default for tokens never seen."""
        return self.idf.get(token, self.default_idf)

    def to_dict(self) -> dict:
        """A JSON-serialisable form (to store a fitted table in the database or a file)."""
        return {"idf": self.idf, "default_idf": self.default_idf, "n_docs": self.n_docs}

    @classmethod
    def from_dict(cls, data: dict) -> IdfTable:
        """Inverse of ``to_dict``."""
        return cls(
            {str(k): float(v) for k, v in data.get("idf", {}).items()},
            float(data.get("default_idf", 1.0)),
            int(data.get("n_docs", 0)),
        )


@cache
def _jieba_idf_table() -> IdfTable:
    import jieba

    # Read the file without importing jieba.analyse (which loads its own copy of the table
    # and the POS tagger: ~100 MB per worker process), line by line (no 350k-line list).
    path = Path(jieba.__file__).resolve().parent / "analyse" / "idf.txt"
    idf: dict[str, float] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.rstrip("\n").partition(" ")
            if value:
                idf[word] = float(value)
    return IdfTable(idf, statistics.median(idf.values()))


def tfidf_keywords(
    tokens: list[str], idf: IdfTable | None = None, top_k: int = DEFAULT_TOP_K
) -> list[str]:
    """The ``top_k`` tokens by TF × IDF; ties keep first-appearance order (deterministic)."""
    return rank_keyword_tokens(list(filter(is_keyword_token, tokens)), idf, top_k)


def rank_keyword_tokens(
    tokens: list[str], idf: IdfTable | None = None, top_k: int = DEFAULT_TOP_K
) -> list[str]:
    """``tfidf_keywords`` of tokens already filtered by ``is_keyword_token`` (the pipeline's
    path: its tokens are filtered once for keywords and topics)."""
    if not tokens:
        return []
    table = idf or IdfTable.default()
    weights, default = table.idf, table.default_idf  # ``table.weight``, without the call
    counts: dict[str, int] = {}  # first-appearance order: the stable sort keeps it on ties
    for token in tokens:
        counts[token] = counts.get(token, 0) + 1
    if len(counts) == 1:
        return list(counts)[:top_k]
    return sorted(counts, key=lambda t: -counts[t] * weights.get(t, default))[:top_k]


def textrank_keywords(
    tokens: list[str], top_k: int = DEFAULT_TOP_K, window: int = 5, iterations: int = 30
) -> list[str]:
    """TextRank over the co-occurrence graph of tokens (useful for longer texts)."""
    tokens = [t for t in tokens if is_keyword_token(t)]
    if not tokens:
        return []
    neighbours: dict[str, Counter[str]] = defaultdict(Counter)
    for i, token in enumerate(tokens):
        for other in tokens[i + 1 : i + window]:
            if other != token:
                neighbours[token][other] += 1
                neighbours[other][token] += 1
    nodes = list(dict.fromkeys(tokens))
    rank = dict.fromkeys(nodes, 1.0)
    out_weight = {n: sum(neighbours[n].values()) or 1.0 for n in nodes}
    damping = 0.85
    for _ in range(iterations):
        rank = {
            n: (1 - damping)
            + damping * sum(w * rank[m] / out_weight[m] for m, w in neighbours[n].items())
            for n in nodes
        }
    order = {n: i for i, n in enumerate(nodes)}
    return sorted(nodes, key=lambda n: (-rank[n], order[n]))[:top_k]


def keywords(text: str, idf: IdfTable | None = None, top_k: int = DEFAULT_TOP_K) -> list[str]:
    """TF-IDF keywords of one raw text (normalised and PII-masked first)."""
    normalized = normalize(text)
    if normalized.error:
        return []
    return tfidf_keywords(keyword_tokens(normalized.text), idf, top_k)
