"""The managers' weekly digest has a line on customers at high churn risk: how many, the value
at stake and the change against the CLV run a week earlier, linking to the warning list —
sent through a real SMTP server."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from analytics.dashboard.digests import weekly_digest_send
from analytics.models import ClvRun, CustomerValue
from tests.factories import CustomerFactory, UserFactory
from tests.surveys.distribution.smtp import SmtpServer

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 15)


def _run(as_of, stakes):
    run = ClvRun.objects.create(as_of=as_of, r=1, alpha=1, a=1, b=1, bgnbd_log_likelihood=0,
                                n_customers=len(stakes))  # fmt: skip
    for band, stake in stakes:
        CustomerValue.objects.create(
            run=run, customer=CustomerFactory(name="流失風險客戶😟"), frequency=1, recency=1, T=10,
            monetary=1, recency_days=200, orders=1, spend=Decimal("1"), r_score=1, f_score=1,
            m_score=1, rfm_segment="important_retain", p_alive=0.5, expected_orders_1y=1,
            clv=Decimal("1000"), value_tier="high", churn_risk=0.8, churn_band=band,
            value_at_stake=Decimal(stake),
        )  # fmt: skip
    return run


def _send(server):
    with override_settings(**server.settings(), SITE_URL="https://hub.example.cn"):
        return weekly_digest_send(today=MONDAY)


@pytest.fixture
def manager(db):
    return UserFactory(username="boss", email="boss@example.cn", role="经理 Manager")


def test_the_digest_counts_high_risk_customers_value_and_change(manager):
    _run(dt.date(2026, 6, 6), [("high", "1000.00"), ("medium", "50.00")])
    _run(dt.date(2026, 6, 13), [("high", "800.00"), ("high", "700.00"), ("high", "500.00"),
                                ("low", "10.00")])  # fmt: skip

    with SmtpServer() as server:
        assert _send(server) == 1

    message = server.handler.to("boss@example.cn")[0]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    line = "高流失风险客户 3 位，风险价值 ¥2,000（较上周：+2 位，+¥1,000）。"
    assert line in text and line in html
    assert "https://hub.example.cn/staff/customers/at-risk/" in text
    assert 'href="https://hub.example.cn/staff/customers/at-risk/"' in html


def test_without_a_run_a_week_earlier_it_says_so(manager):
    _run(dt.date(2026, 6, 13), [("high", "1234.00")])

    with SmtpServer() as server:
        _send(server)

    text = server.handler.messages[0].get_body(("plain",)).get_content()
    assert "高流失风险客户 1 位，风险价值 ¥1,234（无一周前的数据可比）。" in text


def test_a_fall_is_shown_with_a_minus_sign(manager):
    _run(dt.date(2026, 6, 1), [("high", "900.00"), ("high", "100.00")])
    _run(dt.date(2026, 6, 14), [("high", "400.00")])

    with SmtpServer() as server:
        _send(server)

    text = server.handler.messages[0].get_body(("plain",)).get_content()
    assert "较上周：−1 位，−¥600" in text


def test_without_any_run_the_line_says_not_available(manager):
    with SmtpServer() as server:
        _send(server)

    text = server.handler.messages[0].get_body(("plain",)).get_content()
    assert "流失风险客户: 暂无数据" in text
