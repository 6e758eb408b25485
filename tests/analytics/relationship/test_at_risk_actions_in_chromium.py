"""The at-risk list's actions on the demo data, in Chromium, as the demo admin (who may tag
customers and send surveys), on a phone (390 px) and a desktop (1280 px), in Chinese and in
English: tick two customers, tag them, see how many were tagged; the form never scrolls
sideways and no script fails. Screenshots go to SCREENSHOTS (default /work/shots/h7/)."""

import os
from pathlib import Path

import pytest

from tests.analytics.relationship.test_relationship_pages_on_the_demo_in_chromium import (
    WIDTHS,
    _session_cookie,
    demo,  # noqa: F401 - the fixture
)

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS", "/work/shots/h7"))
DONE = {"zh-hans": "位客户加上标签", "en": "tagged “"}


def test_ticked_customers_are_tagged_from_the_at_risk_list(live_server, browser, demo):  # noqa: F811
    from surveys.models import Customer

    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for language in ("zh-hans", "en"):
        for device, width in WIDTHS.items():
            where = f"{language} {width}px"
            tag = f"winback-{language}-{device}"
            context = browser.new_context(
                viewport={"width": width, "height": 900}, locale=language,
                extra_http_headers={"Accept-Language": language},
            )  # fmt: skip
            context.add_cookies([_session_cookie(live_server, "admin")])
            context.add_cookies([{"name": "django_language", "value": language,
                                  "url": live_server.url}])  # fmt: skip
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
            page.goto(live_server.url + "/staff/customers/at-risk/?band=medium")
            boxes = page.locator('input[form="chosen"][name="customer"]')
            if boxes.count() < 2:
                problems.append(f"{where}: {boxes.count()} customer checkboxes")
                context.close()
                continue
            chosen = [int(boxes.nth(i).get_attribute("value")) for i in (0, 1)]
            boxes.nth(0).check()
            boxes.nth(1).check()
            page.fill("#chosen-tag", tag)
            page.screenshot(path=str(SHOTS / f"at-risk-ticked-{language}-{device}.png"))
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 2:
                problems.append(f"{where}: scrolls sideways by {overflow}px")
            page.locator("form.chosen button[formaction$='/tag/']").click()
            page.wait_for_load_state()
            if DONE[language] not in page.inner_text("body"):
                problems.append(f"{where}: no word on how many were tagged")
            page.screenshot(path=str(SHOTS / f"at-risk-tagged-{language}-{device}.png"))
            tagged = set(Customer.objects.filter(tags__name=tag).values_list("pk", flat=True))
            if tagged != set(chosen):
                problems.append(f"{where}: tagged {sorted(tagged)}, ticked {chosen}")
            if errors:
                problems.append(f"{where}: script errors {errors}")
            context.close()
    assert not problems, "\n".join(problems)
