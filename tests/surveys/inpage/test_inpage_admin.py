"""An Admin sets up an in-page survey: a wrong origin is named in Chinese and nothing is saved;
a right one gives the snippet to paste, in both languages, on a phone and a desktop."""

from pathlib import Path

import pytest

from surveyhub.security.roles import Role
from surveys.inpage.models import InPageSurvey
from tests.factories import UserFactory, published_survey

SHOTS = Path("/work/shots/h6")


def form(survey, **changes):
    return {
        "name": "结账后 NPS（商城）", "survey": survey.pk, "enabled": "on",
        "allowed_origins": "https://shop.example.cn\nhttps://m.example.cn:8443",
        "trigger": "event", "event_name": "checkout", "page_views": "3",
        "url_pattern": "/order/*", "attribute_rules": "userId=*\nplan=金卡",
        "recontact_days": "30", "follow_up": "on", **changes,
    }  # fmt: skip


@pytest.mark.django_db
def test_an_admin_is_told_which_line_is_wrong_and_then_gets_the_snippet(client):
    client.force_login(UserFactory(username="admin-inpage", role=Role.ADMIN))
    survey = published_survey(slug="shop-nps")
    wrong = client.post(
        "/admin/surveys/inpagesurvey/add/",
        form(survey, allowed_origins="https://shop.example.cn\nm.example.cn/结账"),
        headers={"Accept-Language": "zh-hans"},
    )
    assert wrong.status_code == 200
    assert "第 2 行“m.example.cn/结账”：请填写来源" in wrong.content.decode()
    assert not InPageSurvey.objects.exists()
    saved = client.post("/admin/surveys/inpagesurvey/add/", form(survey))
    assert saved.status_code == 302
    in_page = InPageSurvey.objects.get()
    assert in_page.origins == ["https://shop.example.cn", "https://m.example.cn:8443"]
    page = client.get(f"/admin/surveys/inpagesurvey/{in_page.pk}/change/").content.decode()
    assert f"data-key=&quot;{in_page.key}&quot;" in page
    assert "/embed/v1/surveyhub.js" in page
    assert "网站代码片段" in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("width", "language", "heading"),
    [(390, "zh-hans", "网站代码片段"), (1280, "en", "Snippet for your site"),
     (390, "en", "Snippet for your site"), (1280, "zh-hans", "网站代码片段")],
)  # fmt: skip
def test_the_configuration_page_on_a_phone_and_a_desktop(
    live_server, browser, width, language, heading
):
    UserFactory(username="admin-inpage", role=Role.ADMIN, is_superuser=False)
    survey = published_survey(slug="shop-nps")
    in_page = InPageSurvey.objects.create(
        name="结账后 NPS（商城）", survey=survey, allowed_origins="https://shop.example.cn",
        event_name="checkout", url_pattern="/order/*", attribute_rules="userId=*",
    )  # fmt: skip
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN" if language == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.goto(
        f"{live_server.url}/accounts/login/?next=/admin/surveys/inpagesurvey/{in_page.pk}/change/"
    )
    page.fill("input[name=username]", "admin-inpage")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("button.primary[type=submit]").click()
    page.wait_for_selector("textarea[readonly]")
    assert heading in page.inner_text("body")
    snippet = page.locator("textarea[readonly]").input_value()
    assert f'data-key="{in_page.key}"' in snippet
    page.screenshot(path=str(SHOTS / f"inpage-admin-{width}-{language}.png"), full_page=True)
    context.close()
