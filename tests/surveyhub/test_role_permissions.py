import pytest

from surveyhub.security.roles import Role
from tests.factories import SurveyFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_four_roles_exist_after_migrate():
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {"管理员 Admin", "经理 Manager", "问卷设计 Designer", "客服 Agent"} <= names


def test_an_agent_cannot_open_the_admin_user_pages(client):
    client.force_login(UserFactory(role=Role.AGENT))
    assert client.get("/admin/auth/user/").status_code == 403


def test_an_admin_can_open_the_admin_user_pages(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    assert client.get("/admin/auth/user/").status_code == 200


def test_a_manager_can_read_surveys_in_the_admin_but_not_delete_them(client):
    survey = SurveyFactory()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.get("/admin/surveys/survey/").status_code == 200
    assert client.get(f"/admin/surveys/survey/{survey.pk}/change/").status_code == 200
    assert client.get(f"/admin/surveys/survey/{survey.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/surveys/survey/{survey.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    survey.refresh_from_db()


def test_a_manager_can_list_surveys_through_the_api_but_not_delete_one(client):
    survey = SurveyFactory()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.get("/api/v1/surveys/").status_code == 200
    assert client.delete(f"/api/v1/surveys/{survey.pk}/").status_code == 403
    assert type(survey).objects.filter(pk=survey.pk).exists()


def test_an_agent_cannot_list_surveys_through_the_api(client):
    client.force_login(UserFactory(role=Role.AGENT))
    assert client.get("/api/v1/surveys/").status_code == 403


def test_api_accepts_a_token(client):
    from surveyhub.api.tokens import api_token_create

    _token, key = api_token_create(user=UserFactory(role=Role.DESIGNER))
    response = client.get("/api/v1/surveys/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_api_refuses_anonymous_requests(client):
    assert client.get("/api/v1/surveys/").status_code in {401, 403}
