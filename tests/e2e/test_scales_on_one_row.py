"""Every rating scale reads left to right on ONE row on a phone, at 320–414 px: NPS 0–10,
CES 1–7, CSAT 1–5, star ratings and a face scale; each target at least 24 px wide (WCAG 2.2),
nothing wider than the screen, the end labels under the ends."""

import pytest

from surveys.design.services import survey_create, survey_publish
from surveys.models import Answer
from tests.support import PHONE, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTIONS = [
    {"key": "nps", "type": "nps", "text": "您会推荐我们吗？", "text_en": "Recommend us?"},
    {"key": "ces", "type": "ces", "text": "办理很容易。您是否同意？", "text_en": "It was easy."},
    {"key": "csat", "type": "csat", "text": "您对本次服务满意吗？", "text_en": "Satisfied?"},
    {"key": "stars", "type": "rating", "text": "请为配送速度评分", "text_en": "Rate delivery"},
    {"key": "faces", "type": "csat", "scale_style": "faces", "text": "心情如何？",
     "text_en": "How do you feel?"},
]  # fmt: skip
# The question key, how many targets it has, and which element is the tap target.
SCALES = [("nps", 11), ("ces", 7), ("csat", 5), ("stars", 5), ("faces", 5)]


@pytest.fixture
def survey():
    survey = survey_create(title="量表测试", title_en="Scales", slug="scales", kind="nps",
                           questions=QUESTIONS)  # fmt: skip
    return survey_publish(survey=survey)


def _boxes(page, key):
    targets = page.locator(f"#q-{key} .scale label, #q-{key} .stars label")
    return [targets.nth(i).bounding_box() for i in range(targets.count())]


@pytest.mark.parametrize("width", [320, 360, 390, 414])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_scale_sits_on_one_row_with_wide_enough_targets(
    live_server, browser, survey, width, language, artifacts_dir
):
    context = browser.new_context(**{**PHONE, "viewport": {"width": width, "height": 900}})
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/?lang={language}")

    for key, count in SCALES:
        boxes = _boxes(page, key)
        assert len(boxes) == count, key
        assert len({round(box["y"]) for box in boxes}) == 1, (key, width)  # one row
        assert min(box["width"] for box in boxes) >= 24, (key, width)
        assert max(box["x"] + box["width"] for box in boxes) <= width, (key, width)
        assert min(box["x"] for box in boxes) >= 0
        # Left to right in order: the lowest value on the left.
        assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes) or key == "stars"
    # Nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The end labels sit under the ends of the NPS scale.
    first, last = _boxes(page, "nps")[0], _boxes(page, "nps")[-1]
    ends = page.locator("#q-nps .ends span")
    left, right = ends.nth(0).bounding_box(), ends.nth(1).bounding_box()
    assert left["y"] > first["y"] + first["height"] - 1
    assert abs(left["x"] - first["x"]) < 2
    assert abs(right["x"] + right["width"] - (last["x"] + last["width"])) < 2
    if width in (320, 390):
        shot = artifacts_dir / f"scales-{width}-{language}.png"
        page.screenshot(path=str(shot), full_page=True)
    context.close()


def test_stars_fill_up_to_the_one_tapped_and_the_answer_is_that_number(
    live_server, browser, survey
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{survey.slug}/")
    stars = page.locator("#q-stars .stars label")
    # Drawn left to right 1…5 although the markup runs 5…1 (the CSS fills the lower stars).
    xs = {page.locator(f"label[for=stars-{n}]").bounding_box()["x"]: n for n in range(1, 6)}
    assert [xs[x] for x in sorted(xs)] == [1, 2, 3, 4, 5]
    page.locator("label[for=stars-4]").tap()
    colours = [
        page.evaluate(
            "n => getComputedStyle(document.querySelector(`label[for=stars-${n}]`), '::before')"
            ".backgroundColor",
            n,
        )
        for n in range(1, 6)
    ]
    page.mouse.move(0, 0)
    gold = "rgb(245, 166, 35)"
    assert colours[:4] == [gold] * 4 and colours[4] != gold
    assert stars.count() == 5
    assert page.locator("input[name=stars]:checked").get_attribute("value") == "4"
    # Autosaved as the number 4 (and done before the page closes, so nothing is in flight).
    wait_until(lambda: Answer.objects.filter(question_key="stars", number=4).exists())
    context.close()
