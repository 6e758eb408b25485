import json

import pytest

from feedback.nlp.aspects import AspectLexicon, analyse_aspects

pytestmark = pytest.mark.usefixtures("sentiment_model")


def by_aspect(text: str, lexicon: AspectLexicon | None = None) -> dict[str, str]:
    return {a.aspect: a.label for a in analyse_aspects([text], lexicon)[0]}


def test_contrast_sentence_gives_quality_positive_and_delivery_negative():
    [aspects] = analyse_aspects(["东西不错但是物流太慢"])
    labels = {a.aspect: (a.label, a.clause) for a in aspects}
    assert labels["quality"] == ("positive", "东西不错")
    assert labels["delivery"][0] == "negative"
    assert "物流" in labels["delivery"][1]


def test_each_clause_scores_its_own_aspect_in_traditional_characters():
    labels = by_aspect("價格便宜，質量很好，客服態度差")
    assert labels == {"price": "positive", "quality": "positive", "service": "negative"}


def test_app_crash_and_unanswered_service_are_both_negative():
    assert by_aspect("App老是闪退，客服也不回复") == {
        "app_experience": "negative",
        "service": "negative",
    }


def test_aspect_without_opinion_takes_it_from_the_next_clause():
    [aspects] = analyse_aspects(["物流方面，太慢了"])
    assert [(a.aspect, a.label) for a in aspects] == [("delivery", "negative")]


def test_mixed_english_aspect_words_are_recognised():
    assert by_aspect("quality很好 但delivery太慢了") == {
        "quality": "positive",
        "delivery": "negative",
    }


def test_text_without_aspect_words_yields_no_aspects():
    assert analyse_aspects(["今天心情很好", ""]) == [[], []]


def test_a_custom_lexicon_loaded_from_json_replaces_the_default(tmp_path):
    path = tmp_path / "aspects.json"
    spec = {"parking": {"zh": "停车", "en": "Parking", "triggers": ["停车", "车位"]}}
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    lexicon = AspectLexicon.from_json(path)
    assert by_aspect("停车位太少了，物流也慢", lexicon) == {"parking": "negative"}
    assert lexicon.display_name("parking", "en") == "Parking"
