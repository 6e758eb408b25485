"""The fields each import kind understands, their English and Chinese header names, and the
mapping of a file's header row onto them (automatic, adjustable by the user)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from analytics.models import ImportKind

# Field → header spellings seen in real exports (compared after lower-casing and removing
# spaces, underscores, dashes and brackets).
ALIASES: dict[str, tuple[str, ...]] = {
    "order_id": ("order_id", "order", "order no", "order number", "订单号", "订单编号", "订单id",
                 "单号", "交易号", "交易单号"),
    "customer_id": ("customer_id", "customer", "customer no", "external_id", "member_id",
                    "member", "客户编号", "会员号", "客户id", "会员编号", "客户号", "会员id",
                    "会员卡号", "客户代码"),
    "ordered_at": ("ordered_at", "order_date", "order_time", "date", "purchase_date",
                   "purchased_at", "created_at", "下单时间", "订单日期", "下单日期", "购买日期",
                   "购买时间", "交易时间", "交易日期", "日期", "订单时间"),
    "amount": ("amount", "total", "price", "paid", "paid_amount", "金额", "实付金额",
               "订单金额", "支付金额", "实付", "实收金额", "消费金额", "总金额"),
    "currency": ("currency", "币种", "货币"),
    "category": ("category", "product_category", "品类", "商品类别", "类别", "商品分类",
                 "商品品类", "分类", "类目"),
    "channel": ("channel", "sales_channel", "渠道", "销售渠道", "购买渠道", "来源渠道"),
    "quantity": ("quantity", "qty", "count", "数量", "件数", "购买数量"),
    "phone": ("phone", "mobile", "phone_number", "mobile_phone", "tel", "手机号", "手机",
              "电话", "手机号码", "联系电话", "电话号码"),
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址"),
    "name": ("name", "customer_name", "full_name", "姓名", "客户姓名", "客户名称", "会员姓名",
             "名称", "名字"),
    "region": ("region", "province", "area", "地区", "省份", "区域", "所在地区"),
    # City fills region too when the file has no region column (as it did before it was typed).
    "city": ("city", "城市", "所在城市", "居住城市", "城市名称"),
    "gender": ("gender", "sex", "性别"),
    "birth_year": ("birth_year", "year_of_birth", "birthyear", "birth year", "出生年份", "出生年",
                   "出生年度"),
    "member_level": ("member_level", "membership_level", "member_tier", "会员等级",
                     "会员级别", "会员层级", "等级"),
    "referral_code": ("referral_code", "referral", "ref_code", "推荐码", "推荐人代码", "邀请码"),
    "store": ("store", "store_name", "shop", "门店", "门店名称", "店铺", "店铺名称", "店名",
              "购买门店", "所属门店", "归属门店"),
    "store_code": ("store_code", "store_id", "store no", "shop_code", "门店编码", "门店代码",
                   "门店编号", "门店id", "店铺编码", "店铺编号"),
    "language": ("language", "lang", "语言"),
    "tags": ("tags", "tag", "标签"),
    "unsubscribed": ("unsubscribed", "退订", "已退订"),
}  # fmt: skip

FIELD_LABELS = {
    "order_id": _("order ID"),
    "customer_id": _("customer ID"),
    "ordered_at": _("order date"),
    "amount": _("amount"),
    "currency": _("currency"),
    "category": _("product category"),
    "channel": _("channel"),
    "quantity": _("quantity"),
    "phone": _("phone"),
    "email": _("email"),
    "name": _("name"),
    "region": _("region"),
    "store": _("store"),
    "store_code": _("store code"),
    "language": _("language"),
    "tags": _("tags"),
    "unsubscribed": _("unsubscribed"),
    "city": _("city"),
    "gender": _("gender"),
    "birth_year": _("birth year"),
    "member_level": _("member level"),
    "referral_code": _("referral code"),
}

KIND_FIELDS: dict[str, tuple[str, ...]] = {
    ImportKind.PURCHASES: ("order_id", "customer_id", "ordered_at", "amount", "currency",
                           "category", "channel", "quantity", "phone", "email", "name",
                           "region", "store", "store_code", "city", "referral_code"),
    ImportKind.CUSTOMERS: ("customer_id", "name", "phone", "email", "region", "language",
                           "tags", "unsubscribed", "store", "store_code", "city", "gender",
                           "birth_year", "member_level", "referral_code"),
}  # fmt: skip
REQUIRED: dict[str, tuple[str, ...]] = {
    ImportKind.PURCHASES: ("order_id", "ordered_at", "amount"),
    ImportKind.CUSTOMERS: (),
}
# At least one of these identifies the customer of a row.
CUSTOMER_KEYS = ("customer_id", "phone", "email")

_NOISE = re.compile(r"[\s_\-()（）\[\]【】:：*]+")


def header_key(text: str) -> str:
    return _NOISE.sub("", str(text or "")).lower()


_LOOKUP = {header_key(alias): field for field, names in ALIASES.items() for alias in names}


@dataclass(frozen=True)
class ColumnMap:
    """Field → index of its column in the file, and the header text it came from."""

    index: dict[str, int]
    headers: dict[str, str]

    def missing(self, kind: str) -> list[str]:
        missing = [name for name in REQUIRED[kind] if name not in self.index]
        if not any(key in self.index for key in CUSTOMER_KEYS):
            missing.append("customer_id")
        return missing


def map_columns(
    header: list[str], *, kind: str, mapping: dict[str, str] | None = None
) -> ColumnMap:
    """Map a header row to fields: the user's mapping first, then the known spellings.

    `mapping` is {header text: field}; a field of "" or "-" ignores that column.
    """
    allowed = set(KIND_FIELDS[kind])
    overrides = {header_key(source): target for source, target in (mapping or {}).items()}
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    for position, text in enumerate(header):
        key = header_key(text)
        if not key:
            continue
        field = overrides[key] if key in overrides else _LOOKUP.get(key)
        if field in allowed and field not in index:
            index[field] = position
            headers[field] = str(text).strip()
    return ColumnMap(index=index, headers=headers)


def mapping_errors(mapping: dict, *, kind: str) -> list[str]:
    """Fields named in a user mapping that this kind does not know."""
    allowed = set(KIND_FIELDS[kind]) | {"", "-"}
    return sorted({str(v) for v in mapping.values() if v not in allowed})


def column_label(name: str) -> str:
    """How a missing column is named in a message: the English and the Chinese header."""
    chinese = next((alias for alias in ALIASES[name] if not alias.isascii()), "")
    if name == "customer_id":
        return "customer_id/客户编号 (or phone/手机号, email/邮箱)"
    return f"{name}/{chinese}" if chinese else name
