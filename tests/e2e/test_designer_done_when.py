"""Issue 18's "Done when", in one Chromium session of a designer (zh-Hans UI): a survey from a
template with their own title; a question added in place and dragged into place; logic written
in the sentence editor; tried in the phone preview (restart, jump) without storing anything;
published; sent to a sized audience with an edited email over a real SMTP server on loopback;
the email's link and the QR code open the survey at the configured site URL. The builder with
its preview and the distribution page are photographed at 390 and 1280 px in zh-Hans and at
1280 px in English, in SCREENSHOTS (default /work/shots/designer_done_when/)."""

import os
import re
from pathlib import Path

import pytest

from surveyhub.security.roles import Role
from surveys.models import Customer, Invitation, Response, Survey
from tests.e2e.designer_session import drag, qr_encodes, signed_in_context
from tests.factories import CustomerFactory, UserFactory
from tests.support import PHONE, wait_until
from tests.surveys.distribution.smtp import SmtpServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/designer_done_when"))
TITLE = "门店服务回访 2026 冬季 ☕"
TEMPLATE_TITLE = "客户关系满意度调查"  # the Relationship NPS template's own title
SLUG = "store-winter-2026"
NPS = "您有多大可能向朋友或同事推荐我们？"
STORE = "您这次在哪家门店购物？"
REASON = "您不满意的主要原因是？"
PRAISE = "您最喜欢我们什么？"
COMMENT = "还有什么想告诉我们的吗？"
SENTENCE = f"当「{STORE}」选了「南京東路店」时显示"
SUBJECT = "{姓名}，想听听您对门店的看法 ☕"
BODY = "{name}您好：\n\n感谢光临！请花两分钟填写「{问卷标题}」：\n{link}\n\n门店服务团队"


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        for name, value in server.settings().items():
            setattr(settings, name, value)
        yield server.handler


@pytest.fixture
def customers():
    """Three Shanghai customers who can be emailed, one who unsubscribed, one in Beijing."""
    shanghai = [
        CustomerFactory(name="王芳", email="wang.fang@example.cn"),
        CustomerFactory(name="陳美玲", email="chen.meiling@example.tw"),
        CustomerFactory(name="Anna Liu", email="anna.liu@example.com"),
    ]
    CustomerFactory(name="李雷", email="li.lei@example.cn", unsubscribed=True)
    CustomerFactory(name="赵强", email="zhao.qiang@example.cn", region="北京")
    return shanghai


def _keys(survey: Survey) -> list[str]:
    survey.refresh_from_db()
    return list(survey.current_version.questions.values_list("key", flat=True))


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def _answer_first_page(phone, *, nps: str, store: str) -> None:
    phone.locator(f"label:has(input[name=nps][value='{nps}'])").click()
    phone.locator(f"label:has-text('{store}')").click()
    phone.locator("input[name=_consent]").check()
    phone.locator("button[name=action]:not([value=back])").click()


def _size_again(page) -> None:
    """The same audience once invited: all three were contacted just now, so none is left."""
    page.fill("#id_region", "上海")
    page.fill("#id_email_subject", SUBJECT)
    page.fill("#id_email_body", BODY)
    page.wait_for_selector("#audience-count:text-is('0')")
    page.locator(".email-subject").wait_for()
    assert page.locator(".audience-figures li").count() == 3  # matched, reachable, recent


