import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_pages_redirect_anonymous_visitors_to_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_login_page_speaks_english_when_the_browser_asks(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Staff log in" in response.content.decode()


def test_a_staff_user_logs_in_and_sees_the_staff_home(client):
    UserFactory(username="王经理", role="经理 Manager")
    response = client.post(
        "/accounts/login/", {"username": "王经理", "password": "pw-for-tests-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/staff/"
    assert "王经理" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="agent1")
    response = client.post("/accounts/login/", {"username": "agent1", "password": "nope"})
    assert response.status_code == 200
    assert "error" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/accounts/logout/")
    assert client.get("/staff/").status_code == 302


def test_an_unknown_page_gets_a_friendly_chinese_404(client):
    reply = client.get("/no/such/page/")
    assert reply.status_code == 404
    assert "页面不存在" in reply.content.decode()
