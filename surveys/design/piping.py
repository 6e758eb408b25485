"""Piping customer data into texts: "{name}，您好" becomes "王芳，您好" for that customer.

Only known placeholders are replaced ({name}, {external_id}, {region}, the keys of the
customer's attributes, and what other apps register: analytics adds {order}, the order an
invitation is about); anything else is left as written, so a stray brace in a question
never breaks a page. Values are plain text: templates escape them as usual.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]{0,39})\}")

# key → value(customer, as_of): registered by other apps (surveys never imports them).
_FIELDS: dict[str, Callable[[Any, dt.datetime | None], str]] = {}


def register_piping_field(key: str, value: Callable[[Any, dt.datetime | None], str]) -> None:
    """One more placeholder for pages: `value(customer, as_of)` is its text for a customer
    ("" when unknown); `as_of` is when the invitation was made (None: now)."""
    _FIELDS[key] = value


class _Fields(dict):
    """The customer's own fields, plus the registered ones computed on first use only: a
    page whose texts ask for no {order} reads no order."""

    def __init__(self, own: dict[str, str], customer: Any, as_of: dt.datetime | None):
        super().__init__(own)
        self._customer, self._as_of = customer, as_of

    def get(self, key, default=None):
        if key not in self and key in _FIELDS:  # an attribute of that name wins
            self[key] = _FIELDS[key](self._customer, self._as_of) or ""
        return super().get(key, default)


def customer_fields(customer: Any, *, as_of: dt.datetime | None = None) -> dict[str, str]:
    if customer is None:
        return {}
    fields = {str(k): str(v) for k, v in (customer.attributes or {}).items() if v is not None}
    fields.update(name=customer.name or "", external_id=customer.external_id or "",
                  region=customer.region or "")  # fmt: skip
    return _Fields(fields, customer, as_of)


def pipe(text: str, fields: Mapping[str, str]) -> str:
    if not text or "{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), text)
