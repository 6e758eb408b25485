"""Turn raw customer text into clean, simplified, PII-masked text ready for analysis.

Every function here is total: it never raises on any ``str`` and reports why a text
cannot be analysed through ``Normalized.error`` instead.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from feedback.nlp.snownlp_data import zh2hans

# Long texts are truncated before analysis: sentiment and keywords of a customer
# comment are settled well within this, and it bounds worker time per item.
MAX_ANALYSIS_CHARS = 2000

PHONE_MASK = "<phone>"
EMAIL_MASK = "<email>"
ID_MASK = "<id>"
URL_MASK = "<url>"
PII_MASK_RE = re.compile(r"<(?:phone|email|id|url)>")

# Emoji carry much of the sentiment of short mobile answers, so they become words the
# model was trained on rather than being thrown away.
EMOJI_WORDS: dict[str, str] = {
    "👍": "好评",
    "👏": "赞",
    "💯": "满分",
    "❤": "喜欢",
    "♥": "喜欢",
    "💕": "喜欢",
    "💖": "喜欢",
    "😍": "喜欢",
    "🥰": "喜欢",
    "😘": "喜欢",
    "😊": "开心",
    "😀": "开心",
    "😁": "开心",
    "😄": "开心",
    "😃": "开心",
    "🙂": "开心",
    "😆": "开心",
    "🤗": "开心",
    "🎉": "开心",
    "✨": "赞",
    "🌟": "赞",
    "⭐": "好评",
    "🙏": "感谢",
    "🌹": "感谢",
    "💪": "给力",
    "🔥": "给力",
    "👌": "不错",
    "😂": "哈哈",
    "🤣": "哈哈",
    "👎": "差评",
    "😡": "生气",
    "😠": "生气",
    "🤬": "生气",
    "💢": "生气",
    "😤": "生气",
    "😭": "难过",
    "😢": "难过",
    "😞": "失望",
    "😔": "失望",
    "😒": "失望",
    "🙄": "无语",
    "😑": "无语",
    "😓": "无语",
    "😩": "崩溃",
    "😫": "崩溃",
    "🤮": "恶心",
    "🤢": "恶心",
    "💩": "垃圾",
    "😱": "吓人",
    "💔": "伤心",
    "🐢": "慢",
    "🐌": "慢",
}

# Pictographs, symbols, the emoji variation selector, the zero-width joiner, the keycap.
_EMOJI_RANGES = (
    ("\U0001f000", "\U0001faff"),
    ("\u2600", "\u27bf"),
    ("\u2b00", "\u2bff"),
    ("\u2300", "\u23ff"),
    ("\ufe0f", "\ufe0f"),
    ("\u200d", "\u200d"),
    ("\u20e3", "\u20e3"),
)
_EMOJI_RE = re.compile("[" + "".join(f"{low}-{high}" for low, high in _EMOJI_RANGES) + "]")
_TAG_RE = re.compile(r"<\s*(script|style)\b[^>]*>.*?<\s*/\s*\1\s*>|<[^>]{0,500}>", re.S | re.I)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff]+", re.I)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Chinese mobile numbers, also written +86 138 1234 5678 or 138-1234-5678.
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
# ID cards (17 digits + X), bank cards, order numbers: any long run of digits.
_ID_RE = re.compile(r"(?<!\d)\d{6,}[xX]?(?!\d)")
_SPACE_RE = re.compile(r"\s+")
_DIGIT_RE = re.compile(r"\d")
# Lone surrogates (broken UTF-16 from some clients) cannot even be encoded; controls are noise.
_UNENCODABLE_RE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")
_LATIN_WORD_RE = re.compile(r"[a-z]{2,}")
_MOJIBAKE_MARK = "锟斤拷"
_ODD_CHAR_RE = re.compile("[\ufffd\u00c0-\u00ff]")
_WHITESPACE_RE = re.compile(r"\s")


@dataclass(frozen=True)
class Normalized:
    """A normalised text and why it cannot be analysed (``error``), if it cannot."""

    text: str
    error: str | None = None
    truncated: bool = False


@cache
def _han_table() -> dict[int, str]:
    """Build a character-level traditional → simplified table from snownlp's converter."""
    mapping = zh2hans()
    table = {ord(k): v for k, v in mapping.items() if len(k) == 1 and len(v) == 1 and k != v}
    # snownlp maps a few characters to rare readings; prefer the everyday ones.
    table.update({ord("畫"): "画", ord("讚"): "赞", ord("著"): "着", ord("瞭"): "了"})
    return table


