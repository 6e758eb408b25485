"""/staff/surveys/<id>/responses/ and a response's page: the results' filters, search,
labels, where it came from, its feedback and case; never for designers."""

import pytest

from surveyhub.security.roles import Role
from surveys.models import PersonalDataAccess, Response
from tests.factories import CustomerFactory, UserFactory, detractor_case
from tests.surveys.results.helpers import survey_with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    client.force_login(UserFactory(role=Role.AGENT))
    return client


def test_the_list_takes_the_results_filters_and_a_search(agent):
    survey = survey_with_answers()
    html = agent.get(f"/staff/surveys/{survey.pk}/responses/", {"store": "BJ02"}).content.decode()
    assert "4 份答卷" in html
    html = agent.get(f"/staff/surveys/{survey.pk}/responses/", {"search": "包装"}).content.decode()
    assert "1 份答卷" in html
    target = Response.objects.get(answers__other_text="包装破损")
    assert f"/staff/surveys/{survey.pk}/responses/{target.pk}/" in html


def test_a_bad_filter_is_shown_beside_it(agent):
    survey = survey_with_answers()
    reply = agent.get(f"/staff/surveys/{survey.pk}/responses/", {"version": "9"})
    assert reply.status_code == 400
    assert "error" in reply.content.decode().split('id="f-version"')[1].split("</div>")[0]


def test_a_response_shows_labels_origin_customer_and_case(agent):
    customer = CustomerFactory(name="周芷若")
    case = detractor_case(customer=customer, nps=2, comment="客服太慢")
    response = case.response
    html = agent.get(
        f"/staff/surveys/{response.survey_id}/responses/{response.pk}/"
    ).content.decode()
    assert "客服太慢" in html and "周芷若" in html
    assert f"/staff/customers/{customer.pk}/" in html
    assert f"/staff/cases/{case.pk}/" in html
    assert PersonalDataAccess.objects.filter(resource="response", customer_id=customer.pk).exists()


def test_choice_answers_show_their_labels(agent):
    survey = survey_with_answers()
    response = Response.objects.get(survey=survey, nps_score=3)
    html = agent.get(f"/staff/surveys/{survey.pk}/responses/{response.pk}/").content.decode()
    assert "物流配送、价格" in html


def test_designers_never_see_single_responses(client):
    survey = survey_with_answers()
    response = Response.objects.filter(survey=survey).first()
    client.force_login(UserFactory(role=Role.DESIGNER))
    assert client.get(f"/staff/surveys/{survey.pk}/responses/").status_code == 403
    assert client.get(f"/staff/surveys/{survey.pk}/responses/{response.pk}/").status_code == 403
