import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveyhub.security.roles import Role
from surveys.responding.services import response_submit
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


@pytest.fixture
def manager(client):
    # Managers read responses; designers do not (surveyhub/roles.py).
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


NEW_SURVEY = {
    "title": "门店服务评价",
    "title_en": "Store service",
    "slug": "store-csat",
    "kind": "csat",
    "questions": [
        {"key": "csat", "type": "csat", "required": True, "text": "您对门店服务满意吗？"},
        {
            "key": "why",
            "type": "long_text",
            "text": "哪里需要改进？",
            "show_if": {"question": "csat", "op": "lte", "value": 2},
        },
    ],
}


def test_a_designer_creates_a_survey_with_questions_and_logic(designer):
    reply = designer.post("/api/v1/surveys/", NEW_SURVEY, content_type="application/json")
    assert reply.status_code == 201, reply.json()
    body = reply.json()
    assert body["status"] == "draft"
    assert [q["key"] for q in body["questions"]] == ["csat", "why"]
    assert body["questions"][1]["show_if"] == {"question": "csat", "op": "lte", "value": 2}


def test_a_survey_from_a_template_in_one_call(designer):
    reply = designer.post(
        "/api/v1/surveys/", {"template": "ces", "slug": "ces-q4"}, content_type="application/json"
    )
    assert reply.status_code == 201, reply.json()
    assert reply.json()["kind"] == "ces"
    assert reply.json()["questions"][0]["type"] == "ces"


def test_a_survey_from_a_template_keeps_the_title_given(designer):
    reply = designer.post(
        "/api/v1/surveys/", {"template": "ces", "slug": "ces-q1", "title": "退货办理难易度 ✨"},
        content_type="application/json",
    )  # fmt: skip
    assert reply.status_code == 201, reply.json()
    assert (reply.json()["title"], reply.json()["kind"]) == ("退货办理难易度 ✨", "ces")


def test_invalid_logic_is_refused_with_the_question_named(designer):
    bad = {**NEW_SURVEY, "questions": [{**NEW_SURVEY["questions"][1]}, NEW_SURVEY["questions"][0]]}
    reply = designer.post("/api/v1/surveys/", bad, content_type="application/json")
    assert reply.status_code == 400
    assert "questions.why" in reply.json()["errors"]
    from surveys.models import Survey

    assert not Survey.objects.filter(slug="store-csat").exists()


def test_a_taken_slug_is_refused_with_a_message(designer):
    published_survey(slug="store-csat")
    reply = designer.post("/api/v1/surveys/", NEW_SURVEY, content_type="application/json")
    assert reply.status_code == 400
    assert reply.json()["errors"]["slug"] == ["此链接标识已被其他问卷使用。"]


def test_publish_and_close_change_the_status(designer):
    created = designer.post("/api/v1/surveys/", NEW_SURVEY, content_type="application/json").json()
    published = designer.post(f"/api/v1/surveys/{created['id']}/publish/")
    assert published.json()["status"] == "active"
    closed = designer.post(f"/api/v1/surveys/{created['id']}/close/")
    assert closed.json()["status"] == "closed"


def test_a_manager_cannot_publish(client):
    survey = published_survey()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.post(f"/api/v1/surveys/{survey.pk}/close/").status_code == 403


def test_updating_questions_of_an_answered_survey_keeps_its_answers(designer):
    survey = published_survey(consent_text="")
    response_submit(survey=survey, data={"nps": 7})
    reply = designer.patch(
        f"/api/v1/surveys/{survey.pk}/",
        {"questions": [{"key": "nps", "type": "nps", "required": True, "text": "推荐意愿？"}]},
        content_type="application/json",
    )
    assert reply.status_code == 200, reply.json()
    assert reply.json()["version"] == 2
    assert reply.json()["response_count"] == 1


def test_the_survey_list_uses_a_fixed_number_of_queries(designer):
    for n in range(5):
        published_survey(slug=f"list-{n}")
    with CaptureQueriesContext(connection) as queries:
        reply = designer.get("/api/v1/surveys/")
    assert reply.json()["count"] == 5
    assert len(queries) <= 8


def test_responses_are_listed_with_answers_and_filtered_by_survey(manager):
    first = published_survey(consent_text="")
    second = published_survey(consent_text="")
    response_submit(survey=first, data={"nps": 10, "praise": "包装很用心"})
    response_submit(survey=second, data={"nps": 2})
    reply = manager.get(f"/api/v1/responses/?survey={first.pk}")
    body = reply.json()
    assert body["count"] == 1
    result = body["results"][0]
    assert result["nps_group"] == "promoter"
    answers = {a["question"]: a["value"] for a in result["answers"]}
    assert answers == {"nps": 10, "praise": "包装很用心"}


def test_a_malformed_date_filter_is_a_400(manager):
    reply = manager.get("/api/v1/responses/?from=yesterday")
    assert reply.status_code == 400
    assert "from" in reply.json()["errors"]


def test_a_published_survey_nobody_answered_can_be_deleted_with_its_consent_texts(designer):
    """Its consent texts (kept for the answers) go with it; an answered one is refused."""
    unanswered = published_survey(slug="never-answered")
    assert unanswered.consent_texts.exists()
    assert designer.delete(f"/api/v1/surveys/{unanswered.pk}/").status_code == 204

    answered = published_survey(slug="answered")
    response_submit(survey=answered, data={"nps": 9}, consent_given=True)
    refused = designer.delete(f"/api/v1/surveys/{answered.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and refused.json()["detail"]
