"""The customer directory filters by the customers' imported attributes (issue #16,
"imported attributes"): any attribute name the imports brought, with or without a value."""

import pytest

from surveyhub.security.roles import Role
from surveys.customers.attributes import attribute_keys
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


@pytest.fixture
def customers():
    CustomerFactory(
        name="王芳", attributes={"会员等级": "金卡", "门店": "徐汇旗舰店", "积分": 1200}
    )
    CustomerFactory(name="陳大文", attributes={"会员等级": "銀卡 🥈", "門市": "銅鑼灣店"})
    CustomerFactory(name="Emily Chen", attributes={"积分": "300", "channel": "App"})
    CustomerFactory(name="李雷", attributes={})


def _names(staff, **params) -> set[str]:
    page = staff.get("/staff/customers/", params)
    assert page.status_code == 200
    html = page.content.decode()
    return {n for n in ("王芳", "陳大文", "Emily Chen", "李雷") if f">{n}</a>" in html}


def test_the_filter_offers_every_attribute_name_the_imports_brought(staff, customers):
    assert attribute_keys() == sorted(["会员等级", "门店", "积分", "門市", "channel"])
    html = staff.get("/staff/customers/").content.decode()
    assert 'name="attribute"' in html and '<option value="門市">門市</option>' in html


def test_an_attribute_with_a_value_and_without(staff, customers):
    assert _names(staff, attribute="会员等级", attribute_value="金卡") == {"王芳"}
    assert _names(staff, attribute="会员等级", attribute_value="銀卡 🥈") == {"陳大文"}
    assert _names(staff, attribute="会员等级") == {"王芳", "陳大文"}
    # Numbers and numeric text are the same value, as a spreadsheet shows them.
    assert _names(staff, attribute="积分", attribute_value="1200") == {"王芳"}
    assert _names(staff, attribute="积分", attribute_value="300") == {"Emily Chen"}
    assert _names(staff, attribute="积分", attribute_value="999") == set()
    # With the other filters.
    assert _names(staff, attribute="积分", q="Emily") == {"Emily Chen"}


def test_a_value_without_an_attribute_is_said_beside_the_filter(staff, customers):
    html = staff.get("/staff/customers/", {"attribute_value": "金卡"}).content.decode()
    assert "请选择这个值所属的属性。" in html
    html = staff.get("/staff/customers/", {"attribute": "no-such"}).content.decode()
    assert "no-such" in html and 'class="error"' in html  # not one of the choices
