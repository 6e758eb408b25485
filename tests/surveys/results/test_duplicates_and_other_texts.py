"""Duplicate devices: the respondent page and the public submit store a keyed hash of the
device id (`sh_device` cookie / `device_id`), responses of a survey sharing one are flagged,
counted, excluded on request and shown on the response page. "Other" texts: a separate paged
list per choice question on the results page and in the API, never for designers."""

import re

import pytest
from django.test import Client, RequestFactory

from surveyhub.security.ratelimit import DEVICE_COOKIE, device_id
from surveyhub.security.roles import Role
from surveys.design.services import survey_create, survey_publish
from surveys.models import Response
from surveys.responding.device import device_key
from tests.factories import UserFactory, published_survey, submitted_response
from tests.surveys.results.helpers import recount, survey_with_answers

pytestmark = pytest.mark.django_db
DEVICE = "设备-不会被存储".encode().hex()[:40]


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _submit(survey, answers, device):
    body = {"answers": answers, "consent": True, **({"device_id": device} if device else {})}
    return Client().post(
        f"/api/v1/public/surveys/{survey.slug}/responses/", body, content_type="application/json"
    )


def test_the_public_submit_stores_a_hash_of_the_device_id_never_the_id():
    survey = published_survey("transactional_nps", consent_text="")
    assert _submit(survey, {"nps": 9}, DEVICE).status_code == 201
    response = Response.objects.get(survey=survey)
    assert response.device_key == device_key(DEVICE)
    assert len(response.device_key) == 64 and DEVICE not in response.device_key


def test_the_respondent_page_stores_the_key_of_its_sh_device_cookie():
    question = {"key": "nps", "type": "nps", "text": "推荐吗？", "text_en": "Recommend?"}
    survey = survey_publish(
        survey=survey_create(title="一题", slug="one-q", kind="nps", questions=[question])
    )
    phone = Client()
    page = phone.get(f"/s/{survey.slug}/")
    assert page.status_code == 200
    cookie = phone.cookies["sh_device"].value
    rk = re.search(r'name="rk" value="([^"]+)"', page.content.decode()).group(1)
    phone.post(f"/s/{survey.slug}/", {"page": 0, "rk": rk, "nps": "3", "action": "submit"})
    response = Response.objects.get(survey=survey, status="completed")
    request = RequestFactory().get("/")
    request.COOKIES[DEVICE_COOKIE] = cookie
    assert device_id(request) and response.device_key == device_key(device_id(request))


def _three_from_two_devices(survey):
    for nps, device in ((10, "device-aaaa-1111"), (2, "device-aaaa-1111"), (7, "device-bbbb-22")):
        assert _submit(survey, {"nps": nps}, device).status_code == 201
    assert _submit(survey, {"nps": 5}, "").status_code == 201  # no device: never a duplicate


def test_responses_sharing_a_device_are_flagged_and_excluded_on_request(manager):
    survey = published_survey("transactional_nps", consent_text="")
    _three_from_two_devices(survey)
    url = f"/api/v1/surveys/{survey.pk}/results/"
    assert manager.get(url).json()["responses"] == 4
    kept = manager.get(url, {"exclude": "duplicates"}).json()
    assert kept["responses"] == 3  # the later response of the first device is left out
    nps = next(q for q in kept["questions"] if q["key"] == "nps")
    remaining = Response.objects.filter(survey=survey).exclude(nps_score=2)
    assert {e["value"]: e["count"] for e in nps["distribution"] if e["count"]} == dict(
        recount(survey, "nps", remaining)
    )
    html = manager.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "重复设备 · 1" in html
    listed = manager.get(f"/staff/surveys/{survey.pk}/responses/", {"exclude": "duplicates"})
    assert listed.status_code == 200


def test_the_response_page_shows_the_device_and_the_other_responses_from_it(manager):
    survey = published_survey("transactional_nps", consent_text="")
    _three_from_two_devices(survey)
    first, second = Response.objects.filter(survey=survey, nps_score__in=[10, 2]).order_by("pk")
    html = manager.get(f"/staff/surveys/{survey.pk}/responses/{second.pk}/").content.decode()
    assert second.device_key[:8] in html
    assert f"#{first.pk}</a>" in html
    assert "重复设备" in html
    alone = Response.objects.get(survey=survey, nps_score=5)
    html = manager.get(f"/staff/surveys/{survey.pk}/responses/{alone.pk}/").content.decode()
    assert "未知" in html and "重复设备" not in html


def test_a_bad_exclude_value_names_the_field(manager):
    survey = published_survey("transactional_nps", consent_text="")
    reply = manager.get(f"/api/v1/surveys/{survey.pk}/results/", {"exclude": "twins"})
    assert reply.status_code == 400
    assert "exclude" in reply.json()["errors"]


def _with_other_texts():
    survey = survey_with_answers()
    texts = ["颜色不对 🎨", "發票開錯了", "赠品没到"]
    for text in texts:
        submitted_response(
            survey=survey, data={"nps": 4, "reason": ["__other__"], "reason_other": text}
        )
    return survey, ["包装破损", *texts]


def test_the_results_page_lists_other_texts_per_question(manager):
    survey, texts = _with_other_texts()
    html = manager.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    section = html[html.index('id="other-texts"') :]
    for text in texts:
        assert text in section
    assert "4 条填写在“其他”中的文字" in section
    reply = manager.get(f"/staff/surveys/{survey.pk}/results/", {"other": "nope"})
    assert reply.status_code == 400


def test_the_api_pages_other_texts_with_the_filters(manager):
    survey, texts = _with_other_texts()
    url = f"/api/v1/surveys/{survey.pk}/results/other-texts/"
    body = manager.get(url, {"question": "reason"}).json()
    assert body["count"] == 4 and body["pages"] == 1
    assert sorted(r["text"] for r in body["results"]) == sorted(texts)
    # The filters apply: the first one came by link on day 6.
    body = manager.get(url, {"question": "reason", "channel": "link"}).json()
    assert [r["text"] for r in body["results"]] == ["包装破损"]
    bad = manager.get(url, {"question": "comment"})
    assert bad.status_code == 400 and "question" in bad.json()["errors"]


def test_designers_never_read_other_texts(client):
    survey, _texts = _with_other_texts()
    client.force_login(UserFactory(role=Role.DESIGNER))
    reply = client.get(f"/api/v1/surveys/{survey.pk}/results/other-texts/", {"question": "reason"})
    assert reply.status_code == 403
    html = client.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "赠品没到" not in html
