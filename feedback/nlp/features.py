"""Sentiment features: jieba words with negation scope, word bigrams and character n-grams.

Shared by training and scoring so both see exactly the same features. ``sentiment_tokens``
defines them as strings; the hot path (``distinct_columns``) computes their hashed columns
in C (``_columns.c``, built by ``make setup``), from what this module knows of each word.
"""

from __future__ import annotations

import hashlib
import logging
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.utils import murmurhash3_32

from feedback.nlp.memo import BoundedMemo, register
from feedback.nlp.segment import CONTRAST_WORDS, cut

logger = logging.getLogger(__name__)

# Bump when the features change: it is part of the model version, so a stale model
# file is never used with new features.
FEATURE_VERSION = "f10"
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
CONTEXT_POLARITY_FILE = Path(__file__).resolve().parent / "data" / "polarity_context.tsv"
# Degree words glued to an adjective by jieba (太慢, 很好): look the adjective up.
_DEGREE_PREFIXES = ("非常", "特别", "有点", "比较", *"很太真超挺最更好蛮")
_DEGREE_FIRST = frozenset(prefix[0] for prefix in _DEGREE_PREFIXES)
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


@cache
def context_polarity() -> dict[str, dict[str, str]]:
    """subject → {opinion word → polarity after it}: 耗电 → {快: neg, 少: pos, …}."""
    table: dict[str, dict[str, str]] = {}
    for line in CONTEXT_POLARITY_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            subject, words, polarity = line.split("\t")
            table.setdefault(subject, {}).update(dict.fromkeys(words.split(), polarity.strip()))
    return table


def bare_word(word: str) -> str:
    """The word without a degree prefix (很快 → 快), as ``word_polarity`` reads it."""
    if len(word) > 1 and word[0] in _DEGREE_FIRST:
        for prefix in _DEGREE_PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix):
                return word[len(prefix) :]
    return word


@register
@lru_cache(maxsize=200_000)  # the vocabulary of comments is small; lookups are per word
def word_polarity(word: str) -> str | None:
    """Polarity ("pos"/"neg") of an opinion word, also after a degree prefix; else None."""
    lexicon = polarity_lexicon()
    polarity = lexicon.get(word)
    if polarity is None and (bare := bare_word(word)) != word:
        return lexicon.get(bare)
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
    # What opinion words mean after this clause's subject so far (耗电: 快 blames).
    context: dict[str, str] | None = None
    subjects = context_polarity()
    for i, word in enumerate(words):
        kind, polarity = _word_kind(word)
        if kind is _BREAK:
            negated_left = 0
            previous = "^"
            last_opinion = None
            context = None
            if word in CONTRAST_WORDS:
                features.append("w:" + word)
            continue
        if context is not None:
            polarity = context.get(bare_word(word), polarity)
        context = subjects.get(word, context)
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


@register
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


def _column(token: str) -> int:
    """Column of a feature string: MurmurHash3 (seed 0) modulo ``N_FEATURES``."""
    return murmurhash3_32(token, seed=0, positive=True) % N_FEATURES


# training hashes each feature string many times
feature_index = register(lru_cache(maxsize=100_000)(_column))


def vectorize(texts: list[str], words: list[list[str]] | None = None) -> sparse.csr_matrix:
    """Hash a batch of normalised texts into one sparse matrix: binary features, each row
    l2-normalised."""
    if words is None:
        words = [cut(t) for t in texts]
    n_rows = len(texts)
    flat, lengths = distinct_columns(texts, words)
    # One (row, column) key per distinct feature of a row, sorted.
    keys = np.unique(np.repeat(np.arange(n_rows, dtype=np.int64), lengths) * N_FEATURES + flat)
    row_of, columns = np.divmod(keys, N_FEATURES)
    counts = np.bincount(row_of, minlength=n_rows)
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    scale = 1.0 / np.sqrt(np.maximum(counts, 1))
    return sparse.csr_matrix(
        (scale[row_of].astype(np.float32), columns.astype(np.int32), indptr.astype(np.int32)),
        shape=(n_rows, N_FEATURES),
    )