@cache
def _traditional_re() -> re.Pattern:
    """Any character ``_han_table`` converts: one C scan finds out if a text has one."""
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_han_table())) + "]")


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified, one character at a time (fast)."""
    if _traditional_re().search(text) is None:
        return text  # most comments: nothing to convert
    return text.translate(_han_table())


@cache
def _emoji_table() -> dict[int, str]:
    """Every code point ``_EMOJI_RE`` matches → a space, or its word between spaces (so the
    word is not glued to its neighbours in segmentation): one ``str.translate`` pass."""
    table: dict[int, str] = {}
    for low, high in _EMOJI_RANGES:
        table.update(dict.fromkeys(range(ord(low), ord(high) + 1), " "))
    table.update({ord(emoji): f" {word} " for emoji, word in EMOJI_WORDS.items()})
    return table


def _replace_emoji(text: str) -> str:
    if _EMOJI_RE.search(text) is None:
        return text  # most comments have none
    return text.translate(_emoji_table())


def mask_pii(text: str) -> str:
    """Replace URLs, e-mails, phone numbers and ID-like digit runs by placeholders."""
    # Most comments hold none of them: skip each scan whose mark is missing.
    if "://" in text or "www." in text.lower():
        text = _URL_RE.sub(f" {URL_MASK} ", text)
    if "@" in text:
        text = _EMAIL_RE.sub(f" {EMAIL_MASK} ", text)
    if _DIGIT_RE.search(text) is not None:
        text = _PHONE_RE.sub(f" {PHONE_MASK} ", text)
        text = _ID_RE.sub(f" {ID_MASK} ", text)
    return text


def repair_mojibake(text: str) -> str | None:
    """Undo a wrong decoding (GBK/UTF-8 read as Latin-1, UTF-8 read as GBK) or None."""
    if _CJK_RE.search(text) is None and re.search(r"[\u00c0-\u00ff]", text):
        # UTF-8 first: UTF-8 bytes often decode as GBK too (into nonsense), GBK bytes
        # almost never as UTF-8 with a Chinese character in it.
        for encoding in ("utf-8", "gbk"):
            try:
                fixed = text.encode("latin-1").decode(encoding)
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if _CJK_RE.search(fixed):
                return fixed
        return None
    # UTF-8 bytes read as GBK give strings like 鍝堝搱; a real sentence almost never
    # survives this round trip, so success means the text was garbled.
    if len(text) >= 3 and _CJK_RE.search(text):
        try:
            encoded = text.encode("gbk")
        except UnicodeEncodeError:
            return None
        # As a strict decode, without raising (most texts fail it, and raising is slow):
        # a byte strict UTF-8 rejects becomes a lone surrogate, which it never yields.
        fixed = encoded.decode("utf-8", "surrogateescape")
        if _ESCAPED_BYTE_RE.search(fixed) is not None:
            return None
        if _CJK_RE.search(fixed) and fixed != text:
            return fixed
    return None


def _looks_garbled(text: str) -> bool:
    if _MOJIBAKE_MARK in text:
        rest = text.replace(_MOJIBAKE_MARK, "")
        return len(_CJK_RE.findall(rest)) < 2
    odd = len(_ODD_CHAR_RE.findall(text))
    if not odd:  # almost every comment: no need to count its letters
        return False
    letters = len(text) - len(_WHITESPACE_RE.findall(text))
    return odd / letters > 0.3


# The full-width punctuation comments are full of, and what NFKC makes of each.
_FULL_WIDTH_PUNCTUATION = (
    ("，", ","),
    ("！", "!"),
    ("？", "?"),
    ("：", ":"),
    ("；", ";"),
    ("（", "("),
    ("）", ")"),
    ("～", "~"),
    ("\u3000", " "),
)


def nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, about twice as fast on the usual comment:
    when its only compatibility characters are common full-width punctuation (，！？),
    replacing them is enough, as the quick check then proves."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    narrowed = text
    for wide, narrow in _FULL_WIDTH_PUNCTUATION:
        if wide in narrowed:
            narrowed = narrowed.replace(wide, narrow)
    if unicodedata.is_normalized("NFKC", narrowed):
        return narrowed
    return unicodedata.normalize("NFKC", text)


def normalize(text: object, *, max_chars: int = MAX_ANALYSIS_CHARS) -> Normalized:
    """Normalise one text; never raises, returns an error code when it cannot be analysed."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = _UNENCODABLE_RE.sub(" ", text)
    if not text.strip():
        return Normalized("", "empty")
    # Undo garbling before anything else changes the characters it is made of.
    repaired = repair_mojibake(text[: max_chars * 4])
    if repaired is not None:
        text = repaired
    elif _looks_garbled(text[: max_chars * 4]):
        return Normalized("", "mojibake")
    text = text.replace(_MOJIBAKE_MARK, " ").replace("\ufffd", " ")
    # Strip markup on a bounded prefix: a 1 MB paste must not cost a 1 MB regex scan.
    text = text[: max_chars * 4]
    if "<" in text:
        text = _TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = nfkc(text)
    text = _replace_emoji(text)
    text = mask_pii(text)
    text = to_simplified(text).lower()
    text = _SPACE_RE.sub(" ", text).strip()
    truncated = len(text) > max_chars
    if truncated:
        text = text[:max_chars]
    if not text:
        # Something was written, but nothing we can read (unknown emoji, bare markup).
        return Normalized("", "no_chinese_or_english_text")
    meaningful = PII_MASK_RE.sub(" ", text)
    if _CJK_RE.search(meaningful) is None and _LATIN_WORD_RE.search(meaningful) is None:
        return Normalized(text, "no_chinese_or_english_text", truncated)
    return Normalized(text, None, truncated)
