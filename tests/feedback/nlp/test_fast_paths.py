"""The scoring hot path (cached per-word columns, memo tables, gathered weights) gives
exactly what the plain feature strings give, and its tables stay bounded."""

import numpy as np
import pytest

from feedback.nlp import features, memo
from feedback.nlp.features import (
    distinct_columns,
    feature_columns,
    feature_index,
    linear_scores,
    sentiment_tokens,
    vectorize,
)
from feedback.nlp.memo import BoundedMemo
from feedback.nlp.normalize import normalize
from feedback.nlp.pipeline import analyse
from feedback.nlp.segment import cut

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


@pytest.mark.parametrize("raw", TEXTS)
def test_cached_columns_are_the_columns_of_the_feature_strings(raw):
    text = normalize(raw).text
    words = cut(text)
    expected = sorted({feature_index(t) for t in sentiment_tokens(text, words)})

    assert sorted(set(feature_columns(text, words))) == expected


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


def test_many_new_words_keep_every_memo_table_within_its_limit(monkeypatch, sentiment_model):
    for table in (features._CHAR_COLUMNS, features._BIGRAM_COLUMNS):
        monkeypatch.setattr(table, "limit", 50)
    texts = [f"第{i}号订单的骑手{chr(0x4E00 + i)}{chr(0x5000 + i)}送得很慢" for i in range(300)]

    results = analyse(texts)

    assert all(r.sentiment_label is not None for r in results)
    assert len(features._CHAR_COLUMNS) <= 50
    assert len(features._BIGRAM_COLUMNS) <= 50