def distinct_columns(texts: list[str], words: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``vectorize`` without the matrix: every row's distinct columns, one
    after the other (unsorted), and how many each row has. Enough for a linear model.

    In C (``_columns.c``) when that module is built and current, else in Python; both give
    the columns of ``sentiment_tokens``."""
    if _native is not None:
        flat, lengths = _native.distinct_columns(texts, words, _NATIVE_INFO)
        return (
            np.frombuffer(flat, dtype=np.uint32).astype(np.int64),
            np.frombuffer(lengths, dtype=np.int64),
        )
    return python_distinct_columns(texts, words)


def python_distinct_columns(
    texts: list[str], words: list[list[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """``distinct_columns`` from the feature strings: the fallback, about 10× slower."""
    flat: list[int] = []
    lengths: list[int] = []
    for text, text_words in zip(texts, words, strict=True):
        distinct = {feature_index(token) for token in sentiment_tokens(text, text_words)}
        flat.extend(distinct)
        lengths.append(len(distinct))
    # ``fromiter``: faster than ``np.array`` on a long list of ints.
    return (
        np.fromiter(flat, dtype=np.int64, count=len(flat)),
        np.array(lengths, dtype=np.int64),
    )


# What the C loop needs of a word, as codes (the layout ``_columns.c`` reads).
_KIND_CODES = {_WORD: 0, _NEGATOR: 1, _BREAK: 2}
_POLARITY_CODES = {None: 0, "pos": 1, "neg": 2}
_POST_NEGATOR, _PARTICLE, _CONTRAST = 1, 2, 4


@cache
def _native_contexts() -> dict[str, dict[str, int]]:
    """``context_polarity`` with polarity codes."""
    return {
        subject: {word: _POLARITY_CODES[p] for word, p in meanings.items()}
        for subject, meanings in context_polarity().items()
    }


def _native_word_info(word: str) -> tuple:
    """(kind code, polarity code, flags, column of w:word, of n:word, the word without a
    degree prefix, what opinion words mean after it as codes, or None)."""
    kind, polarity = _word_kind(word)
    column = _native.column
    flags = (
        (word in POST_NEGATORS) * _POST_NEGATOR
        | (word in _PARTICLES) * _PARTICLE
        | (word in CONTRAST_WORDS) * _CONTRAST
    )
    return (
        _KIND_CODES[kind],
        _POLARITY_CODES[polarity],
        flags,
        column("w:" + word),
        column("n:" + word),
        bare_word(word),
        _native_contexts().get(word),
    )


_NATIVE_INFO = BoundedMemo(_native_word_info, 200_000)


def _load_native():
    """The C module when it was built from the ``_columns.c`` beside it, else None."""
    try:
        from feedback.nlp import _columns
    except ImportError:
        logger.warning(
            "feedback/nlp/_columns.c is not built (make setup): sentiment features in Python"
        )
        return None
    source = Path(__file__).resolve().parent / "_columns.c"
    if hashlib.sha256(source.read_bytes()).hexdigest() != _columns.SOURCE_SHA256:
        logger.warning(
            "feedback/nlp/_columns.c changed since it was built (make setup): "
            "sentiment features in Python"
        )
        return None
    return _columns


_native = _load_native()


def linear_scores(texts: list[str], words: list[list[str]], weights: np.ndarray) -> np.ndarray:
    """``vectorize(texts, words) @ weights`` (weights: features × models), computed by
    gathering the weights of each row's columns: no sparse matrix, no sorting."""
    flat, lengths = distinct_columns(texts, words)
    rows = np.repeat(np.arange(len(texts)), lengths)
    # The same l2 scaling as ``vectorize`` (float32 like its data).
    scale = (1.0 / np.sqrt(np.maximum(lengths, 1))).astype(np.float32).astype(np.float64)
    gathered = np.asarray(weights[flat], dtype=np.float64).reshape(len(flat), -1)
    sums = np.stack(
        [np.bincount(rows, gathered[:, j], minlength=len(texts)) for j in range(gathered.shape[1])],
        axis=1,
    )
    return sums * scale[:, None]
