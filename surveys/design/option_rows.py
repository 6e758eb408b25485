"""Options of a choice question edited as rows: the Chinese label, the English label, and a
value the designer never types (kept from before, else made from the English label or `o<n>`).
Posted as option_label_<n>, option_label_en_<n>, option_value_<n> (hidden). Forms posted with
the older `值 | 中文 | English` lines (the `options` field) are still read."""

import re

from django import forms
from django.utils.translation import gettext as _

EMPTY_ROWS = 2  # blank rows offered below the options (the script adds more)
MAX_ROWS = 200


def posted_rows(data) -> list[dict[str, str]] | None:
    """The option rows in the posted data, in order; None when the form posted no rows."""
    if not any(name.startswith("option_label_") for name in data):
        return None
    rows = []
    for index in range(MAX_ROWS):
        label = data.get(f"option_label_{index}")
        if label is None:
            continue
        rows.append({"label": label.strip(),
                     "label_en": (data.get(f"option_label_en_{index}") or "").strip(),
                     "value": (data.get(f"option_value_{index}") or "").strip()})  # fmt: skip
    return rows


def options_from_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Options from the filled rows, each with a unique value; an English label without a
    Chinese one is refused, naming its row."""
    filled = [(n, row) for n, row in enumerate(rows, start=1) if row["label"] or row["label_en"]]
    for number, row in filled:
        if not row["label"]:
            raise forms.ValidationError(
                _("Option %(n)s: give its Chinese wording.") % {"n": number}
            )
    taken = {row["value"] for _n, row in filled if row["value"]}
    options = []
    for _n, row in filled:
        value = row["value"] or _new_value(row["label_en"], taken)
        taken.add(value)
        options.append({"value": value, "label": row["label"], "label_en": row["label_en"]})
    return options


def _new_value(label_en: str, taken: set[str]) -> str:
    made = re.sub(r"[^a-z0-9]+", "_", label_en.lower()).strip("_")[:30]
    if made and made[0].isalpha() and made not in taken and made != "__other__":
        return made
    number = len(taken) + 1
    while f"o{number}" in taken:
        number += 1
    return f"o{number}"


def options_from_lines(text: str) -> list[dict[str, str]]:
    """The older format: one option a line, `value | 中文 | English`."""
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise forms.ValidationError(
                _("Line %(n)s: expected “value | 中文 | English”.") % {"n": number}
            )
        options.append({"value": parts[0], "label": parts[1],
                        "label_en": parts[2] if len(parts) > 2 else ""})  # fmt: skip
    return options


def rows_for_display(options, posted) -> list[dict[str, str]]:
    """The rows to show: as posted (after an error), else the stored options, plus blanks."""
    rows = posted if posted is not None else [
        {"value": o.get("value", ""), "label": o.get("label", ""),
         "label_en": o.get("label_en", "")} for o in options or ()
    ]  # fmt: skip
    rows = [r for r in rows if r["label"] or r["label_en"] or r["value"]]
    blank = {"value": "", "label": "", "label_en": ""}
    return [{**row, "index": index} for index, row in
            enumerate([*rows, *(dict(blank) for _ in range(EMPTY_ROWS))])]  # fmt: skip
