"""Answering by public link, page by page, without JavaScript."""

import pytest

from surveys.models import Response, ResponseStatus
from tests.factories import published_survey

pytestmark = pytest.mark.django_db


def _post(client, url, page, **fields):
    rk = fields.pop("rk", "")
    return client.post(url, {"page": page, "rk": rk, **fields})


def test_a_detractor_sees_the_reason_question_and_not_the_praise_question(client):
    survey = published_survey(slug="nps-2026", consent_text="")
    url = f"/s/{survey.slug}/"

    first = client.get(url)
    assert first.status_code == 200
    assert "您有多大可能向朋友或同事推荐我们" in first.content.decode()

    step = _post(client, url, 0, nps="3", action="next")
    assert step.status_code == 302
    second = client.get(step["Location"])
    html = second.content.decode()
    assert "您不满意的主要原因是" in html
    assert "您最喜欢我们什么" not in html


def test_a_promoter_sees_the_praise_question(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    step = _post(client, url, 0, nps="10", action="next")
    html = client.get(step["Location"]).content.decode()
    assert "您最喜欢我们什么" in html
    assert "您不满意的主要原因是" not in html


def test_submitting_stores_the_response_with_scores_and_answers(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/?c=wechat&store=SH01"
    step = _post(client, url, 0, nps="2", action="next")
    done = _post(
        client, step["Location"], 1,
        reason=["delivery", "__other__"], reason_other="包装破损😡",
        comment="物流太慢了，客服也不回复", action="submit",
    )  # fmt: skip
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert response.nps_score == 2
    assert response.nps_group == "detractor"
    assert response.channel == "wechat"
    assert response.store == "SH01"
    answers = {a.question_key: a for a in response.answers.all()}
    assert answers["reason"].choices == ["delivery", "__other__"]
    assert answers["reason"].other_text == "包装破损😡"
    assert answers["comment"].text == "物流太慢了，客服也不回复"
    thanks = client.get(done["Location"]).content.decode()
    assert "感谢" in thanks


def test_a_required_question_left_empty_is_asked_again_with_a_message(client):
    survey = published_survey(consent_text="")
    response = _post(client, f"/s/{survey.slug}/", 0, action="next")
    assert response.status_code == 200
    assert "这个问题需要回答" in response.content.decode()
    assert not Response.objects.exists()


def test_an_out_of_range_score_is_refused_and_nothing_is_stored(client):
    survey = published_survey(consent_text="")
    response = _post(client, f"/s/{survey.slug}/", 0, nps="11", action="next")
    assert "请选择 0 到 10 之间的整数" in response.content.decode()
    assert not Response.objects.exists()


def test_leaving_half_way_and_coming_back_resumes_with_the_answers_kept(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    _post(client, url, 0, nps="4", action="next")
    # Comes back later: the same browser (cookie) lands on the unanswered page, answers kept.
    again = client.get(url)
    html = again.content.decode()
    assert "您不满意的主要原因是" in html
    back = client.get(url + "?p=0").content.decode()
    assert 'value="4" checked' in back


def test_autosave_keeps_text_typed_before_leaving(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    step = _post(client, url, 0, nps="5", action="next")
    saved = _post(client, step["Location"], 1, comment="还没写完的意见", action="autosave")
    assert saved.status_code == 204
    html = client.get(url).content.decode()
    assert "还没写完的意见" in html


def test_a_double_click_on_the_first_page_creates_one_draft(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    rk = "8f0c7c4e-3d4b-4c1e-9a4e-0a1b2c3d4e5f"
    _post(client, url, 0, nps="9", action="next", rk=rk)
    client.cookies.clear()
    _post(client, url, 0, nps="9", action="next", rk=rk)
    assert Response.objects.count() == 1


def test_submitting_the_last_page_twice_stores_one_response(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    step = _post(client, url, 0, nps="8", action="next")
    for _ in range(2):
        _post(client, step["Location"], 1, comment="不错", action="submit")
    assert Response.objects.filter(status=ResponseStatus.COMPLETED).count() == 1


def test_the_consent_notice_must_be_accepted_before_answers_are_kept(client):
    survey = published_survey()
    url = f"/s/{survey.slug}/"
    refused = _post(client, url, 0, nps="9", action="next")
    assert "请阅读并同意隐私声明后继续" in refused.content.decode()
    accepted = _post(client, url, 0, nps="9", _consent="1", action="next")
    assert accepted.status_code == 302
    assert Response.objects.get().consent_version == 1


def test_the_page_is_english_when_asked(client):
    survey = published_survey(consent_text="")
    html = client.get(f"/s/{survey.slug}/?lang=en").content.decode()
    assert "How likely are you to recommend us" in html
    assert "Next" in html


def test_the_respondent_page_is_light_and_has_no_chart_library(client):
    survey = published_survey()
    response = client.get(f"/s/{survey.slug}/")
    assert len(response.content) < 50_000
    assert b"chart" not in response.content.lower()


def test_every_survey_page_links_to_the_privacy_page_which_explains_the_use(client):
    survey = published_survey(consent_text="")
    assert 'href="/privacy/"' in client.get(f"/s/{survey.slug}/").content.decode()
    page = client.get("/privacy/").content.decode()
    assert "我们如何使用您的回答" in page
    assert "个人信息保护法" in page
