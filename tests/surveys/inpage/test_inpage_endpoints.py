"""In-page surveys over HTTP: the config only for the allowed sites, the public submit opened
to them (CORS) with the "in_page" channel and the device id, the re-contact limit per device on
the server, and the staff configuration's checks in Chinese."""

import gzip
import json
import re
import uuid

import pytest

from surveys.design.services import question_change
from surveys.inpage.admin import InPageSurveyForm, snippet
from surveys.inpage.models import InPageContact, InPageSurvey
from surveys.inpage.services import path_matches
from surveys.inpage.views import script_bytes
from surveys.models import Response
from surveys.responding.device import device_key
from tests.factories import published_survey

pytestmark = pytest.mark.django_db

SHOP = "http://shop.example.cn:8080"
DEVICE = "d3v1ce-悦享".encode().hex()[:32]


@pytest.fixture
def in_page():
    survey = published_survey(slug="shop-nps")
    return InPageSurvey.objects.create(
        name="商城结账后 NPS", survey=survey, allowed_origins=f"{SHOP}\nhttps://m.example.cn",
        trigger="event", event_name="checkout", recontact_days=30,
    )  # fmt: skip


def config(client, in_page, origin=SHOP, **params):
    return client.get(
        f"/embed/v1/config/{in_page.key}/", {"device": DEVICE, **params}, headers={"Origin": origin}
    )


def submit(client, slug="shop-nps", origin=SHOP, **body):
    payload = {
        "answers": {"nps": 3, "comment": "结账太慢了，页面卡住😤，體驗不好"}, "channel": "in_page",
        "device_id": DEVICE, "submission_id": str(uuid.uuid4()), "consent": True, **body,
    }  # fmt: skip
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", json.dumps(payload, ensure_ascii=False),
        content_type="application/json", headers={"Origin": origin, "X-Device-Id": DEVICE},
    )  # fmt: skip


def test_an_allowed_site_gets_the_question_in_chinese_and_english(client, in_page):
    page = config(client, in_page)
    assert page.status_code == 200
    assert page["Access-Control-Allow-Origin"] == SHOP
    body = page.json()
    assert body["show"] is True
    assert body["q"] == {
        "key": "nps", "text": "您有多大可能向朋友或同事推荐我们？", "low": 0, "high": 10,
        "ends": ["完全不可能", "非常可能"],
    }  # fmt: skip
    assert body["f"]["key"] == "comment"  # the text question everyone sees, not "praise"
    assert body["event"] == "checkout"
    assert body["submit"] == "/api/v1/public/surveys/shop-nps/responses/"
    assert body["consent"]["url"] == "/privacy/"
    english = config(client, in_page, lang="en").json()
    assert english["q"]["text"] == "How likely are you to recommend us to a friend or colleague?"
    assert english["t"]["send"] == "Send"


