"""On a phone, with JavaScript: unanswered required questions are marked and scrolled to before
anything is sent, "other" text ticks "other", and one-question-per-page mode moves on at a tap
with a progress bar. With JavaScript off the same survey works with plain buttons."""

import pytest

from surveys.design.services import survey_update
from surveys.models import Response, ResponseStatus
from tests.factories import published_survey
from tests.support import PHONE, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    {"key": "intro_text", "type": "long_text", "text": "先说几句？", "text_en": "A word first?"},
    {"key": "channel", "type": "single", "required": True, "text": "您从哪里得知我们？",
     "text_en": "Where did you hear of us?", "allow_other": True,
     "options": [{"value": "tv", "label": "电视", "label_en": "TV"},
                 {"value": "web", "label": "网络", "label_en": "Web"}]},
    {"key": "csat", "type": "csat", "required": True, "text": "您对服务满意吗？",
     "text_en": "Satisfied?"},
]  # fmt: skip


def _page(browser, **options):
    context = browser.new_context(**{**PHONE, **options})
    return context, context.new_page()


def test_a_missing_answer_is_marked_and_scrolled_to_without_a_round_trip(
    live_server, browser, artifacts_dir
):
    survey = published_survey(slug="checks", consent_text="", questions=QUESTIONS)
    context, page = _page(browser, viewport={"width": 320, "height": 480})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    page.locator("label:has(input[name=csat][value='4'])").tap()
    page.evaluate("window.stillThisPage = true")  # a round trip would load a new page
    page.get_by_role("button", name="提交").tap()

    alert = page.locator("#q-channel .error")
    alert.wait_for()
    assert alert.inner_text() == "这个问题需要回答。"
    assert page.locator("#q-csat .error").count() == 0
    # Scrolled into view (the form is taller than this small screen).
    wait_until(lambda: page.evaluate(
        "() => { const r = document.querySelector('#q-channel').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= innerHeight; }"))  # fmt: skip
    assert page.evaluate("window.stillThisPage") is True
    page.screenshot(path=str(artifacts_dir / "client-check-320.png"))
    assert not Response.objects.filter(status=ResponseStatus.COMPLETED).exists()

    # Typing under "other" ticks "other" and clears the mark.
    page.fill("input[name=channel_other]", "朋友推荐")
    assert page.locator("input[name=channel][value=__other__]").is_checked()
    assert page.locator("#q-channel .error").count() == 0
    page.get_by_role("button", name="提交").tap()
    page.wait_for_selector("text=感谢")
    context.close()
    answer = Response.objects.get().answers.get(question_key="channel")
    assert (answer.choices, answer.other_text) == (["__other__"], "朋友推荐")
    assert errors == []


@pytest.mark.parametrize("width", [320, 360, 390, 414])
def test_one_question_per_page_moves_on_at_a_tap_with_a_progress_bar(
    live_server, browser, artifacts_dir, width
):
    survey = published_survey(slug="one-by-one", consent_text="", questions=QUESTIONS)
    survey_update(survey=survey, one_question_per_page=True)
    context, page = _page(browser, viewport={"width": width, "height": 800})
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    assert page.locator("fieldset.question").count() == 1
    assert page.inner_text(".progress") == "第 1 题，共 3 题"
    page.fill("textarea[name=intro_text]", "你好")
    page.get_by_role("button", name="下一步").tap()

    page.wait_for_selector("text=第 2 题，共 3 题")
    page.locator("label:has(input[name=channel][value=web])").tap()  # no button: moves on
    page.wait_for_selector("text=第 3 题，共 3 题")
    assert page.locator("progress").get_attribute("value") == "3"
    assert page.locator("progress").bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll
    page.screenshot(path=str(artifacts_dir / f"one-per-page-{width}.png"), full_page=True)
    page.locator("label:has(input[name=csat][value='5'])").tap()
    page.get_by_role("button", name="提交").tap()
    page.wait_for_selector("text=感谢")
    context.close()
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert response.csat_score == 5
    assert response.answers.get(question_key="channel").choices == ["web"]


def test_one_question_per_page_works_with_javascript_off(live_server, browser):
    survey = published_survey(slug="one-no-js", consent_text="", questions=QUESTIONS)
    survey_update(survey=survey, one_question_per_page=True)
    context, page = _page(browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    page.get_by_role("button", name="下一步").click()
    page.locator("label:has(input[name=channel][value=tv])").click()
    assert "第 2 题" in page.inner_text(".progress")  # a tap alone does not move on
    page.get_by_role("button", name="下一步").click()
    # Back keeps the answer.
    page.get_by_role("button", name="上一步").click()
    assert page.locator("input[name=channel][value=tv]").is_checked()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="提交").click()  # csat is required: the server says so
    page.wait_for_selector("#q-csat .error")
    page.locator("label:has(input[name=csat][value='2'])").click()
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=感谢")
    context.close()
    assert Response.objects.get().csat_score == 2
