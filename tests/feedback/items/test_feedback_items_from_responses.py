"""A completed response's free-text answers become feedback items, once each."""

import pytest

from feedback.analysis.items import feedback_items_from_response
from feedback.models import AnalysisStatus, FeedbackItem
from surveys.responding.services import response_submit
from surveys.signals import response_submitted
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db


def test_each_text_answer_and_other_text_becomes_one_analysed_item(
    django_capture_on_commit_callbacks,
):
    survey = published_survey()
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = response_submit(
            survey=survey,
            data={
                "nps": 3,
                "reason": ["delivery", "__other__"],
                "reason_other": "发票开错了",
                "comment": "东西不错但是物流太慢",
            },
            consent_given=True,
        )

    items = {i.question_key: i for i in FeedbackItem.objects.filter(response=response)}
    assert set(items) == {"reason", "comment"}
    assert items["reason"].text == "发票开错了"
    assert items["comment"].survey_id == survey.pk
    assert items["comment"].source == "survey"
    # The response's score and time travel with each item (topic drivers read them there).
    assert {i.nps_score for i in items.values()} == {3}
    assert items["comment"].created_at == response.completed_at
    # Tasks run in-process in these tests: the analysis is already stored.
    assert items["comment"].analysis_status == AnalysisStatus.DONE
    assert items["comment"].sentiment_label == "negative"


def test_a_response_without_text_creates_no_item(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = response_submit(
            survey=published_survey(), data={"nps": 8}, consent_given=True
        )
    assert not FeedbackItem.objects.filter(response=response).exists()


def test_the_signal_sent_twice_creates_nothing_twice(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = response_submit(
            survey=published_survey(),
            data={"nps": 10, "praise": "包装很用心，客服很耐心"},
            consent_given=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        response_submitted.send(sender=type(response), response_id=response.pk)
        response_submitted.send(sender=type(response), response_id=response.pk)
    assert FeedbackItem.objects.filter(response=response).count() == 1


def test_the_item_belongs_to_the_responses_customer():
    survey = published_survey()
    response, _ = response_submit(
        survey=survey, data={"nps": 9, "praise": "很好"}, consent_given=True
    )
    customer = CustomerFactory()
    type(response).objects.filter(pk=response.pk).update(customer=customer)
    feedback_items_from_response(response_id=response.pk)
    assert FeedbackItem.objects.get(response=response).customer == customer


def test_an_unknown_or_unfinished_response_is_ignored():
    assert feedback_items_from_response(response_id=999_999) == []