def _shoot(page, name: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_a_designer_goes_from_template_to_sent_email_and_qr(
    live_server, browser, settings, smtp, customers
):
    settings.SITE_URL = live_server.url  # SURVEYHUB_SITE_URL: links and QR codes point here
    SHOTS.mkdir(parents=True, exist_ok=True)
    designer = UserFactory(username="designer-done-when", role=Role.DESIGNER)
    context = signed_in_context(browser, live_server, designer, width=1280, language="zh-hans")
    page = context.new_page()
    problems = _watch(page)

    # 1. A survey from a template, with the designer's own title.
    page.goto(f"{live_server.url}/staff/surveys/")
    page.select_option("#id_template", "relationship_nps")
    page.fill("#id_title", TITLE)
    page.fill("#id_slug", SLUG)
    page.get_by_role("button", name="创建").click()
    page.wait_for_url(re.compile(r"/staff/surveys/\d+/$"))
    survey = Survey.objects.get(slug=SLUG)
    heading = page.locator("h1").inner_text()
    assert TITLE in heading and TEMPLATE_TITLE not in heading
    assert (survey.title, survey.created_by) == (TITLE, designer)
    assert _keys(survey) == ["nps", "reason", "praise", "comment"]

    # 2. A question added in place (the page never reloads), then dragged above "reason".
    page.evaluate("window.stillTheSamePage = true")
    page.click("#add-question summary")
    form = page.locator("#add-question form")
    form.locator("[name=type]").select_option("single")
    form.locator("[name=text]").fill(STORE)
    form.locator("[name=option_label_0]").fill("徐家汇店")
    form.locator("[name=option_label_1]").fill("南京東路店")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#question-list > li:has-text('{STORE}')")
    (store,) = set(_keys(survey)) - {"nps", "reason", "praise", "comment"}
    assert _keys(survey) == ["nps", "reason", "praise", "comment", store]

    drag(page, page.locator(f"#q-{store} .drag-handle"), page.locator("#q-reason"))
    page.wait_for_selector(".builder-notes >> text=新顺序已保存。")
    assert _keys(survey) == ["nps", store, "reason", "praise", "comment"]
    assert page.evaluate("window.stillTheSamePage") is True

    # 3. Logic in the sentence editor: the pickers speak in titles and words, not codes.
    page.locator("#q-comment a[data-edit]").click()
    edit = page.locator("#q-comment form.question-form")
    edit.wait_for()
    questions = edit.locator("[name=logic_question] option").all_inner_texts()
    operators = edit.locator("[name=logic_op] option").all_inner_texts()
    assert NPS in questions and STORE in questions and store not in questions
    assert "小于或等于" in operators and "是以下之一" in operators and "lte" not in operators
    edit.locator("[name=logic_question]").select_option(label=STORE)
    edit.locator("[name=logic_op]").select_option(label="是以下之一")
    edit.locator("[name=logic_value]").fill("南京東路店")
    edit.locator("button[type=submit]").click()
    page.wait_for_selector(f"#q-comment .logic >> text={SENTENCE}")
    logic = page.locator("#q-comment .logic").inner_text()
    assert not re.search(r"[A-Za-z_]{2,}", logic), logic  # no "in", "lte" or question keys
    assert survey.current_version.questions.get(key="comment").show_if == {
        "question": store, "op": "in", "value": ["o2"]}  # fmt: skip
    assert page.evaluate("window.stillTheSamePage") is True

    # The order and the logic were stored: a fresh page shows them.
    page.reload()
    cards = page.locator("#question-list > li").evaluate_all("els => els.map(e => e.id)")
    assert cards == ["q-nps", f"q-{store}", "q-reason", "q-praise", "q-comment"]
    assert page.locator("#q-comment .logic").inner_text() == SENTENCE

    # 4. The phone preview beside the editor: logic, restart and jump; nothing stored.
    responses, invitations = Response.objects.count(), Invitation.objects.count()
    phone = page.frame_locator(f"iframe[name=preview-{survey.pk}]")
    phone.get_by_text(NPS).wait_for()
    _shoot(page, "builder-preview-zh-hans", 1280)
    _answer_first_page(phone, nps="3", store="南京東路店")
    phone.get_by_text(COMMENT).wait_for()  # the new logic: this store sees the comment box
    assert phone.get_by_text(REASON).is_visible()  # the template's logic: a detractor
    assert not phone.get_by_text(PRAISE).is_visible()

    page.get_by_role("button", name="重新开始").click()
    phone.get_by_text(NPS).wait_for()
    _answer_first_page(phone, nps="10", store="徐家汇店")
    phone.get_by_text(PRAISE).wait_for()  # a promoter
    assert not phone.get_by_text(COMMENT).is_visible()  # hidden by the new logic
    assert not phone.get_by_text(REASON).is_visible()

    page.select_option("select[name=_to]", "comment")  # jump to a question
    page.get_by_role("button", name="跳转").click()
    phone.get_by_text(COMMENT).wait_for()  # hidden a moment ago; its page is shown now
    assert phone.get_by_text(NPS).count() == 0  # the first page was skipped
    assert (Response.objects.count(), Invitation.objects.count()) == (responses, invitations)

    # 5. Publish.
    page.get_by_role("button", name="发布", exact=True).click()
    page.locator("h1 .status.active").wait_for()
    survey.refresh_from_db()
    assert survey.status == "active"

    # 6. Distribute: an audience sized live, an edited email, sent now.
    page.get_by_role("link", name="投放", exact=True).click()
    page.wait_for_url(f"**/staff/distributions/survey/{survey.pk}/")
    page.fill("#id_region", "上海")
    reachable = Customer.objects.filter(region="上海", unsubscribed=False, consent=True).count()
    assert reachable == 3
    page.wait_for_selector(f"#audience-count:text-is('{reachable}')")
    page.fill("#id_email_subject", SUBJECT)
    page.fill("#id_email_body", BODY)
    piped = page.locator(".email-subject", has_text="，想听听您对门店的看法 ☕")
    piped.wait_for()  # the preview is piped for a customer of the audience
    assert piped.inner_text().split("，")[0] in {c.name for c in customers}
    _shoot(page, "distribution-zh-hans", 1280)
    assert page.locator("input[name=when][value=now]").is_checked()
    page.click("button[value=create]")
    page.wait_for_selector("#distribution-status:has-text('已发送')", timeout=30_000)

    # 7. The edited email, filled in for each customer, through SMTP.
    wait_until(lambda: len(smtp.messages) == reachable)
    assert sorted(m["To"] for m in smtp.messages) == sorted(c.email for c in customers)
    (to_wang,) = smtp.to("wang.fang@example.cn")
    assert to_wang["Subject"].strip() == "王芳，想听听您对门店的看法 ☕"
    text = to_wang.get_body(("plain",)).get_content()
    assert "王芳您好：" in text and f"请花两分钟填写「{TITLE}」：" in text
    assert "{" not in text
    link = re.search(rf"{re.escape(live_server.url)}/i/[\w-]{{43}}/", text).group(0)

    customer = browser.new_context(**PHONE)
    visit = customer.new_page()
    customer_problems = _watch(visit)
    opened = visit.goto(link)
    assert opened.status == 200
    visit.get_by_text(TITLE).first.wait_for()
    visit.get_by_text(NPS).wait_for()

    # The QR code of the links page encodes the public link at the configured site URL.
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    page.get_by_role("link", name="链接和二维码").click()
    public = f"{live_server.url}/s/{SLUG}/"
    assert page.locator("#public-link").inner_text() == public
    png_path = page.locator("a[href*='.png']").get_attribute("href")  # from this site
    png = context.request.get(f"{live_server.url}{png_path}")
    assert png.status == 200 and png.headers["content-type"] == "image/png"
    assert qr_encodes(png.body(), f"{public}?c=qr")
    assert not qr_encodes(png.body(), public)  # the reading tells links apart
    scanned = visit.goto(f"{public}?c=qr")
    assert scanned.status == 200
    visit.get_by_text(TITLE).first.wait_for()
    customer.close()

    # 8. Photographs: builder with its preview and the distribution page, both widths.
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    phone.get_by_text(NPS).wait_for()
    _shoot(page, "builder-preview-zh-hans", 390)
    page.goto(f"{live_server.url}/staff/distributions/survey/{survey.pk}/")
    _size_again(page)
    _shoot(page, "distribution-zh-hans", 390)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    page.get_by_role("button", name="Restart").wait_for()
    _shoot(page, "builder-preview-en", 1280)
    page.goto(f"{live_server.url}/staff/distributions/survey/{survey.pk}/")
    _size_again(page)
    _shoot(page, "distribution-en", 1280)
    context.close()
    assert problems == [] and customer_problems == []
