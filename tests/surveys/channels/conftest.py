"""Fixtures of the channel tests: local fakes of WeChat and of the SMS providers."""

import secrets

import pytest

from tests.factories import CustomerFactory, published_survey
from tests.surveys.channels.fakes import FakeSms, FakeWeChat


@pytest.fixture
def fake_wechat(settings):
    # A new app id per test: the cached access_token / jsapi_ticket are keyed by it.
    with FakeWeChat(app_id=f"wx{secrets.token_hex(8)}") as fake:
        settings.SURVEYHUB_WECHAT_APP_ID = fake.app_id
        settings.SURVEYHUB_WECHAT_APP_SECRET = fake.secret
        settings.SURVEYHUB_WECHAT_API_URL = fake.url
        settings.SURVEYHUB_WECHAT_OAUTH_URL = fake.url + "connect/"
        settings.SURVEYHUB_SITE_URL = settings.SITE_URL = "http://testserver"
        yield fake


@pytest.fixture(params=["aliyun", "tencent"])
def fake_sms(request, settings):
    with FakeSms() as fake:
        settings.SURVEYHUB_SMS_PROVIDER = request.param
        settings.SURVEYHUB_SMS_ACCESS_KEY_ID = fake.key_id
        settings.SURVEYHUB_SMS_ACCESS_KEY_SECRET = fake.secret
        settings.SURVEYHUB_SMS_SIGN_NAME = "悦购商城"
        settings.SURVEYHUB_SMS_TEMPLATE = "SMS_4567890" if request.param == "aliyun" else "1234567"
        settings.SURVEYHUB_SMS_APP_ID = "1400000001"
        settings.SURVEYHUB_SMS_ENDPOINT = fake.url
        settings.SURVEYHUB_SMS_CALLBACK_TOKEN = "cb9f8e7d6c5b4a39"
        settings.SITE_URL = "http://testserver"
        fake.provider = request.param
        yield fake


@pytest.fixture
def survey(db):
    return published_survey(consent_text="")


@pytest.fixture
def customer(db):
    def make(name="王芳", phone="+8613800138000", **fields):
        return CustomerFactory(name=name, phone=phone, **fields)

    return make


@pytest.fixture
def eager_retries():
    """In-process tasks retry at once instead of raising celery's Retry to the caller."""
    from surveyhub.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
