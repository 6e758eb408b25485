"""Our own evaluation set of survey answers: kept apart from training, varied, and what the
model scores on it (three classes)."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from sklearn.metrics import f1_score

from feedback.nlp import sentiment
from feedback.nlp.train import read_labelled_tsv, read_survey_train

DATA = Path(sentiment.__file__).resolve().parent / "data"


def eval_rows() -> list[list[str]]:
    with (DATA / "survey_eval.tsv").open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [row for row in rows if not row[0].startswith("#")]


def test_the_set_holds_over_two_thousand_answers_of_three_classes_and_six_industries():
    rows = eval_rows()
    assert len(rows) >= 2000
    assert len({row[3] for row in rows}) == len(rows)
    labels = Counter(row[0] for row in rows)
    assert set(labels) == {"positive", "neutral", "negative"}
    assert min(labels.values()) >= 300
    industries = {row[1] for row in rows}
    assert {"retail", "delivery", "telecom", "banking", "logistics", "aftersales"} <= industries


def test_the_set_covers_negation_sarcasm_mixed_emoji_traditional_and_english():
    rows = eval_rows()
    kinds = Counter(kind for row in rows for kind in row[2].split("+"))
    for kind in ("negation", "sarcasm", "contrast", "concession", "english", "traditional"):
        assert kinds[kind] >= 30, kind
    with_emoji = [row for row in rows if any(ord(c) > 0x1F000 for c in row[3])]
    assert len(with_emoji) >= 100


def test_no_answer_of_the_evaluation_set_is_in_any_training_file():
    evaluation = {row[3] for row in eval_rows()}
    training = {text for _, _, text in read_survey_train()}
    training |= {text for _, text in read_labelled_tsv(DATA / "train_extra.tsv")}
    assert len(training) > 2000
    assert evaluation.isdisjoint(training)


@pytest.mark.usefixtures("sentiment_model")
def test_three_way_macro_f1_on_the_set_is_at_least_085_and_every_class_above_075():
    rows = eval_rows()
    predicted = [sentiment.label(s) for s in sentiment.score([row[3] for row in rows])]
    gold = [row[0] for row in rows]
    per_class = f1_score(gold, predicted, labels=["negative", "neutral", "positive"], average=None)
    assert per_class.mean() >= 0.85
    assert per_class.min() >= 0.75
