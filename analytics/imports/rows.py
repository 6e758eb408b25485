"""Row rules: turn one raw row into a clean record, or into the list of cells that break a rule.

Every message here is part of the contract (tests pin them): it is what a user reads next to
the row number, the column and the value.
"""

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from functools import lru_cache, partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from analytics.imports.demographics import ProfileValues, profile_cells
from analytics.imports.parsing import (
    CellError,
    cell_text,
    parse_amount,
    parse_bool,
    parse_datetime,
    parse_quantity,
    to_halfwidth,
)
from surveys.customers.phones import InvalidPhone, normalize_phone

MSG_ORDER_ID_REQUIRED = _("Order ID is required.")
MSG_ORDER_ID_REPEATED = _("This order ID appears more than once in the file.")
MSG_DATE_REQUIRED = _("Order date is required.")
MSG_AMOUNT_REQUIRED = _("Amount is required.")
MSG_CUSTOMER_REQUIRED = _("A customer ID, phone or email is required.")
MSG_PHONE_INVALID = _("Not a phone number: expected e.g. 138 0013 8000 or +86 138 0013 8000.")
MSG_EMAIL_INVALID = _("Not an email address.")
MSG_CURRENCY_INVALID = _("Currency must be a three-letter code such as CNY.")
MSG_LANGUAGE_INVALID = _("Language must be zh-hans (中文) or en (English).")
MSG_UNKNOWN_CUSTOMER = _("Unknown customer: no customer has this ID, phone or email.")
MSG_TOO_LONG = _("Too long: at most %(limit)s characters.")
MSG_STORE_INVALID = _(
    "Not a store: expected a store code such as SH01 or a store name such as 上海南京路店."
)
# A store named only by the store column becomes a new store with that text as its code.
STORE_CODE_LIMIT = 64

