"""The builder's phone preview through HTTP: the real respondent pages for the survey being
edited (a draft too), page by page with display logic, piping from a made-up customer, the
same checks, one question per page — and not one row written anywhere."""

import re

import pytest
from django.apps import apps

from surveyhub.security.roles import Role
from surveys.design.services import survey_create, survey_update
from surveys.models import Response
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]

QUESTIONS = [
    {
        "key": "nps",
        "type": "nps",
        "required": True,
        "text": "{name}，您有多大可能向朋友推荐我们？",
        "text_en": "{name}, would you recommend us?",
    },
    {
        "key": "reason",
        "type": "long_text",
        "required": True,
        "text": "很抱歉😞，哪里让您失望了？",
        "text_en": "Sorry — what went wrong?",
        "show_if": {"question": "nps", "op": "lte", "value": 6},
    },
    {
        "key": "praise",
        "type": "single",
        "text": "您最喜歡我們的哪一點？",
        "text_en": "What do you like?",
        "show_if": {"question": "nps", "op": "gte", "value": 9},
        "options": [
            {"value": "speed", "label": "速度", "label_en": "Speed"},
            {"value": "price", "label": "價格", "label_en": "Price"},
        ],
    },
    {"key": "city", "type": "short_text", "text": "您在{city}的哪个区？", "text_en": "Where?"},
]


@pytest.fixture
def survey():
    return survey_create(
        title="门店体验调查",
        title_en="Store survey",
        slug="preview-me",
        kind="nps",
        questions=QUESTIONS,
        thank_you="谢谢{name}！",
        consent_text="",
    )


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


def _rows() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _state(html: str) -> str:
    return re.search(r'name="preview_state" value="([^"]+)"', html).group(1)


def _post(client, url, page, state, **data):
    return client.post(url, {"page": page, "preview_state": state, **data})


def test_a_full_preview_walk_of_a_draft_stores_nothing_at_all(designer, survey):
    url = f"/staff/surveys/{survey.pk}/preview/"
    before = _rows()

    first = designer.get(url)
    html = first.content.decode()
    assert first.status_code == 200
    assert "王芳，您有多大可能向朋友推荐我们？" in html  # piped from the sample customer
    assert "很抱歉" not in html  # the follow-up waits for the score (its own page)

    missing = _post(designer, url, 0, _state(html), action="next").content.decode()
    assert "这个问题需要回答。" in missing  # the respondent pages' own check

    second = _post(designer, url, 0, _state(missing), action="next", nps="3").content.decode()
    assert "很抱歉😞，哪里让您失望了？" in second
    assert "您最喜歡我們的哪一點？" not in second  # logic: a detractor is not asked for praise
    assert "您在上海的哪个区？" in second

    back = _post(designer, url, 1, _state(second), action="back").content.decode()
    assert 'value="3" checked' in back  # the score given is still there

    again = _post(designer, url, 0, _state(back), action="next", nps="3").content.decode()
    end = _post(
        designer, url, 1, _state(again), action="submit", reason="太慢了🐢", city="徐汇区"
    ).content.decode()
    assert "谢谢王芳！" in end

    assert _rows() == before
    assert not Response.objects.exists()


def test_a_promoter_sees_the_other_branch(designer, survey):
    url = f"/staff/surveys/{survey.pk}/preview/"
    html = designer.get(url).content.decode()
    second = _post(designer, url, 0, _state(html), action="next", nps="10").content.decode()
    assert "您最喜歡我們的哪一點？" in second
    assert "很抱歉" not in second


def test_one_question_per_page_and_jump_to_a_question(designer, survey):
    survey_update(survey=survey, one_question_per_page=True)
    url = f"/staff/surveys/{survey.pk}/preview/"
    first = designer.get(url).content.decode()
    assert first.count('class="question') == 1
    jumped = designer.get(url, {"_to": "city", "_go": "1"}).content.decode()
    assert "您在上海的哪个区？" in jumped
    assert "推荐我们" not in jumped
    not_jumped = designer.get(url, {"_to": "city"}).content.decode()  # restart: first page
    assert "推荐我们" in not_jumped


def test_english_and_no_customer(designer, survey):
    url = f"/staff/surveys/{survey.pk}/preview/"
    html = designer.get(url, {"lang": "en", "_sample": ""}).content.decode()
    assert "{name}, would you recommend us?" in html  # no customer: nothing piped


def test_a_tampered_state_starts_afresh_instead_of_failing(designer, survey):
    url = f"/staff/surveys/{survey.pk}/preview/"
    reply = _post(designer, url, 0, "not-a-signed-state", action="next", nps="8")
    assert reply.status_code == 200
    assert "您在上海的哪个区？" in reply.content.decode()


def test_anonymous_people_and_agents_cannot_preview(client, survey):
    url = f"/staff/surveys/{survey.pk}/preview/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory(role=Role.AGENT))
    assert client.get(url).status_code == 403
    assert client.get(f"{url}phone/").status_code == 403


def test_the_phone_page_frames_the_preview_from_our_own_origin(designer, survey):
    page = designer.get(f"/staff/surveys/{survey.pk}/preview/phone/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'src="/staff/surveys/{survey.pk}/preview/"' in html
    assert "跳到题目" in html and ">重新开始</button>" in html and "王芳（上海）" in html
    assert f'target="preview-{survey.pk}"' in html and f'name="preview-{survey.pk}"' in html
    framed = designer.get(f"/staff/surveys/{survey.pk}/preview/")
    assert framed["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in framed["Content-Security-Policy"]


def test_the_real_respondent_pages_carry_no_preview_state_and_still_save(client, survey):
    from surveys.design.services import survey_publish

    survey_publish(survey=survey)
    first = client.get(f"/s/{survey.slug}/").content.decode()
    assert "preview_state" not in first
    client.post(
        f"/s/{survey.slug}/", {"page": 0, "action": "next", "nps": "9", "preview_state": "ignored"}
    )
    response = Response.objects.get()
    assert response.answers.get().number == 9


def test_the_frame_include_works_with_the_builders_question_cards(survey, rf):
    from django.template.loader import render_to_string

    from surveys.design.services import survey_questions_specs

    html = render_to_string(
        "surveys/preview/_frame.html",
        {"survey": survey, "questions": survey_questions_specs(survey)},
        request=rf.get("/"),
    )
    assert f'<iframe name="preview-{survey.pk}" src="/staff/surveys/{survey.pk}/preview/"' in html
    assert '<option value="reason">2. 很抱歉😞，哪里让您失望了？</option>' in html
    assert f'href="/staff/surveys/{survey.pk}/preview/phone/"' in html  # the fallback link
