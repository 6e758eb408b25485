"""Editing a survey that has answers creates a new version; old answers stay readable."""

import pytest

from surveys.design.services import question_add, question_change, question_delete, question_move
from surveys.models import Response, SurveyVersion
from surveys.responding.services import response_submit
from tests.factories import published_survey

pytestmark = pytest.mark.django_db


def test_editing_a_survey_without_answers_changes_the_same_version():
    survey = published_survey(consent_text="")
    question_change(survey=survey, key="comment", changes={"text": "其他建议？"})
    survey.refresh_from_db()
    assert survey.current_version.number == 1
    assert survey.current_version.questions.get(key="comment").text == "其他建议？"


def test_editing_an_answered_survey_creates_version_2_and_keeps_old_answers():
    survey = published_survey(consent_text="")
    old, _ = response_submit(survey=survey, data={"nps": 4, "comment": "客服态度差"})

    question_change(survey=survey, key="comment", changes={"text": "还有其他建议吗？"})
    question_add(survey=survey, spec={"key": "city", "type": "short_text", "text": "您所在的城市"})

    survey.refresh_from_db()
    assert survey.current_version.number == 2
    assert SurveyVersion.objects.filter(survey=survey).count() == 2
    old = Response.objects.get(pk=old.pk)
    assert old.version.number == 1
    assert old.answers.get(question_key="comment").question.text == "还有什么想告诉我们的吗？"
    new, _ = response_submit(survey=survey, data={"nps": 9, "city": "杭州"})
    assert new.version.number == 2
    # Both versions count together by question key.
    assert Response.objects.filter(survey=survey, nps_score__isnull=False).count() == 2


def test_moving_a_question_above_the_one_its_logic_depends_on_is_refused():
    from surveys.errors import SurveyError

    survey = published_survey(consent_text="")
    with pytest.raises(SurveyError) as error:
        question_move(survey=survey, key="reason", offset=-1)
    assert "显示逻辑无效" in next(iter(error.value.errors.values()))


def test_deleting_a_question_other_questions_depend_on_is_refused():
    from surveys.errors import SurveyError

    survey = published_survey(consent_text="")
    with pytest.raises(SurveyError):
        question_delete(survey=survey, key="nps")
    assert survey.current_version.questions.filter(key="nps").exists()


@pytest.mark.parametrize(
    "template", ["relationship_nps", "transactional_nps", "service_csat", "ces"]
)
def test_every_template_makes_a_publishable_survey_in_chinese_and_english(template):
    survey = published_survey(template)
    questions = list(survey.current_version.questions.all())
    assert questions
    assert all(q.text and q.text_en for q in questions)
    assert survey.title and survey.title_en
