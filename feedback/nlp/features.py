"""Sentiment features: jieba words with negation scope, word bigrams and character n-grams.

Shared by training and scoring so both see exactly the same features.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import chain, compress, pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.utils import murmurhash3_32

from feedback.nlp.memo import BoundedMemo, register
from feedback.nlp.segment import CONTRAST_WORDS, cut

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
    if len(word) > 1:
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

# The memo tables below hash their misses directly: they are the cache of those strings.
# (last characters of a word, first of the next) → column of "c:" + both.
_CHAR_COLUMNS = BoundedMemo(lambda pair: _column("c:" + pair[0] + pair[1]), 200_000)
# (previous word, word) → column of "b:" + previous + "|" + word.
_BIGRAM_COLUMNS = BoundedMemo(lambda pair: _column(f"b:{pair[0]}|{pair[1]}"), 200_000)


@register
@lru_cache(maxsize=100_000)
def _word_columns(word: str) -> tuple:
    """What the feature loop needs of a word, computed once per word: (kind, polarity,
    column of w:word, of n:word, "not-" + polarity, columns of the word's own characters
    and character pairs, its first and last character (None if it has none), whether it
    starts and ends with a Latin letter, the word without a degree prefix, and what opinion
    words mean after it when it is a subject of ``context_polarity``)."""
    kind, polarity = _word_kind(word)
    chars = _CHAR_RE.findall(word)
    own = [*chars, *map(str.__add__, chars, chars[1:])]
    return (
        kind,
        polarity,
        _column("w:" + word),
        _column("n:" + word),
        "not-" + polarity if polarity else None,
        tuple(feature_index("c:" + c) for c in own),
        chars[0] if chars else None,
        chars[-1] if chars else None,
        word[:1].isascii() and word[:1].isalpha(),
        word[-1:].isascii() and word[-1:].isalpha(),
        bare_word(word),
        context_polarity().get(word),
    )


def _segment_columns(words: tuple[str, ...]) -> tuple[tuple[int, ...], tuple]:
    """Word and bigram columns of a run of words between two breaks (punctuation, contrast
    words), and its lexicon hits as sorted (kind, count) pairs. Nothing crosses a break:
    negation scope, the previous word and the last opinion start afresh after one, and
    negation after its word looks no further than the break.

    The polarity features themselves are not listed: "p:pos" is among the features of
    ``sentiment_tokens`` exactly when the text's count of "pos" hits ends at one or more
    (a negator after its word turns a "pos" into a "not-pos"), so ``_verdict_columns``
    adds them from the counts of the whole text."""
    columns: list[int] = []
    append = columns.append
    bigram = _BIGRAM_COLUMNS
    hits: dict[str, int] = {}
    previous = "^"
    negated_left = 0
    last_opinion: str | None = None  # polarity of the last opinion word not yet negated
    context: dict[str, str] | None = None  # as in ``sentiment_tokens``
    for after, word in enumerate(words, 1):
        info = _word_columns(word)
        kind, polarity, w_col, n_col, not_polarity = info[:5]
        if context is not None and (meant := context.get(info[10])) is not None:
            polarity, not_polarity = meant, "not-" + meant
        if info[11] is not None:
            context = info[11]
        if kind is _NEGATOR:
            if last_opinion is not None and word in POST_NEGATORS and _clause_ends(words, after):
                hits[last_opinion] -= 1
                key = "not-" + last_opinion
                hits[key] = hits.get(key, 0) + 1
                last_opinion = None
            else:
                # Two negators cancel out: 不是不好 is not negative.
                negated_left = 0 if negated_left else NEGATION_SCOPE
            append(w_col)
        elif negated_left:
            append(n_col)
            if polarity:
                hits[not_polarity] = hits.get(not_polarity, 0) + 1
            negated_left -= 1
        else:
            append(w_col)
            if polarity:
                hits[polarity] = hits.get(polarity, 0) + 1
                last_opinion = polarity
        append(bigram[previous, word])
        previous = word
    return tuple(columns), tuple(sorted(hits.items()))


def _verdict_columns(hits: tuple[tuple[str, int], ...]) -> tuple[int, ...]:
    """Columns of the polarity features ("p:pos", "p:not-neg" … for every kind counted
    at least once) and of ``_lexicon_verdict``, from a text's sorted hit counts."""
    present = [feature_index("p:" + kind) for kind, count in hits if count >= 1]
    return (*present, *map(feature_index, _lexicon_verdict(dict(hits))))


