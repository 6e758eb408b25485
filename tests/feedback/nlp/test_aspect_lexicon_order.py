"""Aspect matching at the edges the mutation run found untested: clauses without an aspect
before the ones with one, an aspect named twice, triggers that contain each other, and the
order aspects are listed in."""

from feedback.nlp import sentiment
from feedback.nlp.aspects import AspectLexicon, analyse_aspects

LEXICON = AspectLexicon(
    {
        # Lexicon order on purpose not alphabetical: results follow the lexicon.
        "zeta_delivery": {"zh": "物流", "en": "Delivery", "triggers": ["物流", "快递"]},
        "alpha_price": {"zh": "价格", "en": "Price", "triggers": ["价格"]},
        "refund": {"zh": "退款", "en": "Refunds", "triggers": ["退款"]},
        "refund_process": {"zh": "退款流程", "en": "Refund process", "triggers": ["退款流程"]},
        "service": {"zh": "客服", "en": "Service", "triggers": ["客服"]},
    }
)


def aspects_of(text: str) -> dict[str, str]:
    [found] = analyse_aspects([text], LEXICON)
    return {a.aspect: a.clause for a in found}


def test_aspects_after_clauses_that_name_none_are_still_found():
    found = aspects_of("总体来说还可以吧，物流太慢了，价格也贵")
    assert set(found) == {"zeta_delivery", "alpha_price"}
    assert found["zeta_delivery"] == "物流太慢了"


def test_two_plain_clauses_in_a_row_before_an_aspect():
    assert set(aspects_of("嗯，还行，快递员态度很差")) == {"zeta_delivery"}


def test_a_longer_trigger_is_found_where_a_shorter_one_starts_at_the_same_place():
    # "退款流程" begins with "退款": both aspects are named.
    assert LEXICON.match("退款流程太复杂了") == ["refund", "refund_process"]
    assert LEXICON.match("退款很快") == ["refund"]


def test_a_clause_lists_its_aspects_in_lexicon_order_a_comment_in_order_of_mention():
    assert LEXICON.match("价格太贵物流也慢") == ["zeta_delivery", "alpha_price"]
    [found] = analyse_aspects(["价格太贵，物流也慢"], LEXICON)
    assert [a.aspect for a in found] == ["alpha_price", "zeta_delivery"]


def test_an_aspect_named_twice_keeps_the_clause_with_the_clearer_opinion():
    first, second = "客服还算可以吧", "客服态度极其恶劣"
    scores = dict(zip((first, second), sentiment.score([first, second]), strict=True))
    clarity = {c: abs(scores[c] - 0.5) for c in scores}
    assert abs(clarity[first] - clarity[second]) > 0.05, scores  # not a tie
    clearer = max(clarity, key=clarity.get)
    for text in (f"{first}。{second}", f"{second}。{first}"):
        [found] = analyse_aspects([text], LEXICON)
        assert [a.aspect for a in found] == ["service"], text
        assert found[0].clause == clearer, (text, scores)