def test_another_site_is_refused_and_cannot_read_the_answer(client, in_page):
    page = config(client, in_page, origin="https://evil.example.com")
    assert page.status_code == 403
    assert "Access-Control-Allow-Origin" not in page
    assert page.json()["detail"] == "此网站无权显示这个页内问卷。"
    assert config(client, in_page, origin="").status_code == 403
    refused = submit(client, origin="https://evil.example.com")
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused
    preflight = client.options(
        "/api/v1/public/surveys/shop-nps/responses/",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 403
    assert Response.objects.count() == 0


def test_an_answer_from_the_site_is_stored_as_in_page_with_the_device(client, in_page):
    preflight = client.options(
        "/api/v1/public/surveys/shop-nps/responses/",
        headers={"Origin": SHOP, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type,x-device-id"},
    )  # fmt: skip
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == SHOP
    assert "X-Device-Id" in preflight["Access-Control-Allow-Headers"]
    sent = submit(client)
    assert sent.status_code == 201, sent.content
    assert sent["Access-Control-Allow-Origin"] == SHOP
    response = Response.objects.get()
    assert (response.channel, response.nps_score, response.device_key) == (
        "in_page",
        3,
        device_key(DEVICE),  # a keyed hash of the id the script sent, never the id itself
    )
    assert DEVICE not in str(response.source)
    assert response.answers.get(question_key="comment").text == "结账太慢了，页面卡住😤，體驗不好"
    assert InPageContact.objects.get().outcome == "answered"
    # Within the re-contact days: not shown again, and a second answer is refused.
    assert config(client, in_page).json() == {"show": False}
    again = submit(client)
    assert again.status_code == 409
    assert again.json()["detail"] == "此设备最近已回答过这份问卷，谢谢。"
    assert Response.objects.count() == 1


def test_a_resent_answer_returns_the_first_not_a_refusal(client, in_page):
    submission = str(uuid.uuid4())
    assert submit(client, submission_id=submission).status_code == 201
    resent = submit(client, submission_id=submission)
    assert resent.status_code == 200
    assert resent.json()["duplicate"] is True
    assert Response.objects.count() == 1


def test_closing_it_keeps_it_away_from_that_device_only(client, in_page):
    closed = client.post(
        f"/embed/v1/dismiss/{in_page.key}/", json.dumps({"device_id": DEVICE}),
        content_type="text/plain", headers={"Origin": SHOP},
    )  # fmt: skip
    assert closed.status_code == 204
    assert config(client, in_page).json() == {"show": False}
    other = client.get(
        f"/embed/v1/config/{in_page.key}/", {"device": "another-device-0001"},
        headers={"Origin": SHOP},
    )  # fmt: skip
    assert other.json()["show"] is True
    bad = client.post(
        f"/embed/v1/dismiss/{in_page.key}/", "不是 JSON", content_type="text/plain",
        headers={"Origin": SHOP},
    )  # fmt: skip
    assert bad.status_code == 400
    assert bad.json()["detail"] == "请求正文不是有效的 JSON。"


def test_from_another_site_only_the_in_page_channel_is_taken(client, in_page):
    sent = submit(client, channel="api")
    assert sent.status_code == 400
    assert sent.json()["detail"] == "来自其他网站的答案只能由页内问卷提交。"
    assert Response.objects.count() == 0


def test_apps_and_our_own_pages_submit_as_before(client, in_page):
    sent = client.post(
        "/api/v1/public/surveys/shop-nps/responses/",
        json.dumps({"answers": {"nps": 10}, "consent": True}), content_type="application/json",
    )  # fmt: skip
    assert sent.status_code == 201
    assert "Access-Control-Allow-Origin" not in sent
    assert Response.objects.get().channel == "api"


def test_a_switched_off_or_closed_survey_is_not_shown(client, in_page):
    in_page.enabled = False
    in_page.save()
    assert config(client, in_page).status_code == 404
    in_page.enabled = True
    in_page.save()
    in_page.survey.status = "closed"
    in_page.survey.save()
    assert config(client, in_page).json() == {"show": False}


def test_the_script_is_small_plain_and_talks_only_to_us(client):
    page = client.get("/embed/v1/surveyhub.js")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/javascript")
    assert page.content == script_bytes()
    assert len(gzip.compress(page.content, 9)) <= 15 * 1024
    code = re.sub(rb"/\*.*?\*/", b"", page.content, flags=re.S)
    assert b"://" not in code  # every URL is built from the script's own origin
    assert b"eval(" not in code and b"innerHTML" not in code


def test_our_own_pages_stay_unframeable(client, in_page):
    page = client.get("/s/shop-nps/")
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
    assert page["X-Frame-Options"] == "DENY"
    assert "Access-Control-Allow-Origin" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"allowed_origins": "shop.example.cn"}, "allowed_origins",
         "第 1 行“shop.example.cn”：请填写来源，如 https://shop.example.cn（协议和主机，可带端口，不含路径）。"),
        ({"allowed_origins": "https://shop.example.cn/结账"}, "allowed_origins", "第 1 行"),
        ({"event_name": ""}, "event_name", "请填写网站上报的事件名称，例如 checkout。"),
        ({"attribute_rules": "会员等级 金卡"}, "attribute_rules", "第 1 行“会员等级 金卡”"),
    ],
)  # fmt: skip
def test_the_staff_form_says_what_is_wrong_in_chinese(in_page, changes, field, message):
    data = {
        "name": "结账", "survey": in_page.survey.pk, "enabled": True,
        "allowed_origins": SHOP, "trigger": "event", "event_name": "checkout",
        "page_views": 3, "url_pattern": "", "attribute_rules": "userId=*",
        "recontact_days": 30, "follow_up": True, **changes,
    }  # fmt: skip
    form = InPageSurveyForm(data=data)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


def test_a_survey_with_another_required_question_is_refused(in_page):
    survey = published_survey(template="service_csat", slug="svc-csat")
    form = InPageSurveyForm(
        data={"name": "客服", "survey": survey.pk, "enabled": True, "allowed_origins": SHOP,
              "trigger": "page_views", "page_views": 2, "recontact_days": 7, "follow_up": True},
    )  # fmt: skip
    assert not form.is_valid()
    assert "“您的问题解决了吗？”" in " ".join(form.errors["survey"])


def test_the_snippet_names_our_script_and_the_key(in_page, settings):
    settings.SITE_URL = "https://survey.example.cn"
    text = snippet(in_page)
    assert f'src="https://survey.example.cn/embed/v1/surveyhub.js" data-key="{in_page.key}"' in text
    assert 'SurveyHub.track("checkout")' in text


def test_path_patterns():
    assert path_matches("/order/*", "/order/1001/done")
    assert not path_matches("/order/*", "/cart/")
    assert path_matches("", "/anything")


def test_a_csat_survey_is_asked_on_its_1_to_5_scale(client):
    survey = published_survey(template="service_csat", slug="svc-csat")
    question_change(survey=survey, key="resolved", changes={"required": False})
    survey.refresh_from_db()
    in_page = InPageSurvey.objects.create(
        name="客服满意度", survey=survey, allowed_origins=SHOP, trigger="page_views", page_views=1
    )
    body = config(client, in_page).json()
    assert (body["q"]["key"], body["q"]["low"], body["q"]["high"]) == ("csat", 1, 5)
    assert body["q"]["text"] == "您对本次服务满意吗？"
    assert body["f"] is None  # its only text question is shown to the unhappy only
    sent = submit(client, slug="svc-csat", answers={"csat": 2})
    assert sent.status_code == 201, sent.content
    assert Response.objects.get().csat_score == 2
