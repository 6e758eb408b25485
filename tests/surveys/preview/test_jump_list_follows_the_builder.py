"""The preview's "jump to question" list follows the builder's question list without a reload
(issue 18): a question added, moved or deleted in place is in, moved in or gone from the list,
and jumping to the new question opens its page in the phone, with the note that explains why
nothing before it is answered. Jumping to a question whose display condition is not met still
shows it; a survey with a privacy notice can go on from the jumped-to page."""

import pytest
from django.test import Client

from surveyhub.security.roles import Role
from surveys.design.services import survey_create
from surveys.models import Response
from tests.factories import UserFactory
from tests.support import wait_until

pytestmark = [pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    {"key": "nps", "type": "nps", "required": True, "text": "您有多大可能向朋友推荐我们？",
     "text_en": "How likely are you to recommend us?"},
    {"key": "reason", "type": "long_text", "required": True, "text": "哪里让您失望了？",
     "text_en": "What went wrong?", "show_if": {"question": "nps", "op": "lte", "value": 6}},
    {"key": "store", "type": "short_text", "text": "您常去哪家门店？", "text_en": "Which store?"},
]  # fmt: skip


@pytest.fixture
def survey():
    return survey_create(title="门店体验调查", title_en="Store visit", slug="jump-list",
                         kind="nps", questions=QUESTIONS)  # fmt: skip


@pytest.fixture
def designer():
    client = Client()
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


JUMP = ".phone-preview select[name=_to]"


def _options(page) -> list[str]:
    return page.locator(f"{JUMP} option").evaluate_all(
        "els => els.map(e => e.value + ' ' + e.textContent)"
    )


@pytest.mark.browser
def test_the_jump_list_follows_questions_added_moved_and_deleted_in_place(
    live_server, browser, survey, designer
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_cookies([
        {"name": "sessionid", "value": designer.cookies["sessionid"].value, "url": live_server.url},
        {"name": "django_language", "value": "zh-hans", "url": live_server.url},
    ])  # fmt: skip
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    before = _options(page)
    assert before == ["nps 1. 您有多大可能向朋友推荐我们？", "reason 2. 哪里让您失望了？",
                      "store 3. 您常去哪家门店？"]  # fmt: skip
    page.select_option(JUMP, "store")

    # Add a question in place: the jump list has it, the chosen question stays chosen.
    page.click("#add-question summary")
    form = page.locator("#add-question form")
    form.locator("[name=type]").select_option("short_text")
    form.locator("[name=text]").fill("您的会员卡号是？🪪")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#q-q4")
    page.wait_for_selector(f"{JUMP} option[value=q4]", state="attached")
    assert _options(page) == [*before, "q4 4. 您的会员卡号是？🪪"]
    assert page.locator(JUMP).input_value() == "store"

    # Jump to it: the phone shows its page, and says why nothing before it is answered.
    page.select_option(JUMP, "q4")
    page.get_by_role("button", name="跳转").click()
    phone = page.frame_locator(f"iframe[name=preview-{survey.pk}]")
    phone.get_by_text("您的会员卡号是？🪪").wait_for()
    assert "您跳到了第 4 题" in phone.locator(".preview-note").inner_text()

    # Move it up one step: the numbers in the list follow.
    page.locator("#q-q4 button[value=up]").click()
    wait_until(lambda: "q4 3. 您的会员卡号是？🪪" in _options(page))
    assert _options(page)[-2:] == ["q4 3. 您的会员卡号是？🪪", "store 4. 您常去哪家门店？"]

    # Delete it: gone from the list.
    page.locator("#q-q4 button[value=delete]").click()
    page.wait_for_selector(f"{JUMP} option[value=q4]", state="detached")
    assert _options(page) == before
    assert page.evaluate("window.stillTheSamePage") is True  # no reload all along
    context.close()
    assert problems == []


def test_a_jump_to_a_question_whose_condition_is_not_met_shows_it_with_the_note(designer, survey):
    url = f"/staff/surveys/{survey.pk}/preview/"
    html = designer.get(url, {"_to": "reason", "_go": "1"}).content.decode()
    assert "哪里让您失望了？" in html  # its condition (NPS ≤ 6) is not met, shown all the same
    assert "您常去哪家门店？" in html
    assert "推荐我们" not in html
    assert "您跳到了第 2 题" in html
    plain = designer.get(url).content.decode()  # no jump: no note
    assert "preview-note" not in plain
    assert Response.objects.count() == 0


def test_after_a_jump_past_the_privacy_notice_the_preview_goes_on(designer, survey):
    version = survey.current_version
    version.consent_text = "我们会按隐私声明处理您的回答。"
    version.save(update_fields=["consent_text"])
    url = f"/staff/surveys/{survey.pk}/preview/"
    html = designer.get(url, {"_to": "store", "_go": "1"}).content.decode()
    assert 'name="_consent"' not in html  # the first page, with the notice, was skipped
    state = html.split('name="preview_state" value="')[1].split('"')[0]
    done = designer.post(
        url, {"page": 1, "action": "submit", "store": "徐家汇店", "preview_state": state}
    ).content.decode()
    assert "同意隐私声明后继续" not in done
    assert "推荐我们" in done  # the required NPS is asked for, on its own page
    assert Response.objects.count() == 0
