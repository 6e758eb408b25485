"""Showing user text with its keywords highlighted, escaped piece by piece."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def highlight(text: str, keywords=(), query: str = "") -> SafeString:
    """The text, HTML-escaped, with each keyword (and the search text) wrapped in <mark>.

    The raw text is split on the words first and every piece is escaped on its own, so user
    markup is never interpreted and a keyword can never match inside an escaped entity.
    """
    words = [w for w in (*(keywords or ()), query) if isinstance(w, str) and w.strip()]
    if not words:
        return escape(text)
    pattern = re.compile(
        "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)), re.IGNORECASE
    )
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308  (every piece escaped above)


@register.filter
def percent(value) -> str:
    """A 0–1 score as a whole percentage ("" when missing)."""
    return "" if value is None else f"{round(float(value) * 100)}%"


@register.filter
def get_item(mapping, key):
    """mapping[key], or the key itself when missing (aspect key → display name)."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
