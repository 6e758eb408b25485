"""Matrix, ranking and date questions on a phone: each matrix row's scale on one line with
targets at least 24 px wide, nothing wider than the screen, and answered with JavaScript off."""

import pytest

from surveys.models import Response
from tests.factories import published_survey
from tests.support import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [{"value": "quality", "label": "产品质量", "label_en": "Quality"},
        {"value": "speed", "label": "配送速度", "label_en": "Delivery speed"}]  # fmt: skip
QUESTIONS = [
    {"key": "grid", "type": "matrix", "required": True, "text": "请为以下方面打分",
     "text_en": "Rate each", "options": ROWS},
    {"key": "rank", "type": "ranking", "text": "请按重要性排序", "text_en": "Rank these",
     "options": ROWS},
    {"key": "visit", "type": "date", "text": "您哪天到店的？", "text_en": "When did you visit?"},
]  # fmt: skip


@pytest.mark.parametrize("width", [320, 360, 390, 414])
def test_matrix_rows_sit_on_one_line_and_the_page_never_scrolls_sideways(
    live_server, browser, width, artifacts_dir
):
    survey = published_survey(slug=f"grid-{width}", consent_text="", questions=QUESTIONS)
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}})
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    for row in ("quality", "speed"):
        targets = page.locator(f"input[name=grid__{row}]").locator("xpath=..")
        boxes = [targets.nth(i).bounding_box() for i in range(targets.count())]
        assert len(boxes) == 5
        assert len({round(b["y"]) for b in boxes}) == 1
        assert min(b["width"] for b in boxes) >= 24
        assert max(b["x"] + b["width"] for b in boxes) <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts_dir / f"grid-{width}.png"), full_page=True)
    context.close()


def test_matrix_ranking_and_date_are_answered_with_javascript_off(live_server, browser):
    survey = published_survey(slug="grid-no-js", consent_text="", questions=QUESTIONS)
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    page.locator("label:has(input[name=grid__quality][value='5'])").click()
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=请回答每一行：“配送速度”未填写。")
    assert page.locator("input[name=grid__quality][value='5']").is_checked()  # kept
    page.locator("label:has(input[name=grid__speed][value='2'])").click()
    page.select_option("select[name=rank__quality]", "2")
    page.select_option("select[name=rank__speed]", "1")
    page.fill("input[name=visit]", "2026-11-30")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=感谢")
    context.close()
    answers = {a.question_key: a for a in Response.objects.get().answers.all()}
    assert answers["grid"].choices == ["quality:5", "speed:2"]
    assert answers["rank"].choices == ["speed", "quality"]
    assert answers["visit"].text == "2026-11-30"
