"""The server decides whether an in-page survey is shown: the page path and the visitor's
attributes (`SurveyHub.identify`) are sent to it, and it answers with the targeting, the
survey being open and the device's re-contact limit — the script's own checks are only a
pre-filter."""

import json
from urllib.parse import urlencode

import pytest

from surveys.inpage.models import ContactOutcome, InPageSurvey
from surveys.inpage.services import contact_record
from surveys.inpage.targeting import as_script_text
from tests.factories import published_survey

pytestmark = pytest.mark.django_db

SHOP = "https://shop.example.cn"
DEVICE = "d3v1ce0000targeting01"


@pytest.fixture
def in_page():
    survey = published_survey(slug="shop-nps")
    return InPageSurvey.objects.create(
        name="會員結帳後 NPS", survey=survey, allowed_origins=SHOP, trigger="event",
        event_name="checkout", url_pattern="/order/*/done",
        attribute_rules="plan=金卡\nuserId=*\nvip=true", recontact_days=30,
    )  # fmt: skip


GOLD = {"plan": "金卡", "userId": "C1001", "vip": True}


def eligible(client, in_page, *, path="/order/20261206-001/done", attrs=GOLD, device=DEVICE,
             origin=SHOP):  # fmt: skip
    query = {"device": device}
    if path is not None:
        query["path"] = path
    if attrs is not None:
        query["attrs"] = attrs if isinstance(attrs, str) else json.dumps(attrs, ensure_ascii=False)
    return client.get(
        f"/embed/v1/eligible/{in_page.key}/?{urlencode(query)}", headers={"Origin": origin}
    )


def shown(client, in_page, **visit) -> bool:
    reply = eligible(client, in_page, **visit)
    assert reply.status_code == 200, reply.content
    assert reply["Access-Control-Allow-Origin"] == SHOP
    assert reply["Cache-Control"] == "private, no-store"
    return reply.json()["show"]


def test_a_visitor_on_a_matching_page_with_matching_attributes_is_shown_it(client, in_page):
    assert shown(client, in_page) is True


@pytest.mark.parametrize(
    "path", ["/order/20261206-001/done/", "/cart/", "/order/done", "/", "/ORDER/1/done"]
)
def test_another_page_is_not_shown_it(client, in_page, path):
    assert shown(client, in_page, path=path) is False


@pytest.mark.parametrize(
    "attrs",
    [
        {"plan": "銀卡", "userId": "C1001", "vip": True},  # another value
        {"plan": "金卡", "vip": True},  # userId=* needs one
        {"plan": "金卡", "userId": "", "vip": True},  # blank is not a value
        {"plan": "金卡", "userId": None, "vip": True},
        {"plan": "金卡", "userId": "C1001", "vip": False},
        {"plan": "金卡", "userId": "C1001", "vip": "True"},  # compared as text, like the script
        {},
    ],
)
def test_a_visitor_whose_attributes_do_not_match_is_not_shown_it(client, in_page, attrs):
    assert shown(client, in_page, attrs=attrs) is False


def test_numbers_compare_as_the_script_writes_them(client, in_page):
    in_page.attribute_rules = "orders=3\nscore=4.5"
    in_page.save()
    assert shown(client, in_page, attrs={"orders": 3, "score": 4.5}) is True
    assert shown(client, in_page, attrs={"orders": 3.0, "score": "4.5"}) is True
    assert shown(client, in_page, attrs={"orders": 30, "score": 4.5}) is False
    assert [as_script_text(v) for v in (True, False, 3, 3.0, 4.5, "金卡")] == [
        "true", "false", "3", "3", "4.5", "金卡"]  # fmt: skip


def test_without_rules_every_visitor_on_any_page_is_shown_it(client, in_page):
    in_page.url_pattern, in_page.attribute_rules = "", ""
    in_page.save()
    assert shown(client, in_page, path="/", attrs=None) is True


@pytest.mark.parametrize("outcome", [ContactOutcome.ANSWERED, ContactOutcome.DISMISSED])
def test_a_device_within_its_recontact_days_is_not_shown_it_even_if_the_browser_forgot(
    client, in_page, outcome
):
    contact_record(in_page=in_page, device_id=DEVICE, outcome=outcome)
    assert shown(client, in_page) is False
    assert shown(client, in_page, device="another-device-0002") is True


def test_a_closed_survey_is_not_shown(client, in_page):
    in_page.survey.status = "closed"
    in_page.survey.save()
    assert shown(client, in_page) is False


def test_another_site_is_refused_without_cors(client, in_page):
    reply = eligible(client, in_page, origin="https://evil.example.com")
    assert reply.status_code == 403
    assert "Access-Control-Allow-Origin" not in reply
    assert reply.json()["detail"] == "此网站无权显示这个页内问卷。"


@pytest.mark.parametrize(
    ("visit", "field", "words"),
    [
        ({"path": None}, "path", "请发送页面路径"),
        ({"path": "order/1/done"}, "path", "页面路径必须以 / 开头"),
        ({"path": "/" + "长" * 2001}, "path", "页面路径必须以 / 开头"),
        ({"attrs": "{不是 JSON"}, "attrs", "访客属性必须是 JSON 对象"),
        ({"attrs": "[1, 2]"}, "attrs", "访客属性必须是 JSON 对象"),
        ({"attrs": {"tags": ["a", "b"]}}, "attrs", "访客属性必须是 JSON 对象"),
    ],
)
def test_a_malformed_question_gets_a_chinese_error_naming_the_parameter(
    client, in_page, visit, field, words
):
    reply = eligible(client, in_page, **visit)
    assert reply.status_code == 400
    assert reply["Access-Control-Allow-Origin"] == SHOP  # the page may read why
    body = reply.json()
    assert words in body["detail"]
    assert list(body["errors"]) == [field]


def test_the_config_answers_no_on_a_page_outside_the_pattern(client, in_page):
    def config(path):
        query = {"device": DEVICE, "path": path}
        url = f"/embed/v1/config/{in_page.key}/"
        return client.get(url, query, headers={"Origin": SHOP}).json()

    assert config("/cart/") == {"show": False}
    inside = config("/order/1/done")
    assert inside["show"] is True and inside["rules"] == [["plan", "金卡"], ["userId", "*"],
                                                          ["vip", "true"]]  # fmt: skip
