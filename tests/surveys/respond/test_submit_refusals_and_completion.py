"""What the submit says when it refuses, and what completing a draft records — the messages
and fields the mutation run of surveys/responding/services.py found unasserted."""

import uuid

import pytest
from django.utils import timezone, translation

from surveys.design.services import survey_create, survey_publish
from surveys.errors import SurveyError
from surveys.models import Response, ResponseStatus
from surveys.queries import current_questions
from surveys.responding.services import response_complete, response_save_page, response_submit

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"key": "nps", "type": "nps", "text": "您有多大可能推荐我们？"},
    {"key": "why", "type": "long_text", "text": "哪裡讓您失望了？😞",
     "show_if": {"question": "nps", "op": "lte", "value": 6}},
]  # fmt: skip


def _survey(**fields):
    survey = survey_create(title="完成 ✅", slug=f"done-{uuid.uuid4().hex[:8]}", kind="custom",
                           questions=QUESTIONS, **fields)  # fmt: skip
    return survey_publish(survey=survey)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_submission_id_used_for_another_survey_is_refused_naming_the_field():
    first, second = _survey(), _survey()
    submission = uuid.uuid4()
    response_submit(survey=first, data={"nps": 9}, submission_id=submission)
    with pytest.raises(SurveyError) as error:
        response_submit(survey=second, data={"nps": 3}, submission_id=submission)
    assert error.value.message == "This submission_id was already used for another survey."
    assert error.value.errors == {"submission_id": "Already used for another survey."}
    assert Response.objects.count() == 1


def test_a_survey_asking_for_consent_refuses_answers_without_it_naming_the_field():
    survey = _survey(consent_text="我们会用您的回答改进服务。")
    with pytest.raises(SurveyError) as error:
        response_submit(survey=survey, data={"nps": 9})
    assert error.value.message == "Please accept the privacy notice to continue."
    assert error.value.errors == {"consent": "This survey asks for consent to the privacy notice."}
    assert not Response.objects.exists()
    before = timezone.now()
    response, created = response_submit(survey=survey, data={"nps": 9}, consent_given=True,
                                        language="en")  # fmt: skip
    assert created
    stored = Response.objects.get(pk=response.pk)
    assert stored.consent_version == survey.current_version.number
    assert stored.consent_text_id is not None  # the wording they agreed to, kept
    assert before <= stored.consented_at <= timezone.now()
    assert abs(stored.completed_at - stored.started_at).total_seconds() < 1  # one submit
    assert stored.language == "en"


def test_without_a_consent_text_nothing_of_consent_is_recorded():
    response, _ = response_submit(survey=_survey(), data={"nps": 6}, consent_given=True)
    stored = Response.objects.get(pk=response.pk)
    assert (stored.consent_version, stored.consent_text_id, stored.consented_at) == (None,) * 3


def test_a_survey_not_yet_open_or_not_published_says_which():
    from datetime import timedelta

    later = _survey(opens_at=timezone.now() + timedelta(days=2))
    with pytest.raises(SurveyError) as error:
        response_submit(survey=later, data={"nps": 9})
    assert error.value.message == "This survey is not open yet."
    draft = survey_create(title="草稿", slug=f"draft-{uuid.uuid4().hex[:8]}", kind="custom",
                          questions=QUESTIONS)  # fmt: skip
    with pytest.raises(SurveyError) as error:
        response_submit(survey=draft, data={"nps": 9})
    assert error.value.message == "This survey has not been published."
    assert not Response.objects.exists()


def test_completing_a_draft_records_when_and_which_submission_and_drops_hidden_answers(
    django_capture_on_commit_callbacks,
):
    survey = _survey()
    version, questions = survey.current_version, current_questions(survey)

    def save(data, response=None):
        return response_save_page(survey=survey, version=version, questions=questions,
                                  page=questions, data=data, response=response)  # fmt: skip

    draft, _ = save({"nps": "3", "why": "客服不回消息"})
    draft, _ = save({"nps": "9"}, response=draft)  # "why" is hidden now
    submission = uuid.uuid4()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response_complete(response=draft, submission_id=submission)

    stored = Response.objects.get(pk=draft.pk)
    assert stored.status == ResponseStatus.COMPLETED and stored.nps_score == 9
    assert before <= stored.completed_at <= timezone.now()
    assert stored.submission_id == submission
    assert list(stored.answers.values_list("question_key", flat=True)) == ["nps"]
    assert stored.announced_at is not None  # announced once committed (in-process tasks)
