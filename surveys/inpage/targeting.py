"""The server's decision whether an in-page survey is shown: page path, customer attributes,
the survey being open and the device's re-contact limit. The script applies the same path
and attribute checks first only as a pre-filter (so most pages never ask); what the server
answers here is what happens.

Attributes are the `SurveyHub.identify({...})` values, sent as a JSON object and compared
as the script compares them: as text (`true`, `3`), a blank or missing one never matching.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from surveys.errors import SurveyError
from surveys.inpage.models import InPageSurvey
from surveys.inpage.services import (
    DEVICE_ID,
    device_recently_contacted,
    path_matches,
    rules_parse,
)
from surveys.responding.services import survey_state

MAX_PATH = 2000
MAX_ATTRIBUTES_TEXT = 4000
MAX_ATTRIBUTES = 50


@dataclass(frozen=True)
class Visit:
    """What the page tells us: where it is, who the visitor is (attributes), which device."""

    path: str | None
    attributes: dict[str, str]
    device: str


def visit_from_query(query, *, path_required: bool) -> Visit:
    """Read `path`, `attrs` (a JSON object) and `device` from the query string; a clear
    Chinese SurveyError naming the field for anything malformed."""
    path = query.get("path")
    if path is None and path_required:
        message = _("Send the page's path, e.g. /order/123/done.")
        raise SurveyError(message, {"path": message})
    if path is not None and (not path.startswith("/") or len(path) > MAX_PATH):
        message = _("The page path must start with / and be at most %(n)s characters.") % {
            "n": MAX_PATH
        }
        raise SurveyError(message, {"path": message})
    device = query.get("device", "")
    return Visit(path, attributes_parse(query.get("attrs", "")), device)


def attributes_parse(text: str) -> dict[str, str]:
    """The visitor's attributes from their JSON text, each value as the script's String()."""
    if not text:
        return {}
    message = _(
        "The attributes must be a JSON object of at most %(n)s names with text, number or "
        'true/false values, e.g. {"plan": "gold"}.'
    ) % {"n": MAX_ATTRIBUTES}
    try:
        data = json.loads(text) if len(text) <= MAX_ATTRIBUTES_TEXT else None
    except ValueError:
        data = None
    if not isinstance(data, dict) or len(data) > MAX_ATTRIBUTES:
        raise SurveyError(message, {"attrs": message})
    attributes = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, list | dict):
            raise SurveyError(message, {"attrs": message})
        attributes[str(name)] = as_script_text(value)
    return attributes


def as_script_text(value: Any) -> str:
    """A JSON value written as JavaScript's String() writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def attributes_match(rules: list[list[str]], attributes: dict[str, str]) -> bool:
    """Every rule `name=value` holds (`name=*`: any value that is not blank)."""
    for name, wanted in rules:
        value = attributes.get(name, "")
        if value == "" or (wanted != "*" and value != wanted):
            return False
    return True


def in_page_decision(in_page: InPageSurvey, visit: Visit, *, check_attributes: bool) -> bool:
    """Whether to show the question on this visit (see the module's docstring)."""
    if survey_state(in_page.survey) != "open":
        return False
    if visit.path is not None and not path_matches(in_page.url_pattern.strip(), visit.path):
        return False
    if check_attributes and not attributes_match(
        rules_parse(in_page.attribute_rules), visit.attributes
    ):
        return False
    device = visit.device
    return not (DEVICE_ID.fullmatch(device) and device_recently_contacted(in_page, device))
