"""The one JSON parser of the API: strict, shallow, and never a 500.

`SafeJSONParser` is `REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]`'s JSON parser and the public
submit's; `loads` is for code that reads JSON text itself (a form field, a multipart field).
What it refuses, each with HTTP 400 in the API's one error shape (a DRF `ParseError`):

- nesting deeper than `MAX_DEPTH` arrays/objects: found by one linear scan that counts the
  brackets outside strings, before `json.loads` (which recurses, and raises RecursionError —
  a 500 — on a small body nested a thousand levels deep);
- a body that is not UTF-8 (or the declared charset);
- `NaN`, `Infinity`, `-Infinity` (not JSON);
- numbers that do not fit: a float that overflows to infinity (`1e999`), an integer of more
  than `MAX_INT_DIGITS` digits (no field takes one, and Python refuses to read those over
  4,300 digits anyway);
- duplicate keys in one object: parsers disagree about which value wins (first, last, or an
  error), so a proxy or a client library may have checked another value than the one we
  would store;
- anything else `json` cannot read.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Arrays/objects inside one another; the deepest API input (a survey's questions with their
# options and logic) stays under ten.
MAX_DEPTH = 32
MAX_INT_DIGITS = 64

# A string (closed, or running to the end of the text) or a bracket. The possessive `*+`
# never backtracks, so the scan is linear whatever the text.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*+"?|[\[\]{}]', re.DOTALL)


class JSONRefused(ValueError):
    """The text is not JSON we accept; `str(exc)` says why, in the active language."""


def nesting_depth(text: str, *, stop_above: int | None = None) -> int:
    """How deeply arrays and objects nest in `text` (brackets inside strings do not count);
    stops counting once past `stop_above`."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def _refuse_constant(name: str):
    raise JSONRefused(_("%(value)s is not a JSON value; send a number or null.") % {"value": name})


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise JSONRefused(_("The number %(number)s is too large.") % {"number": literal[:20]})
    return value


def _bounded_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONRefused(
            _("A number has more than %(digits)s digits.") % {"digits": MAX_INT_DIGITS}
        )
    return int(literal)


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _value in pairs if key in seen or seen.add(key))
        raise JSONRefused(
            _("The key “%(key)s” appears twice in one object.") % {"key": duplicate[:50]}
        )
    return result


def loads(text: str | bytes, *, encoding: str = "utf-8") -> Any:
    """Parse JSON text with the API's rules; raises JSONRefused (a ValueError) on anything
    refused or unreadable."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise JSONRefused(
                _("The request body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from None
    if nesting_depth(text, stop_above=MAX_DEPTH) > MAX_DEPTH:
        raise JSONRefused(
            _("The JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
        )
    try:
        return json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
            parse_int=_bounded_int,
            object_pairs_hook=_object_without_duplicates,
        )
    except JSONRefused:
        raise
    except json.JSONDecodeError as exc:
        # Where, not json's English reason: the message is in the request's language.
        raise JSONRefused(
            _("The request body is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": exc.lineno, "column": exc.colno}
        ) from None
    except (ValueError, RecursionError):  # a last guard; the checks above should catch these
        raise JSONRefused(_("The request body is not valid JSON.")) from None


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with the rules of `loads` (module docstring)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read() if stream is not None else b""
        try:
            return loads(body, encoding=encoding)
        except JSONRefused as exc:
            raise ParseError(str(exc)) from None
