"""Sentiment features: jieba words with negation scope, word bigrams and character n-grams.

Shared by training and scoring so both see exactly the same features.
"""

from __future__ import annotations

import math
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.utils import murmurhash3_32

from feedback.nlp.segment import CONTRAST_WORDS, cut

# Bump when the features change: it is part of the model version, so a stale model
# file is never used with new features.
FEATURE_VERSION = "f9"
N_FEATURES = 2**20

# Words that flip the polarity of what follows them in the same clause.
NEGATORS = frozenset(
    (Path(__file__).resolve().parent / "data" / "negators.txt").read_text(encoding="utf-8").split()
)
NEGATION_SCOPE = 3
# Negators that can follow the word they negate at the end of a clause: 耐心都没有.
POST_NEGATORS = frozenset(("没有", "都没有", "也没有", "没", "都没", "也没", "全无", "都没了"))
_PARTICLES = frozenset(("了", "啊", "呀", "呢", "吧", "的", "哦", "过"))
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
    Besides words, bigrams and characters: the lexicon's verdict, counted ("p:pos",
    "p:pos*2" for two opinion words …, "p:lean+" when praise outnumbers complaint), and
    negation that follows its word ("一点耐心都没有": 耐心 is negated).
    """
    words = cut(text) if words is None else words
    features: list[str] = []
    hits: dict[str, int] = {}
    previous = "^"
    negated_left = 0
    # The last opinion word of this clause not yet negated: (feature index, polarity).
    last_opinion: tuple[int, str] | None = None
    for i, word in enumerate(words):
        kind, polarity = _word_kind(word)
        if kind is _BREAK:
            negated_left = 0
            previous = "^"
            last_opinion = None
            if word in CONTRAST_WORDS:
                features.append("w:" + word)
            continue
        if kind is _NEGATOR:
            if last_opinion is not None and word in POST_NEGATORS and _clause_ends(words, i + 1):
                index, polarity = last_opinion
                features[index] = "p:not-" + polarity
                hits[polarity] -= 1
                hits["not-" + polarity] = hits.get("not-" + polarity, 0) + 1
                last_opinion = None
            else:
                # Two negators cancel out: 不是不好 is not negative.
                negated_left = 0 if negated_left else NEGATION_SCOPE
            features.append("w:" + word)
            features.append(f"b:{previous}|{word}")
            previous = word
            continue
        if negated_left:
            features.append("n:" + word)
            # A shared feature per polarity lets 不粘/不刺眼 learn from 不差/不贵.
            if polarity:
                features.append("p:not-" + polarity)
                hits["not-" + polarity] = hits.get("not-" + polarity, 0) + 1
            negated_left -= 1
        else:
            features.append("w:" + word)
            if polarity:
                features.append("p:" + polarity)
                hits[polarity] = hits.get(polarity, 0) + 1
                last_opinion = (len(features) - 1, polarity)
        features.append(f"b:{previous}|{word}")
        previous = word
    features.extend(_lexicon_verdict(hits))
    chars = _CHAR_RE.findall(text)
    features.extend(map("c:".__add__, chars))
    features.extend(map("c:".__add__, map(str.__add__, chars, chars[1:])))
    return features


_BREAK, _NEGATOR, _WORD = "break", "negator", "word"


@lru_cache(maxsize=200_000)
def _word_kind(word: str) -> tuple[str, str | None]:
    """(what the word does in the feature loop, its polarity): looked up once per word."""
    if _BOUNDARY_RE.match(word) or word in CONTRAST_WORDS:
        return _BREAK, None
    if word in NEGATORS:
        return _NEGATOR, None
    return _WORD, word_polarity(word)


def _clause_ends(words: list[str], start: int) -> bool:
    """True when only particles are left before the clause ends ("都没有了。")."""
    for word in words[start:]:
        if _BOUNDARY_RE.match(word) or word in CONTRAST_WORDS:
            return True
        if word not in _PARTICLES:
            return False
    return True


def _lexicon_verdict(hits: dict[str, int]) -> list[str]:
    """Counted lexicon features: how many opinion words of each kind, which side wins."""
    features = []
    for kind, count in sorted(hits.items()):
        features.extend(f"p:{kind}*{n}" for n in range(2, min(count, 3) + 1))
    praise = hits.get("pos", 0) + hits.get("not-neg", 0)
    blame = hits.get("neg", 0) + hits.get("not-pos", 0)
    if praise != blame:
        features.append("p:lean+" if praise > blame else "p:lean-")
    elif not praise:
        features.append("p:none")
    return features


@lru_cache(maxsize=1_000_000)  # feature strings repeat a lot ("c:好", "p:pos"): hash once
def feature_index(token: str) -> int:
    """Column of a feature string: MurmurHash3 (seed 0) modulo ``N_FEATURES``."""
    return murmurhash3_32(token, seed=0, positive=True) % N_FEATURES


def vectorize(texts: list[str], words: list[list[str]] | None = None) -> sparse.csr_matrix:
    """Hash a batch of normalised texts into one sparse matrix: binary features, each row
    l2-normalised."""
    if words is None:
        features = [sentiment_tokens(t) for t in texts]
    else:
        features = [sentiment_tokens(t, w) for t, w in zip(texts, words, strict=True)]
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for tokens in features:
        columns = sorted(set(map(feature_index, tokens)))
        indices.extend(columns)
        data.extend([1.0 / math.sqrt(len(columns))] * len(columns) if columns else [])
        indptr.append(len(indices))
    return sparse.csr_matrix(
        (np.array(data, dtype=np.float32), np.array(indices, dtype=np.int32), indptr),
        shape=(len(features), N_FEATURES),
    )
