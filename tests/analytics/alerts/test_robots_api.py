"""/api/v1/alert-robots/: Admins only (reads included); the webhook address and the signing
secret are write-only credentials — never in an answer, the schema's examples or the logs —
shown masked by their last four characters; bad input names the field."""

import json
import logging

import pytest
from django.test import Client

from analytics.alerts.services import AlertError, robot_test
from analytics.models import AlertRobot
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "d6f0c1b9a8e7f6d5c4b3a2910fedcba9876543210abcdef1234567890abcd9f3a"
SECRET = "SECb1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d47c2e"
URL = f"https://oapi.dingtalk.com/robot/send?access_token={TOKEN}"
ROBOT = {"name": "管理層 釘釘 🤖", "kind": "dingtalk", "url": URL, "secret": SECRET}


def api(role) -> Client:
    _token, key = api_token_create(user=UserFactory(role=role))
    return Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="zh-hans")


def no_credential_in(text: str) -> None:
    assert TOKEN not in text and SECRET not in text
    assert TOKEN[-12:] not in text and SECRET[-12:] not in text


def test_an_admin_creates_a_robot_and_never_reads_its_credentials_back(caplog):
    admin = api(Role.ADMIN)
    caplog.set_level(logging.DEBUG)

    created = admin.post("/api/v1/alert-robots/", ROBOT, content_type="application/json")
    listed = admin.get("/api/v1/alert-robots/")
    one = admin.get(f"/api/v1/alert-robots/{created.json()['id']}/")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["url_hint"] == "https://oapi.dingtalk.com/…9f3a"
    assert body["has_secret"] is True and body["secret_hint"] == "…7c2e"
    assert "url" not in body and "secret" not in body
    assert listed.json()["results"][0]["name"] == "管理層 釘釘 🤖"
    for response in (created, listed, one):
        no_credential_in(response.content.decode())
    no_credential_in(caplog.text)
    robot = AlertRobot.objects.get()
    assert robot.url == URL and robot.secret == SECRET  # stored whole, for the deliveries


def test_a_patch_without_the_credentials_keeps_them_and_a_new_address_replaces_it():
    admin = api(Role.ADMIN)
    pk = admin.post("/api/v1/alert-robots/", ROBOT, content_type="application/json").json()["id"]

    renamed = admin.patch(f"/api/v1/alert-robots/{pk}/", {"name": "运营群", "is_active": False},
                          content_type="application/json")  # fmt: skip
    moved = admin.patch(f"/api/v1/alert-robots/{pk}/",
                        {"url": "https://oapi.dingtalk.com/robot/send?access_token=new-one-0042"},
                        content_type="application/json")  # fmt: skip

    assert renamed.status_code == 200 and renamed.json()["name"] == "运营群"
    assert moved.json()["url_hint"] == "https://oapi.dingtalk.com/…0042"
    robot = AlertRobot.objects.get()
    assert robot.secret == SECRET and not robot.is_active
    assert robot.url.endswith("new-one-0042")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"url": "ftp://example.cn/hook"}, "url", "请输入合法的URL"),
        ({"url": ""}, "url", "该字段不能为空"),
        ({"secret": "not-a-dingtalk-secret"}, "secret", "SEC"),
        ({"kind": "slack"}, "kind", "不是合法选项"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_in_chinese_and_nothing_is_saved(
    change, field, message
):
    response = api(Role.ADMIN).post(
        "/api/v1/alert-robots/", {**ROBOT, **change}, content_type="application/json"
    )

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors and message in errors[field][0]
    no_credential_in(response.content.decode())
    assert not AlertRobot.objects.exists()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.DESIGNER, Role.AGENT])
def test_everyone_but_admins_is_refused_even_reading(role):
    AlertRobot.objects.create(name="客服群", kind="dingtalk", url=URL, secret=SECRET)
    client = api(role)

    assert client.get("/api/v1/alert-robots/").status_code == 403
    assert client.get(f"/api/v1/alert-robots/{AlertRobot.objects.get().pk}/").status_code == 403
    posted = client.post("/api/v1/alert-robots/", ROBOT, content_type="application/json")
    assert posted.status_code == 403
    assert Client().get("/api/v1/alert-robots/").status_code in (401, 403)
    assert AlertRobot.objects.count() == 1


def test_the_schema_documents_the_resource_with_write_only_credentials_and_masked_examples():
    schema = api(Role.ADMIN).get("/api/schema/?format=json")
    text = schema.content.decode()
    doc = json.loads(text)

    assert "/api/v1/alert-robots/" in doc["paths"]
    assert "/api/v1/alert-robots/{id}/" in doc["paths"]
    fields = doc["components"]["schemas"]["AlertRobot"]["properties"]
    assert fields["url"]["writeOnly"] is True and fields["secret"]["writeOnly"] is True
    assert all(fields[f]["readOnly"] for f in ("url_hint", "secret_hint", "has_secret"))
    no_credential_in(text)
    assert "access_token=<token>" in text  # the example is a placeholder


def test_a_network_failure_does_not_put_the_address_in_the_error_or_the_log(caplog):
    robot = AlertRobot.objects.create(
        name="坏地址", kind="wecom", url=f"http://127.0.0.1:9/cgi-bin/webhook/send?key={TOKEN}"
    )
    caplog.set_level(logging.DEBUG)

    with pytest.raises(AlertError) as failed:
        robot_test(robot)

    no_credential_in(str(failed.value.message) + caplog.text)