def _segment_chars(words: tuple[str, ...]) -> tuple:
    """Character columns of a run of words between breaks, as the per-word loop of
    ``feature_columns`` would add them: (columns of the first word that has characters,
    the columns after it, that word's first character, the run's last character, whether
    jieba split a run of letters in it). Each word gives its own characters and pairs, then
    the pair its first character makes with the character before it."""
    char = _CHAR_COLUMNS
    head: tuple[int, ...] = ()
    rest: list[int] = []
    first = last = None
    ends_latin = False  # the word before a run is a break: it never ends with a letter
    for word in words:
        info = _word_columns(word)
        if info[6] is not None:
            if ends_latin and info[8]:
                return (), (), None, None, True
            if last is None:
                head, first = info[5], info[6]
            else:
                rest.extend(info[5])
                rest.append(char[last, info[6]])
            last = info[7]
        ends_latin = info[9]
    return head, tuple(rest), first, last, False


def _segment(words: tuple[str, ...]) -> tuple:
    """Everything ``feature_columns`` takes from a run of words between breaks: word and
    bigram columns, lexicon hits, then what ``_segment_chars`` gives."""
    return (*_segment_columns(words), *_segment_chars(words))


# Customers repeat the same phrases ("物流很快", "客服态度很好"): runs of words between
# breaks → their columns, hits and characters. Hit counts of a text → its lexicon columns.
_SEGMENTS = BoundedMemo(_segment, 50_000)
_VERDICTS = BoundedMemo(_verdict_columns, 10_000)
# word → True when it ends a run of words (punctuation, a contrast word).
_BREAKS = BoundedMemo(lambda word: _word_kind(word)[0] is _BREAK, 200_000)


def feature_columns(text: str, words: list[str]) -> list[int]:
    """Columns of ``sentiment_tokens(text, words)``: the same features (possibly repeated,
    in another order), from memoised runs of words between breaks and cached per-word
    columns instead of building and hashing strings (the scoring hot path). Character pairs
    across two runs are the only character features looked up."""
    columns: list[int] = []
    extend = columns.extend
    segments = _SEGMENTS
    char = _CHAR_COLUMNS
    # Character columns in their own list: they are dropped when the text must give them.
    own: list[int] = []
    own_extend = own.extend
    hits: dict[str, int] = {}
    start = 0
    last = None
    text_chars = "<" in text  # PII placeholders: characters come from the text
    # The breaks' positions by C-level iteration (one dict lookup per word); then one step
    # per run of words and per break.
    for end in chain(compress(range(len(words)), map(_BREAKS.__getitem__, words)), (len(words),)):
        if end > start:
            segment, segment_hits, head, rest, first, run_last, latin_split = segments[
                tuple(words[start:end])
            ]
            extend(segment)
            for kind, n in segment_hits:
                hits[kind] = hits.get(kind, 0) + n
            if latin_split:
                # jieba split a run of letters ("dis|app|ointed"): characters come from the
                # text, where the run is whole.
                text_chars = True
            elif first is not None and not text_chars:
                own_extend(head)
                if last is not None:
                    own.append(char[last, first])
                own_extend(rest)
                last = run_last
        if end == len(words):
            break
        word = words[end]
        if word in CONTRAST_WORDS:
            info = _word_columns(word)
            columns.append(info[2])
            if info[6] is not None and not text_chars:
                own_extend(info[5])
                if last is not None:
                    own.append(char[last, info[6]])
                last = info[7]
        start = end + 1
    extend(_VERDICTS[tuple(sorted(hits.items()))])
    if not text_chars:
        extend(own)
        return columns
    chars = _CHAR_RE.findall(text)
    extend([char[c, ""] for c in chars])
    extend([char[pair] for pair in pairwise(chars)])
    return columns


def vectorize(texts: list[str], words: list[list[str]] | None = None) -> sparse.csr_matrix:
    """Hash a batch of normalised texts into one sparse matrix: binary features, each row
    l2-normalised."""
    if words is None:
        words = [cut(t) for t in texts]
    n_rows = len(texts)
    rows = [feature_columns(t, w) for t, w in zip(texts, words, strict=True)]
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=n_rows)
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    # Binary features: one (row, column) key per distinct feature of a row, sorted.
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
    after the other (unsorted), and how many each row has. Enough for a linear model."""
    flat: list[int] = []
    lengths: list[int] = []
    for text, text_words in zip(texts, words, strict=True):
        distinct = set(feature_columns(text, text_words))
        flat.extend(distinct)
        lengths.append(len(distinct))
    # ``fromiter``: faster than ``np.array`` on a long list of ints.
    return (
        np.fromiter(flat, dtype=np.int64, count=len(flat)),
        np.array(lengths, dtype=np.int64),
    )


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
