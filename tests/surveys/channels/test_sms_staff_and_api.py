"""SMS in the builder's distribution form and in the API where distributions are created,
sent through to the fake provider; and the survey's WeChat identity setting."""

import pytest
from rest_framework.test import APIClient

from surveys.models import Distribution, Survey
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer_page(client):
    client.force_login(UserFactory(username="designer-sms", role="问卷设计 Designer"))
    return client


@pytest.fixture
def designer_api():
    client = APIClient()
    client.force_authenticate(UserFactory(username="designer-sms-api", role="问卷设计 Designer"))
    return client


def test_the_distribution_form_offers_sms_and_creates_one(
    designer_page, survey, fake_sms, django_capture_on_commit_callbacks
):
    page = designer_page.get(f"/staff/distributions/survey/{survey.pk}/").content.decode()
    assert '<option value="sms">短信</option>' in page
    CustomerFactory(name="冯军", phone="+8613100131000", region="北京")
    with django_capture_on_commit_callbacks(execute=True):  # the audience's build task
        reply = designer_page.post(
            f"/staff/distributions/survey/{survey.pk}/",
            {"name": "北京短信回访", "channel": "sms", "region": "北京", "max_reminders": "0"},
        )
    distribution = Distribution.objects.get()
    assert reply.status_code == 302
    assert (distribution.channel, distribution.audience) == ("sms", {"region": ["北京"]})
    designer_page.post(f"/staff/distributions/{distribution.pk}/send/")
    distribution.refresh_from_db()
    assert distribution.status in ("sending", "sent")


def test_the_form_says_in_chinese_when_sms_is_not_set_up(designer_page, survey, settings):
    settings.SURVEYHUB_SMS_PROVIDER = ""
    reply = designer_page.post(
        f"/staff/distributions/survey/{survey.pk}/",
        {"channel": "sms", "everyone": "on", "max_reminders": "0"},
    )
    assert reply.status_code == 400
    assert "此服务器尚未配置短信" in reply.content.decode()
    assert not Distribution.objects.exists()


def test_the_api_creates_an_sms_distribution(designer_api, survey, fake_sms):
    reply = designer_api.post(
        "/api/v1/distributions/",
        {"survey": survey.pk, "channel": "sms", "name": "短信·三月", "audience": {"all": True}},
        format="json",
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["channel"] == "sms"


def test_the_api_refuses_reminders_on_sms_naming_the_field(designer_api, survey, fake_sms):
    reply = designer_api.post(
        "/api/v1/distributions/",
        {"survey": survey.pk, "channel": "sms", "audience": {"all": True},
         "reminder_after_days": 3, "max_reminders": 1},
        format="json",
    )  # fmt: skip
    assert reply.status_code == 400
    assert "短信邀请不发送提醒" in reply.json()["errors"]["max_reminders"][0]


def test_the_survey_api_sets_and_validates_wechat_identity(designer_api, survey):
    reply = designer_api.patch(
        f"/api/v1/surveys/{survey.pk}/", {"wechat_identity": "once"}, format="json"
    )
    assert reply.status_code == 200, reply.content
    assert Survey.objects.get(pk=survey.pk).wechat_identity == "once"
    bad = designer_api.patch(
        f"/api/v1/surveys/{survey.pk}/", {"wechat_identity": "always"}, format="json"
    )
    assert bad.status_code == 400
    assert "wechat_identity" in bad.json()["errors"]


def test_the_builder_settings_set_the_wechat_identity(designer_page, survey):
    page = designer_page.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert '<option value="once">每个微信用户只能回答一次</option>' in page
    data = {"title": survey.title, "languages": ["zh-hans"], "intro": "", "thank_you": ""}
    reply = designer_page.post(f"/staff/surveys/{survey.pk}/", {**data, "wechat_identity": "once"})
    assert reply.status_code == 302
    assert Survey.objects.get(pk=survey.pk).wechat_identity == "once"
    bad = designer_page.post(f"/staff/surveys/{survey.pk}/", {**data, "wechat_identity": "总是"})
    assert bad.status_code == 200 and "选择一个有效的选项" in bad.content.decode()
    assert Survey.objects.get(pk=survey.pk).wechat_identity == "once"
