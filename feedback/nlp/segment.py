"""Chinese word segmentation (jieba_fast_dat) with a customer-service dictionary, stop-words
and clauses."""

from __future__ import annotations

import logging
import re
import threading
from functools import cache, lru_cache
from pathlib import Path

import jieba_fast_dat

from feedback.nlp import snownlp_data
from feedback.nlp.memo import BoundedMemo, register
from feedback.nlp.normalize import PII_MASK_RE

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"

# Words that say nothing about what a comment is about, added to snownlp's list
# because customer comments are full of fillers that list does not know.
EXTRA_STOPWORDS_FILE = DATA_DIR / "stopwords_extra.txt"
# Longer "words" are runs of letters or garbage, never something a person would search.
MAX_KEYWORD_CHARS = 20

_CLAUSE_RE = re.compile(r"[，。！？；,.!?;~～\n…、]+")
# A contrast word opens a new clause: "东西不错但是物流太慢" is two opinions.
CONTRAST_WORDS = ("但是", "不过", "可是", "然而", "只是", "可惜", "但")
_CONTRAST_RE = re.compile(r"(?=但是|不过|可是|然而|可惜|(?<!不)只是)|(?<!不)(?=但(?!是|愿|凡))")
_KEEP_TOKEN_RE = re.compile(r"^[\u4e00-\u9fffa-z][\u4e00-\u9fffa-z'-]*$")

_lock = threading.Lock()
_tokenizer: jieba_fast_dat.Tokenizer | None = None


# A sentence whose segmentation proves the dictionary loaded whole.
_PROBE = ("我们在北京大学学习", ["我们", "在", "北京大学", "学习"])


def get_tokenizer() -> jieba_fast_dat.Tokenizer:
    """Return this process's private tokenizer, initialised once on first use.

    jieba_fast_dat: jieba's dictionary and algorithm (DAG + HMM) in C++, about 6× faster.
    Its dictionary cache (a temp file) is not written atomically, so a cache that does not
    segment the probe sentence correctly is rebuilt. Our words are added one by one: its
    user-dictionary cache is keyed by file path only.
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba_fast_dat.setLogLevel(logging.WARNING)
                tokenizer = jieba_fast_dat.Tokenizer()
                tokenizer.initialize()
                if tokenizer.lcut(_PROBE[0]) != _PROBE[1]:
                    tokenizer = jieba_fast_dat.Tokenizer()
                    tokenizer.initialize(force_rebuild=True)
                for word, freq, tag in _user_words():
                    tokenizer.add_word(word, freq, tag)
                _tokenizer = tokenizer
    return _tokenizer


def _user_words() -> list[tuple[str, int | None, str | None]]:
    """``data/userdict.txt``: word [frequency [tag]] per line."""
    words = []
    for line in USER_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts and not parts[0].startswith("#"):
            freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
            words.append((parts[0], freq, parts[2] if len(parts) > 2 else None))
    return words


@cache
def stopwords() -> frozenset[str]:
    """snownlp's shipped stop-word list plus our customer-comment fillers."""
    extra = EXTRA_STOPWORDS_FILE.read_text(encoding="utf-8").split()
    return snownlp_data.stopwords() | frozenset(extra)


# jieba cuts each run of Han characters, letters, digits and +#&._%- (a block) on its own
# and yields any other character as a word of its own: the same pattern as its ``re_han``.
_BLOCK_RE = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&._%-]+)")
# Memoised blocks are short: customers repeat the same phrases, and a long block (a pasted
# text) would make the table heavy for nothing.
MAX_MEMO_BLOCK_CHARS = 32
_BLOCK_WORDS = BoundedMemo(lambda block: tuple(get_tokenizer().lcut(block)), 100_000)


def cut(text: str) -> list[str]:
    """Segment a normalised text into words, dropping whitespace and PII placeholders.

    The same words as jieba's ``lcut`` of the whole text: blocks are cut one by one (a test
    checks this on every shipped text and on random strings), each through a bounded memo.
    """
    if not text:
        return []
    if "<" in text:
        text = PII_MASK_RE.sub("，", text)
    parts = _BLOCK_RE.split(text)
    words: list[str] = []
    extend = words.extend
    blocks = _BLOCK_WORDS
    # ``parts`` alternates: between blocks (even positions, maybe empty), block (odd).
    for position in range(1, len(parts), 2):
        between = parts[position - 1]
        if between:
            extend(filter(str.strip, between))
        block = parts[position]
        if len(block) <= MAX_MEMO_BLOCK_CHARS:
            extend(blocks[block])
        else:
            extend(get_tokenizer().lcut(block))
    if parts[-1]:
        extend(filter(str.strip, parts[-1]))
    return words


@register
@lru_cache(maxsize=200_000)
def is_keyword_token(token: str) -> bool:
    """True for words worth showing as keywords: no digits, punctuation or stop-words."""
    return (
        1 < len(token) <= MAX_KEYWORD_CHARS
        and bool(_KEEP_TOKEN_RE.match(token))
        and token not in stopwords()
    )


def keyword_tokens(text: str) -> list[str]:
    """Segment and keep only content words, the input of keywords and topics."""
    return [w for w in cut(text) if is_keyword_token(w)]


# Every match of ``_CONTRAST_RE`` contains one of these: a text without them has none.
_CONTRAST_MARKS = ("但", "不过", "可是", "然而", "可惜", "只是")


def split_clauses(text: str) -> list[str]:
    """Split a text into clauses on punctuation and before contrast words."""
    if "<" in text:
        text = PII_MASK_RE.sub("，", text)
    if not any(map(text.__contains__, _CONTRAST_MARKS)) or _CONTRAST_RE.search(text) is None:
        # most texts: no contrast word, one split
        return [stripped for part in _CLAUSE_RE.split(text) if (stripped := part.strip())]
    clauses = []
    for part in _CLAUSE_RE.split(text):
        clauses.extend(p.strip() for p in _CONTRAST_RE.split(part) if p.strip())
    return clauses
