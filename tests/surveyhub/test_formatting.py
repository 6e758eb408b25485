"""Numbers as people read them (`surveyhub.formatting` and the `number_words` filters), in
Chinese and English, with real values."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from surveyhub.formatting import (
    format_count,
    format_days,
    format_money,
    format_number,
    format_percent,
    format_points,
)


@pytest.mark.parametrize(
    ("language", "value", "kwargs", "expected"),
    [
        ("zh-hans", 1234.5, {}, "¥1,234.50"),
        ("en", 1234.5, {}, "CN¥1,234.50"),
        ("zh-hans", Decimal("1299.00"), {"decimals": 0}, "¥1,299"),
        ("zh-hans", Decimal("-50"), {}, "−¥50.00"),
        ("en", 1_234_567.891, {}, "CN¥1,234,567.89"),
        ("zh-hans", -0.001, {}, "¥0.00"),  # a refund rounding to nothing is no "−¥0.00"
        ("zh-hans", None, {}, "—"),
        ("zh-hans", float("nan"), {}, "—"),
        ("en", 88, {"currency": "USD"}, "US$88.00"),
        ("zh-hans", 88, {"currency": "sgd"}, "88.00 SGD"),
    ],
)
def test_money_in_both_languages(language, value, kwargs, expected):
    with translation.override(language):
        assert format_money(value, **kwargs) == expected


@override_settings(DEFAULT_CURRENCY="EUR")
def test_money_follows_the_configured_currency():
    with translation.override("zh-hans"):
        assert format_money(12.5) == "€12.50"


@pytest.mark.parametrize(
    ("share", "decimals", "expected"),
    [(0.2534, 1, "25.3%"), (1, 1, "100.0%"), (0.0004, 1, "0.0%"), (-0.125, 0, "−12%"),
     (0.5, 2, "50.00%"), (None, 1, "—")],
)  # fmt: skip
def test_percent_of_a_share(share, decimals, expected):
    assert format_percent(share, decimals=decimals) == expected


def test_points_are_the_bare_rounded_number():
    assert format_points(32.46) == "32.5"
    assert format_points(-8) == "−8.0"
    assert format_points(-0.04) == "0.0"
    assert format_points(100, decimals=0) == "100"
    assert format_number(-1234.5, decimals=1) == "−1,234.5"


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [("zh-hans", 12, "12 天"), ("en", 12, "12 days"), ("en", 1, "1 day"),
     ("en", 0.2, "under 1 day"), ("zh-hans", 0.2, "不到 1 天"),
     ("zh-hans", 1234.4, "1,234 天"), ("en", 0, "0 days"),
     ("en", None, "—")],
)  # fmt: skip
def test_days(language, value, expected):
    with translation.override(language):
        assert format_days(value) == expected


@pytest.mark.parametrize(
    ("language", "n", "unit", "expected"),
    [("zh-hans", 1234, None, "1,234"), ("zh-hans", 1234, "customers", "1,234 位客户"),
     ("en", 1, "customers", "1 customer"), ("en", 3, "orders", "3 orders"),
     ("zh-hans", 3, "orders", "3 单"), ("zh-hans", 2, "stores", "2 家门店"),
     ("en", 5, "次", "5 次"), ("en", None, "orders", "—")],
)  # fmt: skip
def test_count(language, n, unit, expected):
    with translation.override(language):
        assert format_count(n, unit) == expected


def test_template_filters_use_the_same_words():
    template = Template(
        "{% load number_words %}{{ a|money }}|{{ a|money:0 }}|{{ s|percent_of }}|"
        "{{ p|points }}|{{ d|days }}|{{ n|count:'customers' }}|{{ missing|money }}"
    )
    context = Context({"a": 2599.5, "s": 0.415, "p": -12.25, "d": 30, "n": 2, "missing": None})
    with translation.override("zh-hans"):
        assert template.render(context) == "¥2,599.50|¥2,600|41.5%|−12.2|30 天|2 位客户|—"
    with translation.override("en"):
        assert template.render(context) == "CN¥2,599.50|CN¥2,600|41.5%|−12.2|30 days|2 customers|—"
