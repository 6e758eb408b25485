"""The scoring hot path (feature columns in C, gathered weights) gives exactly what the plain
feature strings give, the C module is the one built from its source, and the memo tables
stay bounded."""

import hashlib
import itertools
import logging
import random
from pathlib import Path

import numpy as np
import pytest

from feedback.nlp import features, memo
from feedback.nlp.features import (
    distinct_columns,
    feature_index,
    linear_scores,
    python_distinct_columns,
    sentiment_tokens,
    vectorize,
)
from feedback.nlp.memo import BoundedMemo
from feedback.nlp.normalize import normalize
from feedback.nlp.pipeline import analyse
from feedback.nlp.segment import cut
from tests.feedback.nlp.test_fast_paths_text import shipped_texts

TEXTS = [
    "外卖送到全凉了,so disappointed 生气",  # jieba cuts "disappointed" into dis|app|ointed
    "客服态度很好，打我电话13812345678 也没用",  # a PII placeholder in the text
    "東西不錯，但是物流太慢了😡",
    "一点耐心都没有了。",
    "不是不好，就是有点贵",
    "iphone13pro 很好用 👍",
    "耗電比較快，手機發熱也很嚴重",  # opinion words read after their subject
    "更新后耗电不快了，物流很快",
    "好",
    "",
]

# Pieces of random texts: opinion words, negators (before and after their word), contrast
# words, context subjects, particles, letters, digits, emoji, punctuation, rare characters.
PIECES = [
    *"好差快慢贵没不了的吧啊但，。！？ ,.~…、abcz09😀é々\u9fff\u4e00\u3400",
    "没有",
    "都没有",
    "不是",
    "很好",
    "太慢",
    "耗电",
    "发热",
    "但是",
    "不过",
    "就是",
    "有点",
    "耐心",
    "客服",
    "iphone",
    "disappointed",
    "<phone>",
    "物流" * 60,  # a run longer than any buffer's first size
]


def reference_rows(texts: list[str], words: list[list[str]]) -> list[list[int]]:
    """Each text's distinct columns by hashing ``sentiment_tokens``: the definition."""
    return [
        sorted({feature_index(t) for t in sentiment_tokens(text, w)})
        for text, w in zip(texts, words, strict=True)
    ]


