"""Answer rules at edges the mutation run of the submit found untested: a blank text or an
empty choice is no answer (no empty Answer row), an answer cleared on a page is removed from
the draft, a required matrix with a blank row does not hide the next required question's
error, and a response without any answer is written by PostgreSQL's single statement."""

import uuid

import pytest
from django.utils import translation

from surveys.design.services import survey_create, survey_publish
from surveys.errors import SurveyError
from surveys.models import Answer, Response
from surveys.queries import current_questions
from surveys.responding.services import response_save_page, response_submit

OPTIONS = [{"value": "price", "label": "价格"}, {"value": "delivery", "label": "配送"}]
ROWS = [{"value": "quality", "label": "产品质量"}, {"value": "speed", "label": "配送速度"}]


def _survey(questions):
    survey = survey_create(title="边界 ✨", slug=f"edges-{uuid.uuid4().hex[:8]}", kind="custom",
                           questions=questions)  # fmt: skip
    return survey_publish(survey=survey)


OPTIONAL = [
    {"key": "nps", "type": "nps", "text": "您有多大可能推荐我们？"},
    {"key": "title", "type": "short_text", "text": "一句話評價"},
    {"key": "reasons", "type": "multiple", "text": "原因", "options": OPTIONS},
    {"key": "visit", "type": "date", "text": "哪天到店？"},
    {"key": "grid", "type": "matrix", "text": "请为以下方面打分", "options": ROWS},
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "blank",
    [{"title": ""}, {"title": "   "}, {"reasons": []}, {"visit": ""}, {"grid": {}},
     {"grid": {"quality": "", "speed": ""}}],
)  # fmt: skip
def test_a_blank_text_date_choice_or_grid_stores_no_answer(blank):
    survey = _survey(OPTIONAL)
    response, created = response_submit(survey=survey, data={"nps": 8, **blank})
    assert created
    assert sorted(
        Answer.objects.filter(response=response).values_list("question_key", flat=True)
    ) == ["nps"]


@pytest.mark.django_db
def test_an_answer_cleared_on_a_page_is_removed_from_the_draft():
    survey = _survey(OPTIONAL)
    version, questions = survey.current_version, current_questions(survey)

    def save(data, response=None):
        return response_save_page(survey=survey, version=version, questions=questions,
                                  page=questions, data=data, response=response)  # fmt: skip

    draft, errors = save({"nps": "3", "title": "物流太慢了🐢", "reasons": ["delivery"]})
    assert errors == {}
    assert set(draft.answers.values_list("question_key", flat=True)) == {"nps", "title", "reasons"}

    draft, errors = save({"nps": "3", "title": "", "reasons": []}, response=draft)
    assert errors == {}
    assert set(draft.answers.values_list("question_key", flat=True)) == {"nps"}


@pytest.mark.django_db
def test_a_matrix_blank_row_and_a_missing_required_answer_are_both_reported():
    survey = _survey([
        {"key": "grid", "type": "matrix", "required": True, "text": "请为以下方面打分",
         "options": ROWS},
        {"key": "why", "type": "short_text", "required": True, "text": "为什么？"},
    ])  # fmt: skip
    with translation.override("zh-hans"), pytest.raises(SurveyError) as error:
        response_submit(survey=survey, data={"grid": {"quality": 4}})
    assert set(error.value.errors) == {"grid", "why"}
    assert "配送速度" in error.value.errors["grid"]
    assert not Response.objects.exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_response_without_any_answer_is_written_by_the_single_statement():
    from django.db import connection

    assert connection.vendor == "postgresql"
    survey = _survey(OPTIONAL)
    response, created = response_submit(survey=survey, data={"title": ""})
    assert created
    stored = Response.objects.get(pk=response.pk)
    assert stored.status == "completed" and stored.nps_score is None
    assert not stored.answers.exists()
