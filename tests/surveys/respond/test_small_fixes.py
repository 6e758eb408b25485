"""The small things a customer on a phone notices: thanks that read as thanks, "other" text
that is never dropped, the privacy page one tap from the consent box, the same duration in the
email and on the page, a greeting by name, a masked address, a site icon, Chinese JSON errors."""

import pytest
from django.test import Client

from surveys.distribution.emails import invitation_email
from surveys.distribution.unsubscribe import masked_email
from surveys.models import Response, ResponseStatus
from surveys.responding.duration import survey_minutes
from tests.factories import published_survey
from tests.surveys.respond.test_invitation_flow import invite

pytestmark = pytest.mark.django_db


def _detractor(client, url):
    client.post(url, {"page": 0, "nps": "2", "action": "next"})


def test_other_text_typed_without_ticking_other_ticks_it_in_a_multiple_choice(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    _detractor(client, url)
    client.post(
        url, {"page": 1, "reason": ["price"], "reason_other": "包装破损", "action": "submit"}
    )
    answer = Response.objects.get().answers.get(question_key="reason")
    assert answer.choices == ["price", "__other__"]
    assert answer.other_text == "包装破损"


def test_other_text_alone_ticks_other_even_when_nothing_was_ticked(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    _detractor(client, url)
    # A multiple choice with nothing ticked sends no value for it at all.
    client.post(url, {"page": 1, "reason_other": "门店太远", "action": "submit"})
    answer = Response.objects.get().answers.get(question_key="reason")
    assert (answer.choices, answer.other_text) == (["__other__"], "门店太远")


def test_a_single_choice_with_another_option_and_other_text_asks_which_one(client):
    questions = [{"key": "channel", "type": "single", "required": True, "text": "从哪里得知？",
                  "allow_other": True, "options": [{"value": "tv", "label": "电视"}]}]  # fmt: skip
    survey = published_survey(consent_text="", questions=questions)
    page = client.post(f"/s/{survey.slug}/", {"page": 0, "channel": "tv", "channel_other": "朋友",
                                              "action": "submit"})  # fmt: skip
    html = page.content.decode()
    assert "您在“其他”中填写了内容，但选择了另一个选项" in html
    assert 'value="朋友"' in html  # what was typed is shown again, not lost
    assert not Response.objects.filter(status=ResponseStatus.COMPLETED).exists()


def test_the_thank_you_page_thanks_and_does_not_open_with_a_refusal(client):
    survey = published_survey(consent_text="")
    _, url = invite(survey, name="韩梅梅")
    client.post(url, {"page": 0, "nps": "9", "action": "next"})
    done = client.post(url, {"page": 1, "action": "submit"})
    html = client.get(done["Location"]).content.decode()
    assert "感谢您的反馈" in html
    assert "只能回答一次" not in html and "不能再次作答" not in html
    # Sending the answers again is still refused, and says so.
    again = client.post(url, {"page": 1, "action": "submit"}).content.decode()
    assert "回答过本问卷，因此这些回答未被保存" in again


def test_the_consent_box_links_the_privacy_page(client):
    survey = published_survey()  # the template's consent notice
    html = client.get(f"/s/{survey.slug}/").content.decode()
    assert 'name="_consent"' in html
    assert '同意<a href="/privacy/" target="_blank" rel="noopener">隐私声明</a>' in html


def test_the_invitation_page_greets_the_customer_and_says_the_emails_duration(client, mailoutbox):
    survey = published_survey(consent_text="")
    invitation, url = invite(survey, name="王芳")
    minutes = survey_minutes(survey.current_version_id)
    html = client.get(url).content.decode()
    assert "王芳，您好！" in html
    assert f"需时约 {minutes} 分钟。" in html
    email = invitation_email(invitation=invitation)
    assert f"需时约 {minutes} 分钟" in email.body
    assert "两分钟" not in email.body


def test_a_public_link_greets_nobody():
    survey = published_survey(consent_text="")
    html = Client().get(f"/s/{survey.slug}/").content.decode()
    assert "您好" not in html


def test_the_duration_counts_what_the_questions_ask():
    assert survey_minutes(0, ["nps"]) == 1
    assert survey_minutes(0, ["nps", "multiple", "long_text", "long_text"]) == 2
    assert survey_minutes(0, ["long_text"] * 5) == 3


@pytest.mark.parametrize(
    ("email", "shown"),
    [("ding.wu5@example.cn", "d***5@example.cn"), ("ab@example.cn", "a***@example.cn"),
     ("x@qq.com", "x***@qq.com"), ("", "")],
)  # fmt: skip
def test_the_unsubscribe_page_masks_the_address(email, shown):
    assert masked_email(email) == shown


def test_the_favicon_is_served_and_cached():
    reply = Client().get("/favicon.ico")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "image/x-icon"
    assert reply.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert "max-age=604800" in reply["Cache-Control"]


@pytest.mark.parametrize("body", ["not json", '{"answers": {"nps": 9}', "{'answers': 1}"])
def test_a_json_submit_that_is_not_json_is_refused_in_chinese(body):
    survey = published_survey(consent_text="")
    reply = Client().post(f"/api/v1/public/surveys/{survey.slug}/responses/", data=body,
                          content_type="application/json")  # fmt: skip
    assert reply.status_code == 400
    detail = reply.json()["detail"]
    assert detail.startswith("请求正文不是有效的 JSON（第 1 行，第 ")
    assert not any(word in detail for word in ("Expecting", "line", "char"))
