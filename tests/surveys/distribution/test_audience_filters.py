"""Building a distribution's audience from the directory with registered filters."""

import pytest
from django.utils import translation

from surveys.distribution.audience import (
    AudienceError,
    AudienceFilter,
    audience_build,
    register_audience_filter,
    unregister_audience_filter,
)
from surveys.models import CustomerTag

pytestmark = pytest.mark.django_db


def tagged(customer, *names):
    for name in names:
        customer.tags.add(CustomerTag.objects.get_or_create(name=name)[0])
    return customer


def test_the_tags_filter_selects_customers_with_any_tag_once(survey, customer):
    zhang = tagged(customer("张伟", "zhang.wei@example.cn"), "VIP", "老客户")
    li = tagged(customer("李娜", "li.na@example.cn"), "老客户")
    tagged(customer("刘洋", "liu.yang@example.cn"), "新客户")

    audience = audience_build(survey=survey, filters={"tags": ["VIP", "老客户"]})

    assert list(audience) == [zhang, li]


def test_region_and_language_filters_combine_with_and(survey, customer):
    shanghai_en = customer("陈静", "chen.jing@example.cn", region="上海", language="en")
    customer("杨磊", "yang.lei@example.cn", region="上海", language="zh-hans")
    customer("赵敏", "zhao.min@example.cn", region="北京", language="en")

    audience = audience_build(survey=survey, filters={"region": "上海", "language": ["en"]})

    assert list(audience) == [shanghai_en]


def test_customer_ids_and_external_ids_select_exactly_those_customers(survey, customer):
    huang = customer("黄磊", "huang.lei@example.cn", external_id="VIP-001")
    zhou = customer("周杰", "zhou.jie@example.cn")
    customer("吴昊", "wu.hao@example.cn")

    assert list(audience_build(survey=survey, filters={"customer_ids": [zhou.pk]})) == [zhou]
    assert list(audience_build(survey=survey, filters={"external_ids": ["VIP-001"]})) == [huang]


def test_all_selects_every_customer_but_merged_duplicates(survey, customer):
    kept = customer("孙丽", "sun.li@example.cn")
    customer("孙丽", "sun.li.old@example.cn", merged_into=kept)

    assert list(audience_build(survey=survey, filters={"all": True})) == [kept]


def test_an_unknown_filter_is_refused_naming_it_and_the_available_ones(survey):
    with translation.override("en"), pytest.raises(AudienceError) as error:
        audience_build(survey=survey, filters={"foo": 1})
    from surveys.distribution.audience import audience_filters

    available = ", ".join(sorted(audience_filters()))
    assert error.value.errors == [f"Unknown audience filter: foo (available: {available})"]
    # surveys' own filters, and those analytics registers through the registry
    for key in ("tags", "region", "customer_ids", "purchased_within_days", "rfm_segment"):
        assert key in available


def test_an_empty_audience_is_refused_instead_of_inviting_everyone(survey):
    with pytest.raises(AudienceError) as error:
        audience_build(survey=survey, filters={})
    assert '{"all": true}' in error.value.errors[0]


@pytest.mark.parametrize(
    "filters",
    [
        {"tags": []},
        {"tags": [{"name": "VIP"}]},
        {"customer_ids": ["abc"]},
        {"customer_ids": [True]},
        {"customer_ids": ["9" * 30]},
        {"language": ["fr"]},
        {"all": "yes"},
        ["tags"],
    ],
)
def test_a_malformed_filter_value_is_refused_saying_what_was_expected(survey, filters):
    with pytest.raises(AudienceError) as error:
        audience_build(survey=survey, filters=filters)
    assert error.value.errors and all(error.value.errors)


def test_a_filter_registered_by_another_app_is_validated_and_applied(survey, customer):
    def clean(value):
        if not isinstance(value, int) or value < 1:
            raise ValueError("expected a whole number of days ≥ 1.")
        return value

    register_audience_filter(
        AudienceFilter(
            key="vip_level_at_least",
            label="VIP level",
            apply=lambda qs, value: qs.filter(attributes__vip_level__gte=value),
            clean=clean,
        )
    )
    try:
        gold = customer("马云飞", "ma.yunfei@example.cn", attributes={"vip_level": 3})
        customer("林晓", "lin.xiao@example.cn", attributes={"vip_level": 1})

        audience = audience_build(survey=survey, filters={"vip_level_at_least": 2})
        with pytest.raises(AudienceError):
            audience_build(survey=survey, filters={"vip_level_at_least": 0})
    finally:
        unregister_audience_filter("vip_level_at_least")

    assert list(audience) == [gold]
