"""Slider, region, image choice and file upload on a phone at 320, 360, 390 and 414 px: the
slider's range beside its value, the region's lists filled from our own origin as each level
is chosen, picture tiles that fit, nothing wider than the screen; and the same questions
answered with JavaScript off (a number box, the region's lists a level at a time)."""

import shutil
from pathlib import Path

import pytest

from surveys.models import Response, ResponseFile
from tests.support import PHONE
from tests.surveys.questions.fixtures import survey_of_each_type
from tests.surveys.questions.media import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/h4")


def _shot(page, artifacts_dir, name):
    path = artifacts_dir / name
    page.screenshot(path=str(path), full_page=True)
    if SHOTS.is_dir():  # the helper's own look at them (not needed in CI)
        shutil.copy(path, SHOTS / name)


@pytest.mark.parametrize("width", [320, 360, 390, 414])
def test_the_new_types_fit_a_phone_and_work_with_javascript(
    live_server, browser, width, artifacts_dir, tmp_path
):
    survey = survey_of_each_type(slug=f"types-{width}")
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}})
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/?order=W-{width}&src=wechat")

    slider = page.locator("input[type=range][data-slider-for]")
    assert slider.is_visible()  # shown by the script; the number box shows the value
    box = slider.bounding_box()
    assert box["width"] >= 120 and box["x"] + box["width"] <= width
    slider.fill("65")
    assert page.input_value("input[name=score]") == "65"

    page.select_option("select[name=where__1]", "440000")
    page.wait_for_selector("select[name=where__2] option[value='440300']", state="attached")
    page.select_option("select[name=where__2]", "440300")
    page.wait_for_selector("select[name=where__3] option[value='440305']", state="attached")
    page.select_option("select[name=where__3]", "440305")
    region = page.locator(".region").bounding_box()
    assert region["x"] + region["width"] <= width

    tiles = page.locator("input[name=look]").locator("xpath=..")
    for i in range(tiles.count()):
        tile = tiles.nth(i).bounding_box()
        assert tile["width"] >= 120 and tile["x"] + tile["width"] <= width
    tiles.nth(1).click()
    page.locator("input[name=looks][value=red]").locator("xpath=..").click()
    receipt = tmp_path / "小票.png"
    receipt.write_bytes(png())
    page.set_input_files("input[name=receipt]", str(receipt))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, artifacts_dir, f"new-types-{width}.png")

    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=感谢")
    context.close()
    response = Response.objects.get(survey=survey)
    answers = {a.question_key: a for a in response.answers.all()}
    assert answers["score"].number == 65
    assert answers["where"].text == "广东省 深圳市 南山区"
    assert answers["look"].choices == ["blue"] and answers["looks"].choices == ["red"]
    assert answers["order"].text == f"W-{width}"
    assert ResponseFile.objects.get(response=response).name == "小票.png"


def test_the_new_types_are_answered_with_javascript_off(
    live_server, browser, artifacts_dir, tmp_path
):
    survey = survey_of_each_type(slug="types-no-js")
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/?order=N-1")
    assert not page.locator("input[type=range]").is_visible()  # a plain number box instead
    page.fill("input[name=score]", "73")  # not a step of 5
    page.select_option("select[name=where__1]", "110000")
    page.get_by_role("button", name="显示下一级").click()
    page.select_option("select[name=where__2]", "110100")
    page.get_by_role("button", name="显示下一级").click()
    page.select_option("select[name=where__3]", "110105")
    fake = tmp_path / "发票.png"
    fake.write_bytes(b"MZ" + b"\x00" * 300)
    page.set_input_files("input[name=receipt]", str(fake))
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=请选择 0 到 100 之间的数，每次增减 5。")
    page.wait_for_selector("text=此处不接受这种文件")
    _shot(page, artifacts_dir, "new-types-no-js-errors.png")
    assert page.input_value("select[name=where__3]") == "110105"  # kept
    page.fill("input[name=score]", "75")
    page.locator("input[name=look][value=red]").locator("xpath=..").click()
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("text=感谢")
    context.close()
    answers = {a.question_key: a for a in Response.objects.get().answers.all()}
    assert answers["score"].number == 75 and answers["where"].text == "北京市 朝阳区"
    assert answers["order"].text == "N-1" and "receipt" not in answers


@pytest.mark.parametrize(("width", "language"), [(390, "en"), (1280, "zh-hans"), (1280, "en")])
def test_the_new_types_in_english_and_on_a_wide_screen(
    live_server, browser, width, language, artifacts_dir
):
    survey = survey_of_each_type(slug=f"types-{language}-{width}")
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900},
                                     "is_mobile": width < 800})  # fmt: skip
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/?lang={language}")
    if language == "en":
        assert page.locator("text=Poor").count() and page.locator("text=Province").count()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, artifacts_dir, f"new-types-{language}-{width}.png")
    context.close()


def _log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.locator("button.primary[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("width", "locale"), [(390, "zh-CN"), (1280, "zh-CN"), (390, "en-US"), (1280, "en-US")]
)
def test_staff_see_the_pictures_in_the_builder_and_download_a_respondents_file(
    live_server, browser, artifacts_dir, width, locale, tmp_path
):
    from django.test import Client

    from surveyhub.security.roles import Role
    from tests.factories import UserFactory

    survey = survey_of_each_type(slug=f"staff-{width}-{locale[:2]}")
    receipt = tmp_path / "小票.png"
    receipt.write_bytes(png())
    with receipt.open("rb") as handle:
        Client().post(f"/s/{survey.slug}/?order=S-9", {
            "page": 0, "action": "submit", "score": "55", "where__1": "440000",
            "where__2": "440300", "where__3": "440305", "receipt": handle,
        })  # fmt: skip
    response = Response.objects.get(survey=survey)
    name = f"manager-{width}-{locale[:2]}"
    UserFactory(username=name, role=Role.MANAGER)
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900},
                                     "locale": locale, "is_mobile": width < 800})  # fmt: skip
    page = context.new_page()
    _log_in(page, live_server.url, name)
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/questions/look/")
    assert page.locator(".option-pictures img").count() == 2
    _shot(page, artifacts_dir, f"builder-image-choice-{locale[:2]}-{width}.png")
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/responses/{response.pk}/")
    link = page.locator("a[download]")
    assert link.inner_text().startswith("小票.png")
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes() == png()
    _shot(page, artifacts_dir, f"response-new-types-{locale[:2]}-{width}.png")
    context.close()
