"""An unexpected error is a clean 500: JSON under /api/, the static page elsewhere, and
nothing about the failure in either."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.surveyhub.boom_urls")]


@pytest.fixture
def client_500():
    return Client(raise_request_exception=False)


def test_an_api_client_gets_json(client_500, settings):
    settings.DEBUG = False
    response = client_500.get("/api/v1/boom/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The server had a problem; please try again in a moment."}
    assert b"kaboom" not in response.content


def test_the_message_is_in_chinese_by_default(client_500, settings):
    settings.DEBUG = False
    assert "服务器" in client_500.get("/api/v1/boom/").json()["detail"]


def test_a_page_gets_the_static_error_page(client_500, settings):
    settings.DEBUG = False
    response = client_500.get("/boom/")

    assert response.status_code == 500
    assert "出错了" in response.content.decode() and b"kaboom" not in response.content
