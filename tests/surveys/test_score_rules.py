"""The one definition of the score rules (surveys.scoring): every score of every scale, in
Python and in SQL, lands where PRODUCT.md says — NPS promoters 9–10, passives 7–8,
detractors 0–6; CSAT top-2-box 4–5; CES easy 5–7."""

import pytest
from django.db.models import Value

from surveys.models import Response
from surveys.scoring.expressions import nps_group_case, nps_group_counts, nps_group_q
from surveys.scoring.rules import NpsGroup, ces_easy, csat_satisfied, nps_group
from tests.factories import published_survey

NPS_BY_SCORE = {
    0: "detractor", 1: "detractor", 2: "detractor", 3: "detractor", 4: "detractor",
    5: "detractor", 6: "detractor", 7: "passive", 8: "passive", 9: "promoter", 10: "promoter",
}  # fmt: skip


def test_every_nps_score_has_the_group_of_the_product_definition():
    assert {score: nps_group(score) for score in range(11)} == NPS_BY_SCORE


def test_csat_top_2_box_is_4_and_5_and_ces_easy_is_5_to_7():
    assert [s for s in range(1, 6) if csat_satisfied(s)] == [4, 5]
    assert [s for s in range(1, 8) if ces_easy(s)] == [5, 6, 7]


@pytest.mark.parametrize(
    ("check", "bad"),
    [(nps_group, -1), (nps_group, 11), (nps_group, 8.5), (nps_group, True), (nps_group, None),
     (csat_satisfied, 0), (csat_satisfied, 6), (ces_easy, 0), (ces_easy, 8)],
)  # fmt: skip
def test_a_score_off_its_scale_is_refused(check, bad):
    with pytest.raises(ValueError, match="must be an integer from"):
        check(bad)


@pytest.mark.django_db
def test_the_sql_expressions_group_every_score_as_python_does():
    survey = published_survey(consent_text="")
    for score in range(11):
        Response.objects.create(
            survey=survey, version=survey.current_version, status="completed", nps_score=score
        )
    Response.objects.create(survey=survey, version=survey.current_version, status="completed")
    responses = Response.objects.all()

    by_case = dict(
        responses.annotate(group=nps_group_case("nps_score")).values_list("nps_score", "group")
    )
    assert by_case == {**NPS_BY_SCORE, None: None}
    for group in NpsGroup:
        in_group = sorted(responses.filter(nps_group_q("nps_score", group)).values_list(
            "nps_score", flat=True
        ))  # fmt: skip
        assert in_group == [s for s, g in NPS_BY_SCORE.items() if g == group]
    counts = responses.aggregate(**nps_group_counts())
    assert counts == {"promoters": 2, "passives": 2, "detractors": 7}
    # Counted on another column, distinct: the same groups.
    distinct = responses.annotate(one=Value(1)).aggregate(
        **nps_group_counts(score="nps_score", on="one", distinct=True)
    )
    assert distinct == {"promoters": 1, "passives": 1, "detractors": 1}
