"""Placeholders of the staff's own invitation email: "{name}，您好" or "{姓名}，您好" become
"王芳，您好" for that customer. Each has an English key and a Chinese alias; `surveys` knows
the customer's name, the survey's title and the personal link, and higher apps register
more (analytics adds {order}, the latest order number) — `surveys` never imports them.

Unlike question piping (surveys/design/piping.py), an unknown placeholder here is an error
named to the staff before anything is sent, never a brace mailed to a customer.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

# Any brace pair without spaces or other braces inside: {name}, {姓名}, {oops}.
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")
MAX_SUBJECT = 200
MAX_BODY = 5000


@dataclass(frozen=True)
class EmailField:
    """A placeholder: `value(customer)` is its text for one customer ("" when unknown)."""

    key: str
    alias: str  # the Chinese name staff may write instead of the key
    label: Any  # a lazy translatable description, shown in the form's help
    value: Callable[[Any], str] | None = None


BUILTIN = (
    EmailField("name", "姓名", gettext_lazy("the customer's name")),
    EmailField("survey_title", "问卷标题", gettext_lazy("the survey's title")),
    EmailField("link", "链接", gettext_lazy("the customer's personal survey link")),
)
_REGISTERED: dict[str, EmailField] = {}


def register_email_field(field: EmailField) -> None:
    _REGISTERED[field.key] = field


def email_fields() -> list[EmailField]:
    return [*BUILTIN, *(f for f in _REGISTERED.values() if f.key not in {b.key for b in BUILTIN})]


def _by_name() -> dict[str, EmailField]:
    names: dict[str, EmailField] = {}
    for field in email_fields():
        names[field.key] = field
        names[field.alias] = field
    return names


def placeholders_help() -> str:
    """ "{姓名}: 客户姓名；…" for the form, in the reader's language: Chinese staff read the
    Chinese names, others the English keys (either works in any text)."""
    separator = pgettext("list separator", "; ")
    chinese = (get_language() or "").startswith("zh")
    return separator.join(f"{{{f.alias if chinese else f.key}}}: {f.label}" for f in email_fields())


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders of `text` that no field answers to, in order, once each."""
    known = _by_name()
    return list(dict.fromkeys(m.group(0) for m in PLACEHOLDER.finditer(text or "")
                              if m.group(1) not in known))  # fmt: skip


def email_texts_clean(*, subject: str, body: str) -> dict[str, list[str]]:
    """Errors of an edited subject and body, by field (empty: fine). Both empty is fine
    (the standard wording); a body must carry the link, or the customer cannot answer."""
    errors: dict[str, list[str]] = {}
    subject, body = (subject or "").strip(), (body or "").strip()
    if body and not subject:
        errors["email_subject"] = [_("Write the email's subject too, or leave both empty.")]
    if subject and not body:
        errors["email_body"] = [_("Write the email's text too, or leave both empty.")]
    if len(subject) > MAX_SUBJECT:
        errors.setdefault("email_subject", []).append(
            _("The subject is at most %(n)d characters.") % {"n": MAX_SUBJECT})  # fmt: skip
    if len(body) > MAX_BODY:
        errors.setdefault("email_body", []).append(
            _("The email text is at most %(n)d characters.") % {"n": MAX_BODY})  # fmt: skip
    for name, text in (("email_subject", subject), ("email_body", body)):
        unknown = unknown_placeholders(text)
        if unknown:
            errors.setdefault(name, []).append(
                _("Unknown placeholder %(names)s; you can use: %(known)s.")
                % {"names": "、".join(unknown), "known": placeholders_help()}
            )
    if body and not any(m.group(1) in ("link", "链接") for m in PLACEHOLDER.finditer(body)):
        errors.setdefault("email_body", []).append(
            _("The email text must contain {link} (or {链接}): the customer's survey link.")
        )
    return errors


def email_values(
    *, customer: Any, survey_title: str, link: str, fallback_name: str
) -> dict[str, str]:
    """The text of every placeholder (by key and alias) for one customer."""
    values = {
        "name": (getattr(customer, "name", "") or "").strip() or fallback_name,
        "survey_title": survey_title,
        "link": link,
    }
    for field in email_fields():
        if field.key not in values:
            values[field.key] = str(field.value(customer) or "") if field.value else ""
    for field in email_fields():
        values[field.alias] = values[field.key]
    return values


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with every known placeholder replaced (unknown ones cannot reach here)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text or "")
