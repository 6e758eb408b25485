"""A branded survey on a phone and a desktop: the logo, the cover image and the brand colour
show, nothing scrolls sideways, and the end page has the survey's own button."""

import io
import struct
import zlib

import pytest

from surveys.models import OrganisationBranding, SurveyBranding
from surveys.responding.branding import brand_image_store
from tests.factories import published_survey
from tests.support import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def gradient_png(width, height) -> bytes:
    def pixel(x, y):
        return bytes((200 - x * 120 // width, 16 + y * 80 // height, 46 + x * 100 // width))

    rows = b"".join(b"\0" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))  # fmt: skip


@pytest.fixture
def branded():
    logo = brand_image_store(upload=io.BytesIO(gradient_png(120, 40)), field="logo",
                             max_bytes=100_000)  # fmt: skip
    cover = brand_image_store(upload=io.BytesIO(gradient_png(320, 140)), field="cover",
                              max_bytes=300_000)  # fmt: skip
    OrganisationBranding(name="悦享生活", logo=logo).save()
    survey = published_survey(slug="branded", consent_text="")
    SurveyBranding.objects.create(survey=survey, colour="#c8102e", cover=cover,
                                  end_button_label="去商城逛逛",
                                  end_button_label_en="Visit the shop",
                                  end_button_url="https://shop.example.cn/")  # fmt: skip
    return survey


@pytest.mark.parametrize("width", [320, 360, 390, 414, 1280])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_branded_survey_shows_its_logo_cover_and_colour(
    live_server, browser, branded, width, language, artifacts_dir
):
    options = PHONE if width < 1000 else {"locale": "zh-CN"}
    context = browser.new_context(**{**options, "viewport": {"width": width, "height": 900}})
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{branded.slug}/?lang={language}")
    logo = page.locator("header.brand img")
    assert page.evaluate("img => img.complete && img.naturalWidth", logo.element_handle()) == 120
    cover = page.locator("img.cover").bounding_box()
    sheet = page.locator("main.sheet").bounding_box()
    assert abs(cover["width"] - sheet["width"]) < 1  # edge to edge of the sheet
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.locator("label:has(input[name=nps][value='9'])").click()
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('input[name=nps]:checked + span')).backgroundColor"
    )
    assert colour == "rgb(200, 16, 46)"
    page.screenshot(path=str(artifacts_dir / f"branded-{width}-{language}.png"), full_page=True)
    page.get_by_role("button", name="下一步" if language == "zh-hans" else "Next").click()
    page.get_by_role("button", name="提交" if language == "zh-hans" else "Submit").click()
    button = page.get_by_role(
        "link", name="去商城逛逛" if language == "zh-hans" else "Visit the shop"
    )
    assert button.get_attribute("href") == "https://shop.example.cn/"
    page.screenshot(path=str(artifacts_dir / f"branded-end-{width}-{language}.png"), full_page=True)
    context.close()
