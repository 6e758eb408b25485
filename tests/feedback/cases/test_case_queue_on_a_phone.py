"""An agent works the triage queue on a phone: most urgent first, the screen fits, the
"unassigned" filter and the claim button work with touch; a customer name holding markup is
shown as text, never as elements."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models.cases import Case
from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory, detractor_case
from tests.security.xss import DOM_PAYLOAD, dom_injections
from tests.support import staff_on_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_agent_claims_the_most_urgent_case_on_a_phone(live_server, browser, artifacts_dir):
    agent = UserFactory(username="agent-cases", role=Role.AGENT)
    vip = detractor_case(
        customer=CustomerFactory(name="陈静" + DOM_PAYLOAD, attributes={"value_tier": "high"}),
        nps=1, comment="我要去12315投诉",
    )  # fmt: skip
    later = detractor_case(customer=CustomerFactory(name="刘洋"), nps=5)
    overdue = detractor_case(customer=CustomerFactory(name="赵磊"), nps=4)
    Case.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(hours=2))
    Case.objects.filter(pk=later.pk).update(assignee=agent, status="assigned")

    context, page = staff_on_a_phone(
        browser, live_server, "agent-cases", "/staff/cases/", ".case-list"
    )

    order = page.locator(".case-card").evaluate_all("els => els.map(e => e.dataset.case)")
    assert order == [str(overdue.pk), str(vip.pk), str(later.pk)]
    assert page.locator(f'[data-case="{overdue.pk}"] .due.overdue').count() == 1
    assert "P1" in page.inner_text(f'[data-case="{vip.pk}"]')
    assert dom_injections(page) == []
    assert "陈静" + DOM_PAYLOAD in page.inner_text(f'[data-case="{vip.pk}"]')  # as written
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page is {width}px wide on a 390px screen"
    page.screenshot(path=str(artifacts_dir / "phone-case-queue.png"), full_page=True)

    page.locator('a[data-filter="unassigned"]').tap()
    page.wait_for_url("**view=unassigned**")
    assert page.locator(".case-card").count() == 2
    assert "2" in page.inner_text('a[data-filter="unassigned"]')
    page.locator(f'[data-case="{vip.pk}"] button[type=submit]').tap()
    page.wait_for_selector(".messages")
    vip.refresh_from_db()
    assert (vip.assignee, vip.status) == (agent, "assigned")

    page.goto(f"{live_server.url}/staff/cases/{vip.pk}/")
    assert page.locator("mark.escalation").first.inner_text() in ("12315", "投诉")
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    assert dom_injections(page) == []
    assert "陈静" + DOM_PAYLOAD in page.inner_text("main")
    page.screenshot(path=str(artifacts_dir / "phone-case-page.png"), full_page=True)
    context.close()
