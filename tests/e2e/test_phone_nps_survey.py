"""A customer answers an NPS survey in Chinese on a phone, leaves half-way, comes back, finishes.

Markup in the survey's texts and in the customer's own answer is shown as text all the way:
the DOM never holds an element or attribute made from it (the CSP would block a script, so
"no alert() opened" alone would prove nothing)."""

import pytest

from surveys.models import Response, ResponseStatus
from tests.factories import published_survey
from tests.security.xss import DOM_PAYLOAD, dom_injections
from tests.support import PHONE, wait_until

INTRO = "欢迎参与调查" + DOM_PAYLOAD
THANKS = "感谢您的反馈！" + DOM_PAYLOAD
# Typed by the customer: it tries to close the textarea it is shown back in.
COMMENT = "快递太慢了😡，客服也不回消息。東西還行 but delivery 太差</textarea>" + DOM_PAYLOAD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_detractor_answers_leaves_comes_back_and_finishes_on_a_phone(
    live_server, browser, artifacts_dir
):
    survey = published_survey(slug="phone-nps", consent_text="", intro=INTRO, thank_you=THANKS)
    url = f"{live_server.url}/s/{survey.slug}/?c=wechat&store=SH01"
    context = browser.new_context(**PHONE)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(url)
    assert "您有多大可能向朋友或同事推荐我们" in page.inner_text("h1 ~ form")
    assert dom_injections(page) == []
    assert INTRO in page.inner_text("body")  # shown as written
    score = page.locator("label:has(input[name=nps][value='3']) span")
    box = score.bounding_box()
    # 0–10 on one row: at least 24 px wide (WCAG 2.2 target size), a thumb's height.
    assert box["width"] >= 24 and box["height"] >= 44
    score.tap()
    page.get_by_role("button", name="下一步").tap()

    # Display logic: a detractor is asked why, and not what they like.
    page.wait_for_selector("text=您不满意的主要原因是")
    assert page.locator("text=您最喜欢我们什么").count() == 0
    page.locator("label:has(input[name=reason][value=delivery])").tap()
    page.fill("textarea[name=comment]", COMMENT)
    # Autosave runs after typing; wait until the draft holds the text, then leave.
    wait_until(lambda: Response.objects.filter(answers__question_key="comment").exists())
    page.close()

    # Later, the same phone opens the link again: the draft is there.
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    assert page.input_value("textarea[name=comment]") == COMMENT
    assert dom_injections(page) == []
    assert page.locator("input[name=reason][value=delivery]").is_checked()
    page.screenshot(path=str(artifacts_dir / "phone-nps-resumed.png"), full_page=True)
    page.get_by_role("button", name="提交").tap()

    page.wait_for_selector("text=感谢您的反馈")
    assert dom_injections(page) == []
    assert THANKS in page.inner_text("body")
    page.screenshot(path=str(artifacts_dir / "phone-nps-thanks.png"), full_page=True)
    context.close()

    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert (response.nps_score, response.channel, response.store) == (3, "wechat", "SH01")
    answers = {a.question_key: a for a in response.answers.all()}
    assert answers["reason"].choices == ["delivery"]
    assert answers["comment"].text == COMMENT
    assert errors == []


def test_the_survey_works_with_javascript_off(live_server, browser):
    survey = published_survey(slug="no-js", consent_text="")
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    page.locator("label:has(input[name=nps][value='10'])").click()
    page.get_by_role("button", name="下一步").click()
    page.wait_for_selector("text=您最喜欢我们什么")
    page.fill("textarea[name=praise]", "客服小姐姐很耐心👍")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=感谢您的反馈")
    context.close()
    assert Response.objects.get().status == ResponseStatus.COMPLETED
