"""Demo steps for `seed_demo`: ~200 Chinese customers, then a year of their purchases.

Deterministic (a fixed random seed) and idempotent: customers are keyed by external ID and
orders by order ID, so seeding twice creates nothing twice.
"""

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from analytics.models import Purchase
from surveys.customers.services import customer_create
from surveys.models import Customer

DEMO_CUSTOMERS = 200
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = [
    *"伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚",
    "秀英",
    "桂英",
    "子涵",
    "浩然",
    "欣怡",
    "梓轩",
]
ENGLISH_NAMES = [
    "Emily Chen",
    "David Wang",
    "Sarah Li",
    "Michael Zhang",
    "Anna Liu",
    "Tom Zhao",
    "Grace Huang",
    "Kevin Wu",
    "Lucy Zhou",
    "Jason Xu",
]
REGIONS = [
    "上海",
    "北京",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "武汉",
    "南京",
    "西安",
    "重庆",
    "苏州",
    "天津",
]
TAGS = ["VIP", "会员", "新客", "企业客户", "老客户", "高潜力"]
CATEGORIES = {  # category → (median order value in CNY, spread)
    "服装": (260, 0.6),
    "鞋靴": (420, 0.5),
    "美妆": (310, 0.5),
    "食品": (95, 0.5),
    "数码": (1800, 0.7),
    "家居": (520, 0.7),
    "母婴": (230, 0.5),
}
CHANNELS = ["天猫", "京东", "微信小程序", "门店", "官网", "抖音"]


def seed_customers(*, log: Callable[[str], None]) -> None:
    """The demo directory: names, regions, tags, phones, emails; some en, some unsubscribed."""
    rng = random.Random(2026)
    existing = set(
        Customer.objects.filter(external_id__startswith="DEMO-").values_list(
            "external_id", flat=True
        )
    )
    created = 0
    for number in range(1, DEMO_CUSTOMERS + 1):
        english = number % 10 == 0
        name = (
            ENGLISH_NAMES[number // 10 % len(ENGLISH_NAMES)]
            if english
            else rng.choice(SURNAMES) + rng.choice(GIVEN)
        )
        fields = {
            "external_id": f"DEMO-{number:04d}",
            "name": name,
            "phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            "email": f"demo{number:04d}@example.cn",
            "region": rng.choice(REGIONS),
            "language": "en" if english else "zh-hans",
            "tags": rng.sample(TAGS, k=rng.choice([0, 1, 1, 2])),
            "unsubscribed": number % 17 == 0,
        }
        if fields["external_id"] in existing:
            continue
        customer_create(**fields)
        created += 1
    log(f"Demo customers: {created} created, {len(existing)} already there.")


def seed_purchases(*, log: Callable[[str], None]) -> None:
    """A year of purchases for the demo customers: heterogeneous buyers, a few refunds, churn."""
    rng = random.Random(7)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    customers = list(
        Customer.objects.filter(external_id__startswith="DEMO-")
        .order_by("external_id")
        .values_list("id", "external_id")
    )
    purchases = []
    for customer_id, external_id in customers:
        orders_a_year = rng.gammavariate(1.2, 4.0)  # a few heavy buyers, many occasional ones
        favourite = rng.choice(list(CATEGORIES))
        # Some customers stopped buying a while ago (churn shows up in retention and RFM).
        last_day = rng.choice([0, 0, 0, 0, 30, 90, 180])
        count = max(1, round(orders_a_year))
        for n in range(count):
            days_ago = rng.uniform(last_day, 365)
            category = favourite if rng.random() < 0.6 else rng.choice(list(CATEGORIES))
            median, spread = CATEGORIES[category]
            amount = Decimal(str(round(rng.lognormvariate(0, spread) * median, 2)))
            refund = rng.random() < 0.03
            purchases.append(
                Purchase(
                    customer_id=customer_id,
                    order_id=f"{external_id}-{n + 1:03d}",
                    ordered_at=now - timedelta(days=days_ago, hours=rng.randrange(24)),
                    amount=-amount if refund else amount,
                    is_refund=refund,
                    currency="CNY",
                    category=category,
                    channel=rng.choice(CHANNELS),
                    quantity=rng.choice([1, 1, 1, 2, 3]),
                )
            )
    before = Purchase.objects.count()
    Purchase.objects.bulk_create(purchases, batch_size=1000, ignore_conflicts=True)
    log(f"Demo purchases: {Purchase.objects.count() - before} created.")