LIMITS = {
    "order_id": 64,
    "customer_id": 64,
    "category": 100,
    "channel": 50,
    "name": 200,
    "region": 100,
    "email": 254,
    "store": 100,
    "store_code": STORE_CODE_LIMIT,
    "city": 100,
    "member_level": 32,
    "referral_code": 64,
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_TAG_SPLIT = re.compile(r"[,，、;；|/]")
_HAS_WORD = re.compile(r"\w")
_LANGUAGES = {
    "zh-hans": "zh-hans", "zh": "zh-hans", "zh-cn": "zh-hans", "zh_cn": "zh-hans",
    "chinese": "zh-hans", "中文": "zh-hans", "简体中文": "zh-hans", "cn": "zh-hans",
    "en": "en", "english": "en", "英文": "en", "英语": "en", "en-us": "en", "en-gb": "en",
}  # fmt: skip


@dataclass(slots=True)
class CustomerKeys:
    external_id: str
    phone: str
    email: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class StoreKey:
    """A row's store as written: its code (store code column), its name (store column), or
    both. Matched against the managed list by `surveys.customers.stores`."""

    code: str
    name: str


@dataclass(slots=True)
class PurchaseRecord:
    row: int
    order_id: str
    customer: CustomerKeys
    ordered_at: datetime
    amount: Decimal
    currency: str
    category: str
    channel: str
    quantity: int
    store: StoreKey | None = None
    referral_code: str = ""


@dataclass(slots=True)
class CustomerRecord:
    row: int
    customer: CustomerKeys
    language: str
    tags: list[str]
    unsubscribed: bool | None
    store: StoreKey | None = None
    profile: ProfileValues | None = None
    referral_code: str = ""


@dataclass(frozen=True, slots=True)
class CellProblem:
    column: str  # the field name
    value: str
    message: Any  # a lazy translatable message; formatted with `params` when shown
    params: dict | None = None


class RowChecker:
    """Validates rows of one file; remembers order IDs to reject repeats.

    Hot path of big imports: cells are read once per row, and the parsers are memoised per
    file (dates, amounts and phone numbers repeat a lot in real exports).
    """

    def __init__(self, *, index: dict[str, int], tz: tzinfo, default_currency: str):
        self.positions = sorted(index.items(), key=lambda item: item[1])
        self.default_currency = default_currency
        self.seen_orders: set[str] = set()
        self._date = lru_cache(maxsize=65536)(partial(parse_datetime, tz=tz))
        self._amount = lru_cache(maxsize=65536)(parse_amount)
        self._phone = lru_cache(maxsize=65536)(normalize_phone)

    def _cells(self, row: list) -> dict[str, Any]:
        """The mapped cells of a row, strings stripped; missing and empty cells left out."""
        cells = {}
        width = len(row)
        for name, position in self.positions:
            if position < width:
                value = row[position]
                if value.__class__ is str:
                    value = value.strip()
                if value is not None and value != "":
                    cells[name] = value
        return cells

    @staticmethod
    def _text(cells: dict, name: str, problems: list[CellProblem]) -> str:
        value = cells.get(name)
        if value is None:
            return ""
        text = value if value.__class__ is str else cell_text(value)
        limit = LIMITS.get(name)
        if limit and len(text) > limit:
            problems.append(CellProblem(name, text, MSG_TOO_LONG, {"limit": limit}))
        return text

    def customer_keys(self, cells: dict, problems: list[CellProblem]) -> CustomerKeys:
        external_id = self._text(cells, "customer_id", problems)
        raw_phone = cell_text(cells.get("phone"))
        phone = ""
        if raw_phone:
            try:
                phone = self._phone(raw_phone)
            except InvalidPhone:
                problems.append(CellProblem("phone", raw_phone, MSG_PHONE_INVALID))
        email = self._text(cells, "email", problems)
        if email:
            email = to_halfwidth(email).lower()
            if not _EMAIL.fullmatch(email):
                problems.append(CellProblem("email", email, MSG_EMAIL_INVALID))
        if not (external_id or raw_phone or email):
            problems.append(CellProblem("customer_id", "", MSG_CUSTOMER_REQUIRED))
        return CustomerKeys(
            external_id=external_id,
            phone=phone,
            email=email,
            name=self._text(cells, "name", problems) if "name" in cells else "",
            region=self._text(cells, "region", problems) if "region" in cells
            # A city column fills the region when the file has none (as before it was typed).
            else self._text(cells, "city", problems) if "city" in cells else "",
        )  # fmt: skip

    def purchase(self, row: list, number: int) -> PurchaseRecord | list[CellProblem]:
        cells = self._cells(row)
        problems: list[CellProblem] = []
        order_id = self._text(cells, "order_id", problems)
        if not order_id:
            problems.append(CellProblem("order_id", "", MSG_ORDER_ID_REQUIRED))
        elif order_id in self.seen_orders:
            problems.append(CellProblem("order_id", order_id, MSG_ORDER_ID_REPEATED))
        customer = self.customer_keys(cells, problems)
        ordered_at = self._parse(cells, "ordered_at", self._date, MSG_DATE_REQUIRED, problems)
        amount = self._parse(cells, "amount", self._amount, MSG_AMOUNT_REQUIRED, problems)
        currency = self.default_currency
        if "currency" in cells:
            currency = cell_text(cells["currency"]).upper()
            if not _CURRENCY.fullmatch(currency):
                problems.append(CellProblem("currency", currency, MSG_CURRENCY_INVALID))
        quantity = 1
        if "quantity" in cells:
            quantity = self._parse(cells, "quantity", parse_quantity, None, problems)
        category = self._text(cells, "category", problems)
        channel = self._text(cells, "channel", problems)
        store = self.store_key(cells, problems)
        referral_code = self._text(cells, "referral_code", problems)
        if problems:
            return problems
        self.seen_orders.add(order_id)
        return PurchaseRecord(
            row=number,
            order_id=order_id,
            customer=customer,
            ordered_at=ordered_at,
            amount=amount,
            currency=currency,
            category=category,
            channel=channel,
            quantity=quantity,
            store=store,
            referral_code=referral_code,
        )

    def customer(self, row: list, number: int) -> CustomerRecord | list[CellProblem]:
        cells = self._cells(row)
        problems: list[CellProblem] = []
        keys = self.customer_keys(cells, problems)
        raw_language = cell_text(cells.get("language"))
        language = ""
        if raw_language:
            language = _LANGUAGES.get(raw_language.lower(), "")
            if not language:
                problems.append(CellProblem("language", raw_language, MSG_LANGUAGE_INVALID))
        tags_text = cell_text(cells.get("tags"))
        tags = [t.strip() for t in _TAG_SPLIT.split(tags_text) if t.strip()][:20]
        for tag in tags:
            if len(tag) > 64:
                problems.append(CellProblem("tags", tag, MSG_TOO_LONG, {"limit": 64}))
        unsubscribed = self._parse(cells, "unsubscribed", parse_bool, None, problems)
        store = self.store_key(cells, problems)
        profile = profile_cells(cells, problems, CellProblem)
        for name in ("city", "member_level"):
            if name in cells:
                setattr(profile, name, self._text(cells, name, problems))
        referral_code = self._text(cells, "referral_code", problems)
        if problems:
            return problems
        return CustomerRecord(
            row=number, customer=keys, language=language, tags=tags, unsubscribed=unsubscribed,
            store=store, profile=profile, referral_code=referral_code,
        )  # fmt: skip

    def store_key(self, cells: dict, problems: list[CellProblem]) -> StoreKey | None:
        """The row's store (None without one). A cell of punctuation only ("-", "/") is no
        store; a store given by name alone must fit a code, as it may become a new one."""
        count = len(problems)
        code = to_halfwidth(self._text(cells, "store_code", problems))
        name = self._text(cells, "store", problems)
        if len(problems) > count:
            return None
        for column, text in (("store_code", code), ("store", name)):
            if text and not _HAS_WORD.search(text):
                problems.append(CellProblem(column, text, MSG_STORE_INVALID))
                return None
        if not code and len(name) > STORE_CODE_LIMIT:
            problems.append(CellProblem("store", name, MSG_TOO_LONG, {"limit": STORE_CODE_LIMIT}))
            return None
        return StoreKey(code=code, name=name) if code or name else None

    @staticmethod
    def _parse(cells: dict, name: str, parser, required_message, problems):
        value = cells.get(name)
        if value is None:
            if required_message is not None:
                problems.append(CellProblem(name, "", required_message))
            return None
        try:
            return parser(value)
        except CellError as exc:
            problems.append(CellProblem(name, cell_text(value), exc.message))
            return None
