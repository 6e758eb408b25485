"""Purchases carry their store: repurchase, retention and cross-sell break down by store (by
the store's name in the reader's language), each store counted on its own orders."""

import html
import re
from decimal import Decimal

import pytest

from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import Purchase
from surveys.models import Store
from tests.analytics.workspace.conftest import local
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def store_table(response) -> list[list[str]]:
    body = response.content.decode()
    section = body.split('id="ws-by-store"')[1].split("</section>")[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>", section)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row] for row in rows]


@pytest.fixture
def two_stores(db):
    """Q1: A and B buy at 静安店; Q2: A buys twice there (two categories), B buys once at
    the 浦東店 (a Q1 buyer of 静安 who did not come back there), C once at 浦東."""
    jingan = Store.objects.create(code="SH-JA", name="静安店", name_en="Jing'an")
    pudong = Store.objects.create(code="SH-PD", name="浦東店 🏬", name_en="Pudong")
    a, b, c = CustomerFactory(), CustomerFactory(), CustomerFactory()
    orders = [
        (a, jingan, local(2026, 2, 3), "服装"), (b, jingan, local(2026, 2, 4), "服装"),
        (a, jingan, local(2026, 4, 5), "服装"), (a, jingan, local(2026, 5, 6), "食品"),
        (b, pudong, local(2026, 4, 7), "服装"), (c, pudong, local(2026, 5, 8), "服装"),
    ]  # fmt: skip
    for i, (customer, store, at, category) in enumerate(orders):
        Purchase.objects.create(
            customer=customer, store=store, order_id=f"S{i:04d}", ordered_at=at,
            amount=Decimal("88.00"), category=category,
        )  # fmt: skip
    evaluation_compute(period="2026Q1")
    evaluation_compute(period="2026Q2")


def test_repurchase_retention_and_cross_sell_break_down_by_store(manager, two_stores):
    url = "/staff/evaluations/2026Q2/indicators/{}/"

    repurchase = store_table(manager.get(url.format("repurchase_rate"), **EN))
    retention = store_table(manager.get(url.format("retention_rate"), **EN))
    cross_sell = store_table(manager.get(url.format("cross_sell_rate")))  # zh-hans: the names

    assert repurchase == [["Jing'an", "100.0%", "1"], ["Pudong", "0.0%", "2"]]
    assert retention == [["Jing'an", "50.0%", "2"]]  # B left 静安 (bought at 浦東 instead)
    assert cross_sell == [["静安店", "100.0%", "1"], ["浦東店 🏬", "0.0%", "2"]]


def test_channel_still_does_not_apply_to_purchase_indicators(manager, two_stores):
    body = manager.get("/staff/evaluations/2026Q2/indicators/repurchase_rate/", **EN)
    channel = body.content.decode().split('id="ws-by-channel"')[1].split("</section>")[0]
    assert "does not apply" in channel
