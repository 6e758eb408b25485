"""The customer directory on a phone: one card per customer, each detail after its label,
the page as wide as the screen (the eight-column table made it 525 px wide at 390), and
the filters beyond search folded away until one of them is set."""

import pytest

from surveyhub.security.roles import Role
from tests.factories import CustomerFactory, UserFactory
from tests.support import staff_on_a_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_reads_and_filters_customers_on_a_phone(live_server, browser, artifacts_dir):
    UserFactory(username="manager-phone", role=Role.MANAGER)
    CustomerFactory(
        name="歐陽 Jennifer-Louise 👩‍💼", email="jennifer.louise.ouyang@example-company.com.cn",
        region="乌鲁木齐", external_id="CRM-2026-000000000123",
    )  # fmt: skip
    CustomerFactory(name="王小明", region="北京")
    context, page = staff_on_a_phone(
        browser, live_server, "manager-phone", "/staff/customers/", "table.cards-on-phone"
    )

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"page is {width}px wide on a 390px screen"
    card = page.locator("tbody tr", has_text="歐陽")
    # What a cell shows: its label (a ::before, not in innerText), then its text.
    shown = card.evaluate(
        "row => [...row.cells].map(td =>"
        " getComputedStyle(td, '::before').content.replace(/\"/g, '') + td.innerText)"
    )
    assert "地区：乌鲁木齐" in shown
    assert "电子邮件：jennifer.louise.ouyang@example-company.com.cn" in shown
    assert all(cell.bounding_box()["width"] <= 390 for cell in card.locator("td").all())
    assert not page.locator("select[name=region]").is_visible()  # folded under 更多筛选
    page.screenshot(path=str(artifacts_dir / "phone-customers.png"), full_page=True)

    page.locator("summary", has_text="更多筛选").tap()
    page.select_option("select[name=region]", "北京")
    page.locator(".filters-more button[type=submit]").tap()
    page.wait_for_url("**region=**")

    assert page.locator("tbody tr").count() == 1
    assert "王小明" in page.inner_text("tbody")
    assert page.locator("select[name=region]").is_visible()  # a set filter stays in view
    context.close()
