"""The staff survey builder, driven through its HTML forms."""

import pytest
from django.utils import timezone

from surveyhub.security.roles import Role
from surveys.models import Survey
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


def test_a_designer_creates_a_survey_from_a_template_in_one_click(designer):
    reply = designer.post("/staff/surveys/", {"template": "service_csat", "slug": "after-service",
                                              "kind": "csat"})  # fmt: skip
    survey = Survey.objects.get(slug="after-service")
    assert reply["Location"] == f"/staff/surveys/{survey.pk}/"
    page = designer.get(reply["Location"]).content.decode()
    assert "您对本次服务满意吗？" in page
    # The interactive phone preview (the real respondent pages, nothing stored) is beside it.
    assert f'src="/staff/surveys/{survey.pk}/preview/"' in page


def test_a_blank_survey_needs_a_title(designer):
    reply = designer.post("/staff/surveys/", {"template": "", "slug": "blank-one", "kind": "nps"})
    assert reply.status_code == 200
    assert "空白问卷需要标题" in reply.content.decode()
    assert not Survey.objects.exists()


def test_adding_a_choice_question_with_logic(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/", {
        "key": "channel", "type": "single", "text": "您通过什么渠道购买？", "text_en": "Where?",
        "options": "tmall | 天猫 | Tmall\njd | 京东 | JD\nstore | 门店 | Store",
        "option_order": "random", "logic_question": "nps", "logic_op": "gte", "logic_value": "7",
    })  # fmt: skip
    assert reply.status_code == 302
    question = survey.current_version.questions.get(key="channel")
    assert question.options[1] == {"value": "jd", "label": "京东", "label_en": "JD"}
    assert question.show_if == {"question": "nps", "op": "gte", "value": 7}


def test_a_malformed_option_line_names_the_line(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/", {
        "key": "x1", "type": "single", "text": "题目", "options": "ok | 好\nbroken",
        "option_order": "fixed",
    })  # fmt: skip
    assert "第 2 行" in reply.content.decode()


def test_moving_a_question_down_reorders_it(designer):
    survey = published_survey("service_csat", consent_text="")
    designer.post(f"/staff/surveys/{survey.pk}/questions/resolved/action/", {"action": "down"})
    survey.refresh_from_db()
    keys = list(survey.current_version.questions.values_list("key", flat=True))
    assert keys == ["csat", "improve", "resolved"]


def test_editing_a_question_keeps_its_key(designer):
    survey = published_survey(consent_text="")
    reply = designer.post(f"/staff/surveys/{survey.pk}/questions/comment/", {
        "key": "comment", "type": "long_text", "text": "其他建议", "option_order": "fixed",
    })  # fmt: skip
    assert reply.status_code == 302
    assert survey.current_version.questions.get(key="comment").text == "其他建议"


def test_an_agent_cannot_open_the_builder(client):
    survey = published_survey()
    client.force_login(UserFactory(role=Role.AGENT))
    assert client.get(f"/staff/surveys/{survey.pk}/").status_code == 403


def test_a_manager_can_look_but_not_change(client):
    survey = published_survey()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.get(f"/staff/surveys/{survey.pk}/").status_code == 200
    assert client.post(f"/staff/surveys/{survey.pk}/close/").status_code == 403


def test_a_survey_from_a_template_keeps_the_title_and_kind_the_designer_typed(designer):
    reply = designer.post("/staff/surveys/", {
        "template": "service_csat", "slug": "store-visit", "title": "门店到访满意度 2026 冬季",
        "kind": "nps",
    })  # fmt: skip
    survey = Survey.objects.get(slug="store-visit")
    assert reply.status_code == 302
    assert (survey.title, survey.title_en, survey.kind) == ("门店到访满意度 2026 冬季", "", "nps")
    assert Survey.objects.count() == 1


def test_a_survey_from_a_template_without_a_title_or_kind_takes_the_templates(designer):
    designer.post("/staff/surveys/", {"template": "service_csat", "slug": "as-is", "kind": ""})
    survey = Survey.objects.get(slug="as-is")
    assert survey.kind == "csat"
    assert survey.title and survey.title_en


def test_a_blank_survey_without_a_kind_is_an_nps_survey(designer):
    designer.post("/staff/surveys/", {"template": "", "slug": "blank-nps", "title": "空白问卷"})
    assert Survey.objects.get(slug="blank-nps").kind == "nps"


def test_opening_times_are_picked_with_the_browsers_date_time_picker(designer):
    survey = published_survey(consent_text="")
    page = designer.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert 'type="datetime-local" name="opens_at"' in page
    reply = designer.post(f"/staff/surveys/{survey.pk}/", {
        "title": survey.title, "languages": ["zh-hans", "en"], "opens_at": "2026-12-24T09:30",
        "option_order": "fixed",
    })  # fmt: skip
    assert reply.status_code == 302, reply.content.decode()[-2000:]
    survey.refresh_from_db()
    assert timezone.localtime(survey.opens_at).strftime("%Y-%m-%d %H:%M") == "2026-12-24 09:30"
    page = designer.get(f"/staff/surveys/{survey.pk}/").content.decode()
    assert 'value="2026-12-24T09:30"' in page


def test_the_builder_shows_the_one_public_address_the_qr_codes_and_emails_use(designer, settings):
    settings.SITE_URL = "http://demo.example.cn:8011"
    survey = published_survey(consent_text="")
    builder = designer.get(f"/staff/surveys/{survey.pk}/", HTTP_HOST="localhost").content.decode()
    links = designer.get(f"/staff/distributions/links/{survey.pk}/").content.decode()
    expected = f"http://demo.example.cn:8011/s/{survey.slug}/"
    assert f'id="public-link">{expected}<' in builder
    assert f'<code id="public-link">{expected}</code>' in links
    assert 'data-copy="#public-link"' in builder and 'data-copy="#public-link"' in links
