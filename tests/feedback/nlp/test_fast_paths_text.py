"""The text-level fast paths give what the plain algorithms give: segmentation block by
block (memoised) is jieba's segmentation of the whole text, the trie-shaped trigger regex
finds the longest trigger at each position as longest-first alternatives do, and the
contrast-word pre-check never hides a contrast word."""

import csv
import random
import re
import unicodedata
from pathlib import Path

import pytest

from feedback.nlp import segment
from feedback.nlp.aspects import AspectLexicon
from feedback.nlp.normalize import PII_MASK_RE, nfkc, normalize
from feedback.nlp.segment import cut, get_tokenizer, split_clauses

DATA = Path(segment.__file__).resolve().parent / "data"

PIECES = [
    *"好的不错物流太慢了但是客服态度很差，。！？ abcXYZ019.-_%#&+~～…、:：()（）\"'“”\t\n😀é々〇",
    "\u9fd6",
    "\u3400",
    "iphone13pro",
    "<phone>",
    "so disappointed",
    "北京大学",
]


def shipped_texts() -> list[str]:
    """The texts of the evaluation and training sets."""
    texts = []
    for name in ("survey_eval.tsv", "eval.tsv", "survey_train.tsv", "train_extra.tsv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            texts += [r[-1] for r in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return texts


def whole_text_cut(text: str) -> list[str]:
    """What ``cut`` gave before blocks were memoised: jieba on the whole text."""
    return [w for w in get_tokenizer().lcut(PII_MASK_RE.sub("，", text)) if w.strip()]


def random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 25))) for _ in range(n)]


def test_cutting_block_by_block_gives_the_words_of_the_whole_text():
    texts = [normalize(t).text for t in shipped_texts()] + random_texts(3000, seed=1)
    # Raw texts too (capitals, tabs, new lines), and a block longer than the memo takes.
    texts += [*shipped_texts()[:500], "物流很快" * 20 + "，客服态度很好"]

    different = [t for t in texts if cut(t) != whole_text_cut(t)]

    assert not different, different[:5]


def test_long_blocks_are_not_memoised(monkeypatch):
    small = segment.BoundedMemo(segment._BLOCK_WORDS.compute, 10)
    monkeypatch.setattr(segment, "_BLOCK_WORDS", small)
    text = "物流很快" * 20 + "，好"

    assert cut(text) == whole_text_cut(text)
    assert list(segment._BLOCK_WORDS) == ["好"]


def longest_first(triggers: list[str]) -> re.Pattern:
    """The plain scan: every trigger, longest first, inside a lookahead."""
    ordered = sorted(triggers, key=lambda t: (-len(t), t))
    return re.compile(f"(?=({'|'.join(map(re.escape, ordered))}))")


@pytest.mark.parametrize(
    "triggers",
    [
        ["快递", "快递员", "递员", "ab", "abcd", "abc", "b", "物流", "流", "a.b", "c++"],
        [t for spec in AspectLexicon().aspects.values() for t in spec.get("triggers", ())],
    ],
)
def test_the_trie_scan_finds_what_longest_first_alternatives_find(triggers):
    lexicon = AspectLexicon({"x": {"triggers": triggers}})
    plain = longest_first([t.lower() for t in triggers])
    rng = random.Random(2)
    pieces = [*triggers, *"好的，。abcd流员快递但"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(5000)]

    for text in texts:
        assert lexicon._scan.findall(text) == plain.findall(text), text
        assert lexicon.mentions_any(text) == (plain.search(text) is not None), text


def test_an_empty_lexicon_matches_nothing():
    lexicon = AspectLexicon({})

    assert not lexicon.mentions_any("物流太慢")
    assert lexicon.match("物流太慢") == []


@pytest.mark.parametrize(
    "text",
    ["东西不错但是物流太慢", "还行只是贵", "不只是贵", "但愿下次好点", "可惜没货了", "然而并没有"],
)
def test_clauses_split_before_contrast_words_as_the_full_scan_does(text):
    parts = []
    for part in segment._CLAUSE_RE.split(text):
        parts.extend(p.strip() for p in segment._CONTRAST_RE.split(part) if p.strip())

    assert split_clauses(text) == parts


# Characters NFKC changes (full-width punctuation and letters, the ideographic space,
# ligatures, circled and squared forms, half-width katakana, a decomposed accent) and some
# it keeps, to be mixed.
NFKC_PIECES = [
    *"，！？：；（）～\u3000ＡＢｃ１２％＃＆ﬁ①㎏ｶﾞ\u0301e。、“”😀好的不错 abc",
    "物流很快，",
    "客服態度很好！",
]


def test_the_quick_nfkc_is_unicode_nfkc():
    rng = random.Random(3)
    texts = [*shipped_texts(), *("".join(rng.choices(NFKC_PIECES, k=12)) for _ in range(5000))]

    different = [t for t in texts if nfkc(t) != unicodedata.normalize("NFKC", t)]

    assert not different, different[:5]
