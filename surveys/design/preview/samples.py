"""Made-up customers whose data a preview pipes into the texts ({name}, {region}…).

Never a real customer: a designer trying a survey reads no one's personal data, and nothing
is written to the access log."""

from surveys.models import Customer

# key → customer; "" is a public link: no customer, no piping. The picker that names them is
# surveys/preview/_frame.html.
SAMPLES = {
    "wang": Customer(
        name="王芳",
        external_id="SAMPLE-0001",
        region="上海",
        attributes={
            "city": "上海",
            "store": "徐汇旗舰店",
            "level": "金卡会员",
            "last_order": "2026-11-28",
            "order": "DD202611280017",  # what {order} reads for a real invitation
            "product": "空气净化器",
        },
    ),
    "chen": Customer(
        name="Emily Chen",
        external_id="SAMPLE-0002",
        region="香港",
        attributes={
            "city": "香港",
            "store": "銅鑼灣店",
            "level": "Silver",
            "last_order": "2026-10-03",
            "order": "HK20261003-88",
            "product": "咖啡机 ☕",
        },
    ),
    "": None,
}
DEFAULT_SAMPLE = "wang"


def sample_customer(key: str | None) -> Customer | None:
    """The made-up customer named by `key` (the default one for an unknown key)."""
    if key is None or key not in SAMPLES:
        key = DEFAULT_SAMPLE
    return SAMPLES[key]