def rows_of(flat: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    bounds = np.concatenate([[0], np.cumsum(lengths)])
    return [sorted(flat[a:b].tolist()) for a, b in itertools.pairwise(bounds)]


def random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_the_c_module_is_built_from_the_source_beside_it():
    source = Path(features.__file__).resolve().parent / "_columns.c"

    assert features._native is not None, "feedback/nlp/_columns.c is not built: make setup"
    assert hashlib.sha256(source.read_bytes()).hexdigest() == features._native.SOURCE_SHA256
    assert features._native.N_FEATURES == features.N_FEATURES


@pytest.mark.parametrize("raw", TEXTS)
def test_columns_are_the_columns_of_the_feature_strings(raw):
    text = normalize(raw).text
    words = [cut(text)]

    expected = reference_rows([text], words)
    assert rows_of(*distinct_columns([text], words)) == expected
    assert rows_of(*python_distinct_columns([text], words)) == expected


def test_c_columns_equal_the_feature_strings_on_every_shipped_and_random_text():
    texts = [normalize(t).text for t in shipped_texts()] + random_texts(3000, seed=2)
    # Raw text too: capitals, new lines and letters jieba splits.
    texts += ["Great SERVICE\n但是 delivery 太慢", "a" * 5000, "很好" * 3000]
    words = [cut(t) for t in texts]
    # A clause's words without its text, as scoring passes the parts of a split answer.
    texts.append("东西不错")
    words.append(["东西", "不错"])

    flat, lengths = distinct_columns(texts, words)

    different = [
        text
        for text, ours, expected in zip(
            texts, rows_of(flat, lengths), reference_rows(texts, words), strict=True
        )
        if ours != expected
    ]
    assert not different, different[:5]


def test_the_c_module_says_what_is_wrong_with_its_input():
    with pytest.raises(ValueError, match="differ in length"):
        features._native.distinct_columns(["好"], [], features._NATIVE_INFO)
    with pytest.raises(TypeError, match="word 1 of text 0 is not a str"):
        features._native.distinct_columns(["好"], [["好", 3]], features._NATIVE_INFO)
    with pytest.raises(TypeError, match="text 0 is not a str"):
        features._native.distinct_columns([b"x"], [["x"]], features._NATIVE_INFO)
    with pytest.raises(TypeError, match="not a tuple of 7"):
        features._native.distinct_columns(["好"], [["好"]], {"好": (0, 0)})
    # A lone surrogate cannot be hashed as UTF-8, here as in the feature strings
    # (``normalize`` never lets one through).
    with pytest.raises(UnicodeEncodeError):
        features._native.distinct_columns(["好\ud800"], [["好", "\ud800"]], features._NATIVE_INFO)
    assert "\ud800" not in normalize("好\ud800").text


def test_an_edited_source_is_not_run_from_a_stale_build(monkeypatch, caplog):
    module = features._native
    monkeypatch.setattr(module, "SOURCE_SHA256", "0" * 64)

    with caplog.at_level(logging.WARNING, logger="feedback.nlp.features"):
        assert features._load_native() is None

    assert "changed since it was built" in caplog.text
    monkeypatch.undo()
    assert features._load_native() is module


def test_without_the_c_module_the_same_scores_come_from_python(monkeypatch, sentiment_model):
    texts = ["物流方面，太慢了", "客服态度很好，但是售后电话一直打不通", "外卖送得很快👍"]
    with_c = analyse(texts)
    monkeypatch.setattr(features, "_native", None)

    assert analyse(texts) == with_c


def test_gathered_scores_equal_the_sparse_matrix_product():
    texts = [normalize(t).text for t in TEXTS]
    words = [cut(t) for t in texts]
    rng = np.random.default_rng(0)
    weights = rng.normal(size=(features.N_FEATURES, 2)).astype(np.float32)

    gathered = linear_scores(texts, words, weights)
    product = np.asarray(vectorize(texts, words) @ weights, dtype=np.float64)

    np.testing.assert_allclose(gathered, product, rtol=1e-5, atol=1e-5)
    _, lengths = distinct_columns(texts, words)
    # The empty text has one feature: the lexicon found no opinion word ("p:none").
    assert lengths[-1] == 1
    np.testing.assert_allclose(gathered[-1], weights[feature_index("p:none")], rtol=1e-6)


def test_a_memo_table_never_grows_past_its_limit():
    calls = []
    table = BoundedMemo(lambda key: calls.append(key) or len(key), limit=3)

    values = [table[word] for word in ["快递", "客服", "物流", "售后", "快递"]]

    assert values == [2, 2, 2, 2, 2]
    assert len(table) <= 3
    assert calls == ["快递", "客服", "物流", "售后", "快递"]  # emptied at the limit


def test_results_are_the_same_with_warm_or_empty_memo_tables(sentiment_model):
    texts = ["物流方面，太慢了", "客服态度很好，但是售后电话一直打不通", "外卖送得很快👍"]
    memo.clear_all()
    cold = analyse(texts)
    warm = analyse(texts)
    memo.clear_all()
    again = analyse(texts)

    assert cold == warm == again
    assert len(cold[1].aspects) >= 2  # clauses were scored, not only whole texts


def test_many_new_words_keep_the_word_table_within_its_limit(monkeypatch, sentiment_model):
    monkeypatch.setattr(features._NATIVE_INFO, "limit", 50)
    texts = [f"第{i}号订单的骑手{chr(0x4E00 + i)}{chr(0x5000 + i)}送得很慢" for i in range(300)]
    expected = analyse(texts[:5])

    results = analyse(texts)

    assert all(r.sentiment_label is not None for r in results)
    assert len(features._NATIVE_INFO) <= 50
    # The table emptied itself many times while the C loop held its entries: same results.
    assert results[:5] == expected


@pytest.mark.parametrize(
    "feature", ["", "w:", "w:好", "b:^|很好", "c:a", "c:abc", "c:abcd", "n:👍👍", "w:so good"]
)
def test_the_c_hash_is_scikit_learns_murmurhash(feature):
    assert features._native.column(feature) == features._column(feature)
