"""WeChat against a local fake of its endpoints: share-card meta tags, the JS-SDK config
signed on the server (ticket cached), OAuth identity (snsapi_base) stored on the response,
one answer per openid, and forged cookies or codes refused with nothing stored."""

import hashlib
import json
import re

import pytest
import requests
from django.core import signing
from django.test import Client

from surveys.channels.wechat.identity import COOKIE
from surveys.channels.wechat.share import jsapi_signature
from surveys.design.services import survey_update
from surveys.models import Response, ResponseStatus

pytestmark = pytest.mark.django_db

WECHAT_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN"
)


def wechat_client() -> Client:
    return Client(HTTP_USER_AGENT=WECHAT_UA)


def through_oauth(client: Client, url: str) -> str:
    """Open `url` in "WeChat": follow the redirect to the fake's authorize page and back."""
    first = client.get(url)
    assert first.status_code == 302, first.content[:300]
    authorize = first["Location"]
    assert "/connect/oauth2/authorize?" in authorize and "snsapi_base" in authorize
    back = requests.get(authorize.split("#")[0], allow_redirects=False, timeout=5)
    callback = back.headers["Location"].removeprefix("http://testserver")
    done = client.get(callback)
    assert done.status_code == 302, done.content[:500]
    return done["Location"]


def answer(client: Client, url: str, score: str = "9", text: str = "很好用👍，物流也快") -> None:
    client.post(url, {"page": 0, "nps": score, "action": "next"})
    key = "praise" if int(score) >= 9 else "comment"
    client.post(url, {"page": 1, key: text, "action": "submit"})


def test_the_documented_jsapi_signature_example():
    assert jsapi_signature(
        ticket="sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
        noncestr="Wm3WZYTPz0wzccnW", timestamp=1414587457,
        url="http://mp.weixin.qq.com?params=value#fragment-is-left-out",
    ) == "0f9de62fce790f9a083d5c99e95740ceb90c27ed"  # fmt: skip


def test_every_page_carries_share_card_meta_tags(client, survey, settings):
    settings.SITE_URL = "https://survey.example.cn"
    page = client.get(f"/s/{survey.slug}/?c=wechat").content.decode()
    assert f'<meta property="og:title" content="{survey.title}">' in page
    assert re.search(r'<meta property="og:description" content="[^"]{4,}">', page)
    assert re.search(r'<meta property="og:image" content="https://survey\.example\.cn/', page)
    assert f'content="https://survey.example.cn/s/{survey.slug}/?c=wechat"' in page
    assert "wx-config" not in page  # no official account configured


def test_the_shared_link_is_the_public_one_without_hidden_fields(client, survey, settings):
    settings.SITE_URL = "https://survey.example.cn"
    page = client.get(f"/s/{survey.slug}/?c=sms&order=A123456&src=%E5%BE%AE%E4%BF%A1").content
    page = page.decode()
    assert f'og:url" content="https://survey.example.cn/s/{survey.slug}/?c=wechat"' in page
    assert "A123456" not in page


def test_inside_wechat_the_page_gets_a_server_signed_jssdk_config(fake_wechat, survey):
    phone = wechat_client()
    url = f"/s/{survey.slug}/?c=wechat"
    page = phone.get(url).content.decode()
    config = json.loads(re.search(r'<script id="wx-config" type="application/json">(.*?)</script>',
                                  page).group(1))  # fmt: skip
    string1 = (
        f"jsapi_ticket={fake_wechat.ticket}&noncestr={config['nonceStr']}"
        f"&timestamp={config['timestamp']}&url=http://testserver{url}"
    )
    assert config["signature"] == hashlib.sha1(string1.encode()).hexdigest()  # noqa: S324 - WeChat's algorithm
    assert config["appId"] == fake_wechat.app_id
    assert config["sdk"].endswith("vendor/weixin-js-sdk/index.js")
    phone.get(url)
    Client().get(url, HTTP_USER_AGENT=WECHAT_UA)
    assert (fake_wechat.token_calls, fake_wechat.ticket_calls) == (1, 1)  # cached


def test_a_page_outside_wechat_asks_wechat_for_nothing(fake_wechat, client, survey):
    assert "wx-config" not in client.get(f"/s/{survey.slug}/").content.decode()
    assert fake_wechat.token_calls == 0


def test_the_openid_from_oauth_is_stored_on_the_response(fake_wechat, survey):
    survey = survey_update(survey=survey, wechat_identity="record")
    phone = wechat_client()
    url = through_oauth(phone, f"/s/{survey.slug}/?c=wechat")
    assert url == f"/s/{survey.slug}/?c=wechat"
    answer(phone, url)
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert (response.wechat_openid, response.channel) == (fake_wechat.openid, "wechat")


