from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from feedback.nlp import sentiment
from feedback.nlp.train import read_labelled_tsv

EVAL_FILE = Path(sentiment.__file__).resolve().parent / "data" / "eval.tsv"

pytestmark = pytest.mark.usefixtures("sentiment_model")


def test_model_beats_raw_snownlp_by_five_points_of_macro_f1_on_the_eval_set():
    from snownlp import SnowNLP

    rows = read_labelled_tsv(EVAL_FILE)
    labels = [label for label, _ in rows]
    texts = [text for _, text in rows]
    ours = f1_score(labels, [int(s >= 0.5) for s in sentiment.score(texts)], average="macro")
    raw = f1_score(labels, [int(SnowNLP(t).sentiments >= 0.5) for t in texts], average="macro")
    assert ours >= raw + 0.05
    assert ours >= 0.85


def test_eval_set_shares_no_sentence_with_the_training_set():
    train = {text for _, text in read_labelled_tsv(EVAL_FILE.with_name("train_extra.tsv"))}
    evaluation = [text for _, text in read_labelled_tsv(EVAL_FILE)]
    assert len(evaluation) >= 400
    assert train.isdisjoint(evaluation)
