"""Names of topics: what the comments are about, never how the customer felt about it.

A topic gathers praise and complaints about one subject, and its name is shown as a tag on
every one of them. A name that carries an opinion ("物流快", "给客服小哥点赞") then reads as
the opposite of half the comments it tags: "#物流快" on "物流太慢了". So a topic is named by
the *subject* of its comments' clauses: each clause up to its first opinion word, degree
adverb, negator or feeling word ("客服回复很慢" → "客服回复", "酒店性价比可以" → "酒店性价
比"), the subject that carries most of the topic's weight winning.
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

import jieba_fast_dat

from feedback.nlp.features import NEGATORS, word_polarity
from feedback.nlp.segment import CONTRAST_WORDS, cut, keyword_tokens

DATA_DIR = Path(__file__).resolve().parent / "data"
TOPIC_STOPWORDS_FILE = DATA_DIR / "topic_stopwords.txt"
EDGE_WORDS_FILE = DATA_DIR / "topic_name_edges.txt"
# jieba's dictionary (word, frequency, part of speech), as shipped with the segmenter.
JIEBA_DICT = Path(jieba_fast_dat.__file__).resolve().parent / "dict.txt"
# Parts of speech that judge or grade (adjectives, adverbs): 精细, 耐心, 稳定, 就, 还 …
_OPINION_TAGS = frozenset(("a", "ad", "an", "d"))

MAX_PHRASE_CHARS = 16
MIN_PHRASE_CHARS = 2
CLAUSE_RE = re.compile(r"[，。！？；,.!?;~～\n…、:：]+")
_PHRASE_EDGE_RE = re.compile(r"^[\W_]+|[\W_]+$")

# A subject ends before these: "工作人员对老人…" → "工作人员", "师傅走之前…" → "师傅",
# "银行经理全程帮我办好" → "银行经理".
_SUBJECT_ENDS = frozenset(
    ("对", "给", "把", "被", "向", "跟", "替", "帮", "为", "后", "之前", "之后", "以后", "以前")
)


# Constructions that say how the subject behaves, with no opinion word in them: "售后电话一打
# 就通", "app越用越卡" (a word opening with the first character, a later one with the
# second), and alternations, "信号时有时无", "空调忽冷忽热".
_CONSTRUCTIONS = (("一", "就"), ("越", "越"))
_ALTERNATION_RE = re.compile(r"^([时忽])(.)\1(.)$")


def _opens_construction(word: str, rest: list[str]) -> bool:
    return any(
        word.startswith(first) and any(w.startswith(then) for w in rest)
        for first, then in _CONSTRUCTIONS
    )


def _word_list(path: Path) -> frozenset[str]:
    """Words separated by white space, lines starting with "#" left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(word for line in lines if not line.startswith("#") for word in line.split())


@cache
def topic_stopwords() -> frozenset[str]:
    """Words that say how someone feels, not what about: never topic terms."""
    return _word_list(TOPIC_STOPWORDS_FILE)


@cache
def edge_words() -> frozenset[str]:
    """Words never at either end of a name (``data/topic_name_edges.txt``), contrast words
    among them ("但售后电话" → "售后电话")."""
    return _word_list(EDGE_WORDS_FILE) | frozenset(CONTRAST_WORDS)


@cache
def _dictionary_words() -> tuple[frozenset[str], frozenset[str]]:
    """By jieba's dictionary: adjectives and adverbs, and one-character verbs."""
    judging, verbs = set(), set()
    with JIEBA_DICT.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                if parts[2] in _OPINION_TAGS:
                    judging.add(parts[0])
                elif parts[2] == "v" and len(parts[0]) == 1:
                    verbs.add(parts[0])
    return frozenset(judging), frozenset(verbs)


def is_opinion_word(word: str) -> bool:
    """A word that judges, grades or feels (快, 很, 不, 点赞, 精细, 时有时无), not a
    subject."""
    return (
        word_polarity(word) is not None
        or _ALTERNATION_RE.match(word) is not None
        or word in NEGATORS
        or word in topic_stopwords()
        or word in _dictionary_words()[0]
    )


def subject_phrase(clause: str) -> str:
    """The subject of a clause: its words up to the first opinion word, without pronouns,
    particles and conjunctions at either end. Empty when the clause opens with an opinion
    ("很满意这次的购物") or is all filler ("老实说")."""
    words = [w for w in cut(clause) if w.strip()]
    edges = edge_words()
    kept: list[str] = []
    for i, word in enumerate(words):
        if is_opinion_word(word) or (kept and word in _SUBJECT_ENDS):
            break
        if kept and _opens_construction(word, words[i + 1 :]):
            break
        if kept or word not in edges:
            kept.append(word)
    # "送得很快" is cut "送得 / 很快": a complement's 得 is not part of the subject.
    if len(kept) > 1 and kept[-1].endswith("得"):
        kept[-1] = kept[-1][:-1]
    verbs = _dictionary_words()[1]
    # A subject's last word is its own, not the verb the opinion was about: "售后电话打 /
    # 不通" → "售后电话", "外卖汤洒了" → "外卖汤".
    while kept and (kept[-1] in edges or (len(kept) > 1 and kept[-1] in verbs)):
        kept.pop()
    return _PHRASE_EDGE_RE.sub("", _join(kept))


def _join(words: list[str]) -> str:
    """Words back into text: a space only between two Latin words ("customer service")."""
    text = ""
    for word in words:
        if text and text[-1].isascii() and text[-1].isalnum() and word[:1].isascii():
            text += " "
        text += word
    return text


def is_subject(name: str) -> bool:
    """Whether a name is one this version gives: a subject, nothing judged about it. An
    automatic name from before ("物流快", "银行经理全程帮我办好") is not, and gives way."""
    return bool(name) and subject_phrase(name) == name


def representative_phrase(texts: list[str], term_weight: dict[str, float]) -> str | None:
    """The subject of ``texts``' clauses that carries most topic weight, a little against
    length; None when no subject holds a topic term. Ties go to the shorter, then the
    first in code-point order, so one input always gives one name."""
    counts: dict[str, int] = {}
    for text in texts:
        for clause in CLAUSE_RE.split(text or ""):
            phrase = subject_phrase(clause.strip())
            if MIN_PHRASE_CHARS <= len(phrase) <= MAX_PHRASE_CHARS:
                counts[phrase] = counts.get(phrase, 0) + 1
    best: tuple[float, int, str] | None = None
    for phrase, count in counts.items():
        weight = sum(term_weight.get(t, 0.0) for t in set(keyword_tokens(phrase)))
        if weight <= 0:
            continue
        # Topic weight, a little for repeats, a little against length.
        value = weight * (1.0 + 0.25 * math.log(count)) / (1.0 + 0.04 * len(phrase))
        key = (-value, len(phrase), phrase)
        if best is None or key < best:
            best = key
    return best[2] if best else None
