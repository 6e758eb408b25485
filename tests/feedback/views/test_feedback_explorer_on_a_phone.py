"""An agent filters the feedback explorer on a phone: fits the screen, keywords highlighted,
and markup in the feedback shown as text (never as elements) around the highlights."""

import pytest

from feedback.analysis.services import feedback_analyse_batch
from surveyhub.security.roles import Role
from tests.factories import FeedbackItemFactory, UserFactory
from tests.security.xss import DOM_PAYLOAD, dom_injections
from tests.support import staff_on_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_filters_negative_feedback_on_a_phone(live_server, browser, artifacts_dir):
    UserFactory(username="agent-phone", role=Role.AGENT)
    items = [
        FeedbackItemFactory(text="东西不错但是物流太慢，等了一个星期" + DOM_PAYLOAD),
        FeedbackItemFactory(text="客服态度很好，问题当天就解决了👍"),
    ]
    feedback_analyse_batch(item_ids=[i.pk for i in items])
    context, page = staff_on_a_phone(
        browser, live_server, "agent-phone", "/staff/feedback/", "select[name=sentiment]"
    )
    page.select_option("select[name=sentiment]", "negative")
    page.locator("form.filters button[type=submit]").tap()
    page.wait_for_url("**sentiment=negative**")

    listing = page.inner_text(".feedback-list")
    assert "物流太慢" in listing
    assert "问题当天就解决了" not in listing
    assert page.locator(".feedback-text mark").count() >= 1
    assert dom_injections(page) == []  # the stored markup is text, not elements
    assert "等了一个星期" + DOM_PAYLOAD in listing
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page is {width}px wide on a 390px screen"
    page.screenshot(path=str(artifacts_dir / "phone-feedback-explorer.png"), full_page=True)
    context.close()
