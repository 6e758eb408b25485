"""Issue 18's editor in Chromium: a designer adds a question with its options as rows, drags it
into place, duplicates it, writes AND/OR logic in the sentence editor and undoes — all on one
page that never reloads, without a console error. Then the builder is photographed at 390 and
1280 px in Chinese and English (SCREENSHOTS, default /work/shots/builder_editing/)."""

import os
from pathlib import Path

import pytest

from surveyhub.security.roles import Role
from surveys.design.services import survey_create
from tests.e2e.designer_session import drag, signed_in_context
from tests.factories import UserFactory
from tests.support import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/builder_editing"))
QUESTIONS = [
    {"key": "nps", "type": "nps", "required": True, "text": "您有多大可能向朋友推荐我们的门店？",
     "text_en": "How likely are you to recommend our store?"},
    {"key": "comment", "type": "long_text", "text": "還有什麼想告訴我們的嗎？😊",
     "text_en": "Anything else?"},
]  # fmt: skip


@pytest.fixture
def survey():
    return survey_create(title="门店体验调查", title_en="Store visit", slug="store-visit",
                         kind="nps", questions=QUESTIONS)  # fmt: skip


def _keys(survey) -> list[str]:
    survey.refresh_from_db()
    return list(survey.current_version.questions.values_list("key", flat=True))


def _context(browser, live_server, width: int, language: str):
    user = UserFactory(role=Role.DESIGNER)
    return signed_in_context(browser, live_server, user, width=width, language=language)


def test_a_designer_edits_in_place_drags_duplicates_writes_logic_and_undoes(
    live_server, browser, survey
):
    context = _context(browser, live_server, 1280, "zh-hans")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    page.evaluate("window.stillTheSamePage = true")

    # Add a single-choice question, its options typed as rows (a third row added by the script).
    page.click("#add-question summary")
    form = page.locator("#add-question form")
    form.locator("[name=type]").select_option("single")
    form.locator("[name=text]").fill("您这次在哪家门店购物？")
    form.locator("[name=option_label_0]").fill("徐家汇店")
    form.locator("[name=option_label_en_0]").fill("Xujiahui")
    form.locator("[name=option_label_1]").fill("南京東路店")
    form.locator("button.add-option").click()
    form.locator("[name=option_label_2]").fill("线上商城🛒")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#q-q3")
    assert page.locator(".builder-notes").inner_text().strip() == "题目已添加。"
    assert _keys(survey) == ["nps", "comment", "q3"]
    assert [o["value"] for o in survey.current_version.questions.get(key="q3").options] == [
        "xujiahui", "o2", "o3"]  # fmt: skip

    # Drag the new question above the comment.
    drag(page, page.locator("#q-q3 .drag-handle"), page.locator("#q-comment"))
    wait_until(lambda: _keys(survey) == ["nps", "q3", "comment"])
    page.wait_for_selector(".builder-notes >> text=新顺序已保存。")
    cards = page.locator("#question-list > li").evaluate_all("els => els.map(e => e.id)")
    assert cards == ["q-nps", "q-q3", "q-comment"]

    # Duplicate it: the copy comes right after it.
    page.locator("#q-q3 button[value=duplicate]").click()
    page.wait_for_selector("#q-q4")
    assert _keys(survey) == ["nps", "q3", "q4", "comment"]

    # Logic in sentences: show the comment when NPS ≤ 6 OR the store is 南京東路店.
    page.locator("#q-comment a[data-edit]").click()
    edit = page.locator("#q-comment form.question-form")
    edit.wait_for()
    edit.locator("[name=logic_match]").select_option("any")
    edit.locator("[name=logic_question]").select_option(label="您有多大可能向朋友推荐我们的门店？")
    edit.locator("[name=logic_op]").select_option(label="小于或等于")
    edit.locator("[name=logic_value]").fill("6")
    edit.locator("button.add-condition").click()
    edit.locator("[name=logic_question_1]").select_option(label="您这次在哪家门店购物？")
    edit.locator("[name=logic_op_1]").select_option(label="是以下之一")
    edit.locator("[name=logic_value_1]").fill("南京東路店")
    edit.locator("button[type=submit]").click()
    sentence = ("当「您有多大可能向朋友推荐我们的门店？」≤ 6，或「您这次在哪家门店购物？」选了"
                "「南京東路店」时显示")  # fmt: skip
    page.wait_for_selector(f"#q-comment .logic >> text={sentence}")
    low = {"question": "nps", "op": "lte", "value": 6}
    store = {"question": "q3", "op": "in", "value": ["o2"]}
    shown_if = survey.current_version.questions.get(key="comment").show_if
    assert shown_if == {"match": "any", "conditions": [low, store]}

    # Undo the logic, then the duplicate.
    page.locator("#undo-button").click()
    page.wait_for_selector(".builder-notes >> text=已撤销：修改题目。")
    assert page.locator("#q-comment .logic").count() == 0
    assert survey.current_version.questions.get(key="comment").show_if is None
    page.locator("#undo-button").click()
    page.wait_for_selector(".builder-notes >> text=已撤销：复制题目。")
    assert _keys(survey) == ["nps", "q3", "comment"]
    assert page.locator("#q-q4").count() == 0

    assert errors == []
    assert page.evaluate("window.stillTheSamePage") is True  # no reload all along
    assert errors == []
    context.close()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_builder_is_photographed_with_an_edit_form_open(
    live_server, browser, survey, width, language
):
    from surveys.design.services import question_add, question_change

    question_add(survey=survey, spec={
        "type": "multiple", "text": "您不满意的地方是？", "text_en": "What disappointed you?",
        "options": [{"value": "queue", "label": "排队太久", "label_en": "Long queue"},
                    {"value": "staff", "label": "店员态度", "label_en": "Staff"}],
        "show_if": {"question": "nps", "op": "lte", "value": 6},
    }, position=1)  # fmt: skip
    question_change(
        survey=survey,
        key="comment",
        changes={
            "show_if": {
                "match": "all",
                "conditions": [
                    {"question": "nps", "op": "lte", "value": 6},
                    {"question": "q3", "op": "in", "value": ["queue"]},
                ],
            }
        },
    )
    question_change(
        survey=survey,
        key="nps",
        changes={"jumps": [{"when": {"op": "gte", "value": 9}, "action": "skip", "to": "comment"}]},
    )
    context = _context(browser, live_server, width, language)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"builder-{language}-{width}.png"), full_page=True)
    page.locator("#q-comment a[data-edit]").click()
    page.locator("#q-comment form.question-form").wait_for()
    page.locator("#q-comment form.question-form").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"builder-edit-{language}-{width}.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    card = page.locator("#q-nps").inner_text()
    skip = "≥ 9，跳到" if language == "zh-hans" else "≥ 9, skip to"
    assert skip in card
    assert errors == []
    context.close()