def test_one_answer_per_openid_refuses_a_second_with_a_clear_message(fake_wechat, survey):
    survey = survey_update(survey=survey, wechat_identity="once")
    first_phone = wechat_client()
    answer(first_phone, through_oauth(first_phone, f"/s/{survey.slug}/"))
    # The same WeChat user on another phone (no cookies): OAuth gives the same openid.
    second_phone = wechat_client()
    url = through_oauth(second_phone, f"/s/{survey.slug}/")
    again = second_phone.get(url).content.decode()
    assert "您已在微信中回答过此问卷" in again
    second_phone.post(url, {"page": 0, "nps": "0", "action": "next"})
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 1
    # Someone else answers fine.
    fake_wechat.openid = "oF3PcOtherUserB000000000002"
    third = wechat_client()
    answer(third, through_oauth(third, f"/s/{survey.slug}/"), score="4", text="等太久了")
    assert sorted(Response.objects.values_list("wechat_openid", flat=True)) == sorted(
        ["oF3PcsnsbaseTestUserA0000001", "oF3PcOtherUserB000000000002"]
    )


def test_two_drafts_of_one_openid_cannot_both_complete(fake_wechat, survey):
    survey = survey_update(survey=survey, wechat_identity="once")
    tab_a, tab_b = wechat_client(), wechat_client()
    url_a = through_oauth(tab_a, f"/s/{survey.slug}/")
    url_b = through_oauth(tab_b, f"/s/{survey.slug}/")
    tab_a.post(url_a, {"page": 0, "nps": "10", "action": "next"})
    tab_b.post(url_b, {"page": 0, "nps": "1", "action": "next"})
    tab_a.post(url_a, {"page": 1, "praise": "很好", "action": "submit"})
    refused = tab_b.post(url_b, {"page": 1, "comment": "不好", "action": "submit"})
    assert "每人只能回答一次" in refused.content.decode()
    assert list(
        Response.objects.filter(status="completed").values_list("nps_score", flat=True)
    ) == [10]


def test_a_forged_openid_cookie_is_ignored_and_oauth_is_asked_again(fake_wechat, survey):
    survey = survey_update(survey=survey, wechat_identity="record")
    phone = wechat_client()
    phone.cookies[COOKIE] = "oForged-openid:1abcde:tampered"
    first = phone.get(f"/s/{survey.slug}/")
    assert first.status_code == 302 and "oauth2/authorize" in first["Location"]
    # Even a cookie signed with another key is refused.
    phone.cookies[COOKIE] = signing.get_cookie_signer(salt=COOKIE + "x").sign("oForged")
    assert phone.get(f"/s/{survey.slug}/").status_code == 302
    assert not Response.objects.exists()


@pytest.mark.parametrize("code", ["forged-code-123", "", "码" * 200])
def test_a_forged_or_used_oauth_code_stores_nothing_and_says_so(fake_wechat, survey, code):
    survey = survey_update(survey=survey, wechat_identity="record")
    phone = wechat_client()
    authorize = phone.get(f"/s/{survey.slug}/")["Location"]
    state = re.search(r"state=([^&#]+)", authorize).group(1)
    reply = phone.get("/wx/oauth/", {"code": code, "state": requests.utils.unquote(state)})
    assert reply.status_code == 400
    assert "微信未能确认您的身份" in reply.content.decode()
    assert COOKIE not in reply.cookies
    assert not Response.objects.exists()


def test_a_code_used_twice_works_once(fake_wechat, survey):
    survey = survey_update(survey=survey, wechat_identity="record")
    phone = wechat_client()
    authorize = phone.get(f"/s/{survey.slug}/")["Location"]
    callback = (
        requests.get(authorize.split("#")[0], allow_redirects=False, timeout=5)
        .headers["Location"]
        .removeprefix("http://testserver")
    )
    assert phone.get(callback).status_code == 302
    assert Client().get(callback).status_code == 400


def test_a_forged_state_is_refused(fake_wechat, survey):
    reply = wechat_client().get("/wx/oauth/", {"code": "x", "state": "/s/evil/"})
    assert reply.status_code == 400


def test_one_answer_per_openid_outside_wechat_asks_to_open_it_in_wechat(
    fake_wechat, client, survey
):
    survey = survey_update(survey=survey, wechat_identity="once")
    page = client.get(f"/s/{survey.slug}/").content.decode()
    assert "请在微信中打开此问卷" in page
    client.post(f"/s/{survey.slug}/", {"page": 0, "nps": "9", "action": "next"})
    assert not Response.objects.exists()


def test_without_an_official_account_wechat_pages_work_as_before(survey, settings):
    settings.SURVEYHUB_WECHAT_APP_ID = ""
    survey = survey_update(survey=survey, wechat_identity="once")
    phone = wechat_client()
    assert phone.get(f"/s/{survey.slug}/").status_code == 200
    answer(phone, f"/s/{survey.slug}/")
    assert Response.objects.get().wechat_openid == ""
