"""Checking the answers of matrix, ranking and date questions (answers.check_one hands them
here). What is stored, in the Answer row every type shares:

- matrix: `choices` = ["<row value>:<1–5>", …] in the rows' order, only the rows answered;
- ranking: `choices` = the option values from first to last place (every option ranked);
- date: `text` = "YYYY-MM-DD".

From pages a matrix or ranking arrives as {option value: "3"} (one field per row); through
the API a matrix as {"row": 4}, a ranking as the list of values in order (or the dict).
"""

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from surveys.models import QuestionType

MATRIX_SCALE = (1, 5)
GRID_TYPES = {QuestionType.MATRIX, QuestionType.RANKING}


def _whole(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def check_date(raw: Any) -> tuple[str | None, str]:
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, ""
    try:
        return datetime.date.fromisoformat(text.replace("/", "-")).isoformat(), ""
    except ValueError:
        return None, _("Give a date like 2026-12-06.")


def check_matrix(question: Any, raw: Any) -> tuple[list[str] | None, str]:
    if raw in (None, "", {}):
        return None, ""
    if not isinstance(raw, Mapping):
        return None, _("Give one score per row.")
    rows = [str(option["value"]) for option in question.options]
    unknown = [str(key) for key in raw if str(key) not in rows]
    if unknown:
        return None, _("“%(value)s” is not one of the rows.") % {"value": unknown[0][:50]}
    low, high = MATRIX_SCALE
    picked = {}
    for row in rows:
        value = raw.get(row)
        if value in (None, ""):
            continue
        number = _whole(value)
        if number is None or not low <= number <= high:
            return None, _("Choose a whole number from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        picked[row] = number
    if not picked:
        return None, ""
    return [f"{row}:{number}" for row, number in picked.items()], ""


def matrix_blank_row(question: Any, choices: list[str]) -> str:
    """The message for a required matrix with a row left blank ("" when every row has a
    score); checked when the page is sent, so a half-filled draft can still be saved."""
    answered = {choice.split(":", 1)[0] for choice in choices}
    blank = [option for option in question.options if str(option["value"]) not in answered]
    if not blank:
        return ""
    return _("Answer every row: “%(row)s” is blank.") % {"row": blank[0]["label"][:50]}


def check_ranking(question: Any, raw: Any) -> tuple[list[str] | None, str]:
    values = [str(option["value"]) for option in question.options]
    if raw in (None, "", {}, []):
        return None, ""
    if isinstance(raw, Mapping):
        ranks = {str(k): _whole(v) for k, v in raw.items() if v not in (None, "")}
        if not ranks:
            return None, ""
        if any(rank is None or not 1 <= rank <= len(values) for rank in ranks.values()):
            return None, _("Rank every option, from 1 to %(count)s.") % {"count": len(values)}
        if len(set(ranks.values())) != len(ranks):
            return None, _("Each place can be given to one option only.")
        order = sorted(ranks, key=ranks.__getitem__)
    elif isinstance(raw, list | tuple):
        order = [str(v) for v in raw]
        if len(set(order)) != len(order):
            return None, _("Each place can be given to one option only.")
    else:
        return None, _("Rank every option, from 1 to %(count)s.") % {"count": len(values)}
    unknown = [v for v in order if v not in values]
    if unknown:
        return None, _("“%(value)s” is not one of the options.") % {"value": unknown[0][:50]}
    if len(order) != len(values):
        return None, _("Rank every option, from 1 to %(count)s.") % {"count": len(values)}
    return order, ""


def grid_from_post(question: Any, post: Any) -> dict[str, str] | None:
    """A matrix's or ranking's fields of a page form ("<key>__<option value>"), or None when
    the form had none of them."""
    names = {str(o["value"]): f"{question.key}__{o['value']}" for o in question.options}
    if not any(name in post for name in names.values()):
        return None
    return {value: post.get(name, "") for value, name in names.items()}


def grid_rows(question: Any, options: list[dict], answer: Any, posted: Any) -> list[dict]:
    """Each row (matrix) or option (ranking) with what is picked for it: from the form sent
    when it had an error, else from the saved answer."""
    if posted is not None:
        given = grid_from_post(question, posted) or {}
    elif answer is None:
        given = {}
    elif question.type == QuestionType.MATRIX:
        given = dict(choice.split(":", 1) for choice in answer.choices)
    else:
        given = {value: str(place) for place, value in enumerate(answer.choices, start=1)}
    return [{**option, "picked": str(given.get(option["value"], ""))} for option in options]
