"""Sentiment features: jieba words with negation scope, word bigrams and character n-grams.

Shared by training and scoring so both see exactly the same features.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from feedback.nlp.segment import CONTRAST_WORDS, cut

# Bump when the features change: it is part of the model version, so a stale model
# file is never used with new features.
FEATURE_VERSION = "f5"
N_FEATURES = 2**20

# Words that flip the polarity of what follows them in the same clause.
NEGATORS = frozenset(
    (Path(__file__).resolve().parent / "data" / "negators.txt").read_text(encoding="utf-8").split()
)
NEGATION_SCOPE = 3
_BOUNDARY_RE = re.compile(r"^[\s，。！？；,.!?;~～…、:：()（）\"'“”]+$")
POLARITY_FILE = Path(__file__).resolve().parent / "data" / "polarity.tsv"
# Degree words glued to an adjective by jieba (太慢, 很好): look the adjective up.
_DEGREE_PREFIXES = ("非常", "特别", "有点", "比较", *"很太真超挺最更好蛮")
_CHAR_RE = re.compile(r"[\u4e00-\u9fff]|[a-z]+")
is_boundary = _BOUNDARY_RE.match


@cache
def polarity_lexicon() -> dict[str, str]:
    """word → "pos"/"neg" from ``data/polarity.tsv``."""
    lexicon = {}
    for line in POLARITY_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, polarity = line.partition("\t")
            lexicon[word] = polarity.strip()
    return lexicon


@lru_cache(maxsize=200_000)  # the vocabulary of comments is small; lookups are per word
def word_polarity(word: str) -> str | None:
    """Polarity ("pos"/"neg") of an opinion word, also after a degree prefix; else None."""
    lexicon = polarity_lexicon()
    polarity = lexicon.get(word)
    if polarity is None and len(word) > 1:
        for prefix in _DEGREE_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                return lexicon.get(word[len(prefix) :])
    # jieba keeps some subject + adjective phrases whole (价格便宜, 质量上乘): the
    # opinion is their last two characters.
    if polarity is None and len(word) >= 4:
        polarity = lexicon.get(word[-2:])
    return polarity


def sentiment_tokens(text: str, words: list[str] | None = None) -> list[str]:
    """Feature strings of one normalised text; words in a negation scope get ``n:``.

    ``words`` is the text's segmentation when the caller already has it (saves a cut).
    """
    features: list[str] = []
    previous = "^"
    negated_left = 0
    for word in cut(text) if words is None else words:
        if _BOUNDARY_RE.match(word) or word in CONTRAST_WORDS:
            negated_left = 0
            previous = "^"
            if word in CONTRAST_WORDS:
                features.append("w:" + word)
            continue
        if word in NEGATORS:
            # Two negators cancel out: 不是不好 is not negative.
            negated_left = 0 if negated_left else NEGATION_SCOPE
            features.append("w:" + word)
            features.append(f"b:{previous}|{word}")
            previous = word
            continue
        polarity = word_polarity(word)
        if negated_left:
            features.append("n:" + word)
            # A shared feature per polarity lets 不粘/不刺眼 learn from 不差/不贵.
            if polarity:
                features.append("p:not-" + polarity)
            negated_left -= 1
        else:
            features.append("w:" + word)
            if polarity:
                features.append("p:" + polarity)
        features.append(f"b:{previous}|{word}")
        previous = word
    chars = _CHAR_RE.findall(text)
    features.extend("c:" + c for c in chars)
    features.extend(f"c:{a}{b}" for a, b in itertools.pairwise(chars))
    return features


def _identity(tokens: list[str]) -> list[str]:
    return tokens


_VECTORIZER = HashingVectorizer(
    analyzer=_identity, n_features=N_FEATURES, alternate_sign=False, binary=True, norm="l2"
)


def vectorize(texts: list[str], words: list[list[str]] | None = None) -> sparse.csr_matrix:
    """Hash a batch of normalised texts into one sparse matrix (rows are l2-normalised)."""
    if words is None:
        features = [sentiment_tokens(t) for t in texts]
    else:
        features = [sentiment_tokens(t, w) for t, w in zip(texts, words, strict=True)]
    return _VECTORIZER.transform(features).astype(np.float32)
