"""The demo's comments as a manager sees them: no promoter's comment shown as a complaint,
no detractor's as praise (the demo showed "吃了好几年了，一直这么好吃" and "给全家都买了，
大家都说好" as 负面)."""

import csv

import pytest
from django.conf import settings

from feedback.nlp.pipeline import analyse


@pytest.mark.usefixtures("sentiment_model")
def test_no_demo_comment_is_read_against_its_score():
    path = settings.BASE_DIR / "feedback" / "demo_comments.tsv"
    with path.open(encoding="utf-8") as handle:
        scores = {
            row["text"]: int(row["nps_score"]) for row in csv.DictReader(handle, delimiter="\t")
        }
    texts = list(scores)
    misread = [
        (scores[text], item.sentiment_label, text)
        for text, item in zip(texts, analyse(texts), strict=True)
        if (scores[text] >= 9 and item.sentiment_label == "negative")
        or (scores[text] <= 4 and item.sentiment_label == "positive")
    ]
    assert len(texts) > 250
    assert misread == []
