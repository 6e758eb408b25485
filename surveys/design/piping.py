"""Piping customer data into texts: "{name}，您好" becomes "王芳，您好" for that customer.

Only known placeholders are replaced ({name}, {external_id}, {region} and the keys of
the customer's attributes); anything else is left as written, so a stray brace in a
question never breaks a page. Values are plain text: templates escape them as usual.
"""

import re
from collections.abc import Mapping
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]{0,39})\}")


def customer_fields(customer: Any) -> dict[str, str]:
    if customer is None:
        return {}
    fields = {str(k): str(v) for k, v in (customer.attributes or {}).items() if v is not None}
    fields.update(name=customer.name or "", external_id=customer.external_id or "",
                  region=customer.region or "")  # fmt: skip
    return fields


def pipe(text: str, fields: Mapping[str, str]) -> str:
    if not text or "{" not in text:
        return text
    return PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), text)
