"""Issue 18: a checkbox on a staff form sits beside (or right under) its own label at its own
size, never stretched across the form away from it (`.form input{width:100%}`), on the
builder's question and settings forms and the distribution's audience builder, at 390 and
1280 px."""

import pytest
from django.test import Client

from surveyhub.security.roles import Role
from surveys.design.services import survey_create
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each visible checkbox of a staff form: its box and its first label's box.
BOXES = """els => els.filter(e => e.offsetParent !== null && e.labels.length).map(e => {
  const box = e.getBoundingClientRect(), label = e.labels[0].getBoundingClientRect();
  return {name: e.name, width: box.width, left: box.left, right: box.right, top: box.top,
          bottom: box.bottom, lLeft: label.left, lRight: label.right, lTop: label.top,
          lBottom: label.bottom};
})"""


def _gap(b) -> float:
    """The distance between the checkbox and its label (0 when they touch or overlap)."""
    across = max(b["lLeft"] - b["right"], b["left"] - b["lRight"], 0)
    down = max(b["lTop"] - b["bottom"], b["top"] - b["lBottom"], 0)
    return (across**2 + down**2) ** 0.5


@pytest.mark.parametrize("width", [390, 1280])
def test_every_checkbox_of_the_builder_and_audience_forms_sits_by_its_label(
    live_server, browser, width
):
    nps = {"key": "nps", "type": "nps", "text": "推荐吗？"}
    survey = survey_create(title="门店体验调查", slug=f"boxes-{width}", kind="nps", questions=[nps])
    client = Client()
    client.force_login(UserFactory(role=Role.DESIGNER))
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        {"name": "django_language", "value": "zh-hans", "url": live_server.url},
    ])  # fmt: skip
    page = context.new_page()
    seen: dict[str, list[dict]] = {}
    page.goto(f"{live_server.url}/staff/surveys/{survey.pk}/")
    page.locator(".builder-main details").evaluate_all("els => els.forEach(d => d.open = true)")
    seen["builder"] = page.locator("form.form input[type=checkbox]").evaluate_all(BOXES)
    page.goto(f"{live_server.url}/staff/distributions/survey/{survey.pk}/")
    seen["audience"] = page.locator("form.form input[type=checkbox]").evaluate_all(BOXES)
    context.close()

    names = {page_name: {b["name"] for b in boxes} for page_name, boxes in seen.items()}
    assert {"required", "allow_other", "one_question_per_page"} <= names["builder"]
    assert "everyone" in names["audience"]
    for boxes in seen.values():
        for box in boxes:
            assert box["width"] <= 32, box  # its own size, not the form's width
            assert _gap(box) <= 40, box  # beside or right under its label
