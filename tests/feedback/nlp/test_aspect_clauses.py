"""Which clause each aspect is judged on: its own, or its own plus the next when it voices no
opinion and the next names no aspect; the lexicon's matching and names."""

import pytest

from feedback.nlp.aspects import AspectLexicon, analyse_aspects, analyse_aspects_normalized

pytestmark = pytest.mark.usefixtures("sentiment_model")


def clauses(text: str, lexicon: AspectLexicon | None = None) -> list[tuple[str, str, str]]:
    [aspects] = analyse_aspects([text], lexicon)
    return [(a.aspect, a.clause, a.label) for a in aspects]


def test_an_aspect_without_opinion_is_judged_with_the_next_clause_joined_by_a_comma():
    assert clauses("物流方面，太慢了，下次不来了") == [("delivery", "物流方面，太慢了", "negative")]


def test_an_aspect_with_its_own_opinion_keeps_its_own_clause():
    assert clauses("物流很快，谢谢") == [("delivery", "物流很快", "positive")]


def test_the_next_clause_is_not_borrowed_when_it_names_an_aspect_itself():
    assert clauses("物流方面，客服方面，太差了") == [
        ("delivery", "物流方面", "neutral"),
        ("service", "客服方面，太差了", "negative"),
    ]


def test_the_last_clause_has_nothing_to_borrow():
    assert clauses("物流方面") == [("delivery", "物流方面", "neutral")]


def test_each_aspect_of_a_clause_gets_that_clauses_sentiment():
    lexicon = AspectLexicon(
        {
            "delivery": {"zh": "物流", "triggers": ["物流"]},
            "speed": {"zh": "速度", "triggers": ["慢"]},
        }
    )

    assert clauses("物流太慢", lexicon) == [
        ("delivery", "物流太慢", "negative"),
        ("speed", "物流太慢", "negative"),
    ]


def test_scores_follow_their_texts_in_a_batch():
    results = analyse_aspects(["东西不错，物流太慢", "<p>", "", "物流很快"])

    assert [[(a.aspect, a.label) for a in r] for r in results] == [
        [("quality", "positive"), ("delivery", "negative")],
        [],
        [],
        [("delivery", "positive")],
    ]
    assert all(0.0 <= a.score <= 1.0 for r in results for a in r)


def test_normalised_texts_can_be_given_directly():
    [aspects] = analyse_aspects_normalized(["客服态度很好"])

    assert [(a.aspect, a.label, a.clause) for a in aspects] == [
        ("service", "positive", "客服态度很好")
    ]


def test_triggers_match_case_blind_and_names_fall_back_to_the_key():
    lexicon = AspectLexicon({"park": {"zh": "停车", "triggers": ["Parking", "车位"]}})

    assert lexicon.match("parking太难") == ["park"]
    assert lexicon.match("没有车位") == ["park"]
    assert lexicon.match("物流很快") == []
    assert lexicon.display_name("park") == "停车"
    assert lexicon.display_name("park", "en") == "park"
    assert lexicon.display_name("unknown", "en") == "unknown"


def test_an_aspect_without_triggers_never_matches():
    assert AspectLexicon({"x": {"zh": "X"}}).match("anything at all") == []


def test_the_shipped_lexicon_names_aspects_in_both_languages():
    lexicon = AspectLexicon()

    assert lexicon.display_name("delivery") == "物流/配送"
    assert lexicon.display_name("delivery", "en") == "Delivery"
    assert lexicon.match("快递很慢") == ["delivery"]
