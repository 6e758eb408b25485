"""Forbidden and missing pages speak the product's language and style with a way back; the
API keeps answering JSON; a manager opens what the README's role table lets them read."""

import pytest

from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "无权打开"), ("en", "Your role may not open this page")]
)
def test_a_forbidden_staff_page_is_ours_in_the_users_language_with_a_way_home(
    client, language, words
):
    client.force_login(UserFactory(role=Role.DESIGNER))
    page = client.get("/staff/cases/", HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 403
    html = page.content.decode()
    assert words in html
    assert 'href="/staff/"' in html and 'class="topbar"' in html
    assert "403 Forbidden" not in html


def test_a_missing_staff_page_is_ours_with_a_way_home(client):
    client.force_login(UserFactory(role=Role.AGENT))
    page = client.get("/staff/cases/999999/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 404
    html = page.content.decode()
    assert "页面不存在" in html
    assert 'href="/staff/"' in html and 'class="topbar"' in html


def test_a_missing_public_page_is_the_respondents_page(client):
    page = client.get("/s/no-such-survey/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 404
    assert 'class="respondent"' in page.content.decode()


def test_the_api_keeps_answering_json(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    answer = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 403
    assert answer["Content-Type"].startswith("application/json")


def test_a_manager_reads_the_imports_but_cannot_upload(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    page = client.get("/staff/analytics/imports/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Recent imports" in html and 'type="file"' not in html
    assert client.post("/staff/analytics/imports/", {"kind": "purchases"}).status_code == 403


def test_an_admin_still_gets_the_upload_form(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    page = client.get("/staff/analytics/imports/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'type="file"' in page.content.decode()
