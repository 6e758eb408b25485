"""Rate limits of the public endpoints: per device and per invitation, generous per IP."""

import json
import uuid

import pytest
from django.test import Client, RequestFactory

from surveyhub.security.ratelimit import DEVICE_COOKIE, DEVICE_HEADER, device_id
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation, Response, ResponseStatus
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db

DEVICE_META = "HTTP_" + DEVICE_HEADER.upper().replace("-", "_")


def invitation_url(survey) -> str:
    seed = new_seed()
    distribution = Distribution.objects.create(survey=survey, channel="email")
    Invitation.objects.create(
        distribution=distribution, customer=CustomerFactory(), token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent",
    )  # fmt: skip
    return f"/i/{token_for(seed)}/"


def submit(client, slug, device=None, **extra):
    headers = {DEVICE_META: device} if device else {}
    body = {"answers": {"nps": 9}, "consent": True, **extra}
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/", json.dumps(body),
        content_type="application/json", **headers,
    )  # fmt: skip


def test_a_first_visit_gets_a_signed_long_lived_httponly_lax_device_cookie(client):
    survey = published_survey(consent_text="")
    reply = client.get(f"/s/{survey.slug}/")
    cookie = reply.cookies[DEVICE_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 300 * 24 * 3600
    # Signed: the value opens only with the server's key, and a forged one is ignored.
    request = RequestFactory().get("/")
    request.COOKIES[DEVICE_COOKIE] = cookie.value
    assert len(device_id(request)) >= 32
    request.COOKIES[DEVICE_COOKIE] = "my-own-device-id:" + cookie.value.split(":", 1)[1]
    assert device_id(request) is None
    again = client.get(f"/s/{survey.slug}/")
    assert DEVICE_COOKIE not in again.cookies  # kept, not replaced on every visit


def test_one_device_over_its_budget_gets_a_friendly_429_and_its_neighbours_do_not(
    client, settings, clock
):
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 5
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    client.get(url)  # the first visit, without a device yet, counts only for the IP
    codes = [client.get(url).status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 60
    html = refused.content.decode()
    assert "<h1>" in html and "Traceback" not in html
    # Another phone on the same carrier IP is not affected.
    assert Client().get(url).status_code == 200
    # The next minute the device may answer again.
    clock.advance(60)
    assert client.get(url).status_code == 200


def test_the_refusal_page_is_translated(client, settings, clock):
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 1
    survey = published_survey(consent_text="")
    client.get(f"/s/{survey.slug}/")  # the device cookie
    client.get(f"/s/{survey.slug}/")
    english = client.get(f"/s/{survey.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Please wait a moment" in english.content.decode()
    chinese = client.get(f"/s/{survey.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '<html lang="zh-hans">' in chinese.content.decode()


def test_answers_refused_by_the_limit_come_back_in_a_form_and_are_saved_when_sent_again(
    client, settings, clock
):
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 3
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    client.get(url)  # the device cookie
    client.get(url)  # 1
    step = client.post(url, {"page": 0, "rk": str(uuid.uuid4()), "nps": "3", "action": "next"})
    assert step.status_code == 302  # 2: the first page is in the draft
    client.get(step["Location"])  # 3
    typed = "快递三天才到，外包装还破了<b>!</b>"
    refused = client.post(
        step["Location"], {"page": 1, "comment": typed, "reason": ["delivery"], "action": "submit"}
    )
    assert refused.status_code == 429
    html = refused.content.decode()
    # The page carries the typed answers (escaped) in a form that posts them again.
    assert 'value="快递三天才到，外包装还破了&lt;b&gt;!&lt;/b&gt;"' in html
    assert 'name="reason" value="delivery"' in html
    assert 'name="action" value="submit"' in html
    assert Response.objects.get().status == ResponseStatus.IN_PROGRESS  # nothing half-done

    clock.advance(60)
    again = client.post(
        step["Location"], {"page": 1, "comment": typed, "reason": ["delivery"], "action": "submit"}
    )
    assert again.status_code == 302
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert response.nps_score == 3
    assert response.answers.get(question_key="comment").text == typed


def test_an_invitation_link_is_limited_even_when_the_device_cookie_is_thrown_away(settings, clock):
    settings.SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE = 4
    url = invitation_url(published_survey(consent_text=""))
    codes = [Client().get(url).status_code for _ in range(5)]  # a new "device" each time
    assert codes == [200] * 4 + [429]


def test_fifty_phones_behind_one_carrier_ip_can_all_answer(settings, clock):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    for _ in range(50):
        phone = Client(REMOTE_ADDR="100.64.0.1")
        assert phone.get(url).status_code == 200
        step = phone.post(url, {"page": 0, "rk": str(uuid.uuid4()), "nps": "10", "action": "next"})
        assert step.status_code == 302
        page = phone.get(step["Location"])
        assert page.status_code == 200
        done = phone.post(step["Location"], {"page": 1, "praise": "很好", "action": "submit"})
        assert done.status_code == 302
    for n in range(50):
        reply = submit(Client(REMOTE_ADDR="100.64.0.1"), survey.slug, f"app-{n:04d}")
        assert reply.status_code == 201
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 100


def test_one_ip_flooding_with_fresh_devices_hits_the_ip_budget(settings, clock):
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 20
    survey = published_survey(consent_text="")
    codes = [submit(Client(), survey.slug, f"dev-{n:05d}").status_code for n in range(21)]
    assert codes == [201] * 20 + [429]
    assert Response.objects.count() == 20
    assert submit(Client(REMOTE_ADDR="203.0.113.9"), survey.slug, "other-ip-1").status_code == 201


def test_the_json_submit_refuses_with_429_detail_and_retry_after_and_stores_nothing(
    client, settings, clock
):
    settings.SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE = 2
    survey = published_survey(consent_text="")
    assert [submit(client, survey.slug, "app-device-1").status_code for _ in range(2)] == [201] * 2
    clock.advance(15)
    refused = submit(client, survey.slug, "app-device-1", submission_id=str(uuid.uuid4()))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "45"
    assert "尚未保存" in refused.json()["detail"]  # zh-Hans by default: "not saved yet"
    assert Response.objects.count() == 2
    assert submit(client, survey.slug, "app-device-2").status_code == 201


def test_a_malformed_device_header_is_ignored_and_the_ip_budget_still_counts(settings, clock):
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 3
    survey = published_survey(consent_text="")
    bad = ["x", "a" * 65, "<script>", "has space!"]
    codes = [submit(Client(), survey.slug, value).status_code for value in bad]
    assert codes == [201, 201, 201, 429]


def test_qr_images_and_the_unsubscribe_page_are_limited_too(client, settings, clock):
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 2
    survey = published_survey(consent_text="")
    client.get(f"/s/{survey.slug}/")  # the device cookie
    assert client.get(f"/s/{survey.slug}/qr.svg").status_code == 200
    assert client.get(f"/s/{survey.slug}/qr.png").status_code == 200
    refused = client.get(f"/s/{survey.slug}/qr.png")
    assert refused.status_code == 429
    assert "public" not in refused["Cache-Control"]  # no proxy keeps the refusal for a day
    assert "no-store" in refused["Cache-Control"]
    settings.SURVEYHUB_RATELIMIT_DEVICE_PER_MINUTE = 100
    settings.SURVEYHUB_RATELIMIT_TOKEN_PER_MINUTE = 1
    url = invitation_url(survey).replace("/i/", "/u/")
    assert Client().get(url).status_code == 200
    assert Client().get(url).status_code == 429


def test_behind_a_trusted_proxy_the_client_is_taken_from_x_forwarded_for(settings, clock):
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 1
    settings.SURVEYHUB_TRUSTED_PROXIES = 1
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"

    def via_proxy(client_address):
        # A client may send its own X-Forwarded-For; only the hop the proxy added counts.
        header = f"6.6.6.6, {client_address}"
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header).get(url).status_code

    assert via_proxy("198.51.100.1") == 200
    assert via_proxy("198.51.100.2") == 200
    assert via_proxy("198.51.100.1") == 429


def test_ipv6_clients_are_counted_per_64_block(settings, clock):
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 1
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    assert Client(REMOTE_ADDR="2001:db8:1:2::10").get(url).status_code == 200
    assert Client(REMOTE_ADDR="2001:db8:1:2:ffff::1").get(url).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::10").get(url).status_code == 200
    # IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d: each is its own client.
    assert Client(REMOTE_ADDR="::ffff:198.51.100.7").get(url).status_code == 200
    assert Client(REMOTE_ADDR="::ffff:198.51.100.8").get(url).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.8").get(url).status_code == 429


def test_limits_can_be_switched_off(settings, clock):
    settings.SURVEYHUB_RATELIMIT_ENABLED = False
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 1
    survey = published_survey(consent_text="")
    assert {Client().get(f"/s/{survey.slug}/").status_code for _ in range(3)} == {200}


def test_a_cache_that_is_down_lets_every_respondent_through(settings, clock, caplog):
    settings.SURVEYHUB_RATELIMIT_IP_PER_MINUTE = 1
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    survey = published_survey(consent_text="")
    codes = [submit(Client(), survey.slug, f"dev-{n:05d}").status_code for n in range(3)]
    assert codes == [201] * 3
    assert Response.objects.count() == 3
    assert "rate limits skipped" in caplog.text
