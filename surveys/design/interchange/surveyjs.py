"""SurveyJS JSON (https://surveyjs.io/form-library/documentation/design-survey/create-a-simple-survey)
read into a document of our own format, for the question types we have. Every element we
cannot take is listed at once, by its place and name; nothing is dropped silently.

Types: rating (0–10 → NPS, 1–5 → star rating, 1–7 → CES, other ranges → slider, explicit
rateValues → single choice), radiogroup → single, checkbox/tagbox → multiple, dropdown,
text (date → date, range → slider, others → short text), comment → long text, boolean →
single choice 是/否, matrix → matrix (rows on our 1–5 scale), ranking, file. Panels are
flattened. Display logic: one comparison per question (`{q} <= 6`, `{q} = 'a'`,
`{q} anyof ['a','b']`, `{q} notempty`).
"""

import html
import re
from collections.abc import Mapping
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from surveys.design.interchange.checks import question_place, type_words
from surveys.design.interchange.document import FORMAT, VERSION
from surveys.design.services import CHOICE_TYPES

CHOICE_KINDS = {
    "radiogroup": "single",
    "checkbox": "multiple",
    "tagbox": "multiple",
    "dropdown": "dropdown",
    "ranking": "ranking",
}
SCALES = {(0, 10): "nps", (1, 5): "rating", (1, 7): "ces"}
CONDITION = re.compile(
    r"^\s*\{([^{}]+)\}\s*(==|=|!=|<>|<=|>=|<|>|notempty|anyof|contains)\s*(.*?)\s*$", re.I
)
OPERATORS = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}
KEY_CHARS = re.compile(r"[^a-z0-9_]+")


def looks_like_surveyjs(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and "format" not in document
        and (
            isinstance(document.get("pages"), list)
            or isinstance(document.get("elements"), list)
            or isinstance(document.get("questions"), list)
        )
    )


def _texts(value: Any) -> tuple[str, str]:
    """(Chinese or default text, English text) of a plain or localised SurveyJS string."""
    if isinstance(value, Mapping):
        chinese = (
            value.get("zh-cn")
            or value.get("zh")
            or value.get("zh-hans")
            or value.get("zh-tw")
            or value.get("default")
            or value.get("en")
            or ""
        )
        english = value.get("en") or ""
        return str(chinese), str(english) if english != chinese else ""
    return ("" if value is None else str(value)), ""


def _plain(text: str) -> str:
    """completedHtml and the like without their tags."""
    return html.unescape(re.sub(r"<[^>]+>", " ", text)).strip()


def _elements(items: Any, found: list) -> None:
    for item in items if isinstance(items, list) else ():
        if isinstance(item, Mapping) and item.get("type") == "panel":
            _elements(item.get("elements"), found)
        else:
            found.append(item)


class _Reader:
    def __init__(self):
        self.errors: dict[str, str] = {}
        self.unknown: list[str] = []
        self.warnings: list[str] = []
        self.keys: dict[str, str] = {}  # SurveyJS name → our key
        self.types: dict[str, str] = {}  # our key → our type

    def key_for(self, name: Any, index: int) -> str:
        key = KEY_CHARS.sub("_", slugify(str(name or "")).replace("-", "_")).strip("_")[:40]
        if not key or not key[0].isalpha():
            key = f"q{index + 1}" if not key else f"q_{key}"[:40]
        taken = set(self.keys.values())
        base, n = key, 2
        while key in taken:
            key, n = f"{base[:36]}_{n}", n + 1
        return key

    def options(self, items: Any, place: str) -> list[dict[str, str]]:
        options = []
        for item in items if isinstance(items, list) else ():
            if isinstance(item, Mapping):
                value = item.get("value")
                label, label_en = _texts(item.get("text", value))
            else:
                value, (label, label_en) = item, _texts(item)
            options.append(
                {"value": "" if value is None else str(value), "label": label, "label_en": label_en}
            )
        return options

    def rating(self, element: Mapping, spec: dict, place: str, index: int) -> None:
        if isinstance(element.get("rateValues"), list) and element["rateValues"]:
            spec.update(type="single", options=self.options(element["rateValues"], place))
            return
        low = _whole(element.get("rateMin", 1))
        step = _whole(element.get("rateStep", 1))
        count = _whole(element.get("rateCount"))
        high = _whole(element.get("rateMax", (low or 1) + (count or 5) - 1))
        if None in (low, high, step):
            self.errors[f"questions.{index}.type"] = _(
                "%(place)s: rateMin, rateMax and rateStep must be whole numbers."
            ) % {"place": place}
            return
        kind = SCALES.get((low, high)) if step == 1 else None
        if kind:
            spec["type"] = kind
            if element.get("rateType") == "smileys" and kind == "rating":
                spec["scale_style"] = "faces"
            return
        low_label, low_en = _texts(element.get("minRateDescription"))
        high_label, high_en = _texts(element.get("maxRateDescription"))
        spec.update(
            type="slider",
            config={
                "min": low,
                "max": high,
                "step": step,
                "low_label": low_label,
                "high_label": high_label,
                "low_label_en": low_en,
                "high_label_en": high_en,
            },
        )
        self.warnings.append(
            _("%(place)s: a rating from %(low)s to %(high)s became a slider.")
            % {"place": place, "low": low, "high": high}
        )

    def question(self, element: Any, index: int) -> dict | None:
        if not isinstance(element, Mapping):
            self.errors[f"questions.{index}"] = _("%(place)s must be an object.") % {
                "place": question_place(index, {})
            }
            return None
        name = element.get("name")
        name = None if name is None else str(name)
        kind = str(element.get("type", ""))
        place = question_place(index, {"key": name})
        if name in self.keys:
            self.errors[f"questions.{index}.key"] = _(
                "%(place)s: the name “%(name)s” is used by an earlier question too."
            ) % {"place": place, "name": str(name)[:40]}
            return None
        key = self.key_for(name, index)
        self.keys[str(name)] = key
        text, text_en = _texts(element.get("title") or name)
        help_text, help_en = _texts(element.get("description"))
        spec: dict[str, Any] = {
            "key": key,
            "text": text,
            "text_en": text_en,
            "help_text": help_text,
            "help_text_en": help_en,
            "required": element.get("isRequired") is True,
        }
        if kind in CHOICE_KINDS:
            spec.update(
                type=CHOICE_KINDS[kind], options=self.options(element.get("choices"), place)
            )
            spec["allow_other"] = bool(element.get("hasOther") or element.get("showOtherItem"))
            if element.get("choicesOrder") == "random":
                spec["option_order"] = "random"
        elif kind == "rating":
            self.rating(element, spec, place, index)
            if "type" not in spec:
                return None
        elif kind == "comment":
            spec["type"] = "long_text"
            if _whole(element.get("maxLength")):
                spec["max_length"] = _whole(element["maxLength"])
        elif kind == "text":
            input_type = element.get("inputType", "text")
            spec["type"] = {"date": "date", "range": "slider"}.get(input_type, "short_text")
            if input_type == "range":
                spec["config"] = {
                    "min": _whole(element.get("min", 0)),
                    "max": _whole(element.get("max", 100)),
                    "step": _whole(element.get("step", 1)),
                }
        elif kind == "boolean":
            yes, yes_en = _texts(element.get("labelTrue") or {"default": "是", "en": "Yes"})
            no, no_en = _texts(element.get("labelFalse") or {"default": "否", "en": "No"})
            spec.update(
                type="single",
                options=[
                    {"value": "true", "label": yes, "label_en": yes_en},
                    {"value": "false", "label": no, "label_en": no_en},
                ],
            )
        elif kind == "matrix":
            spec.update(type="matrix", options=self.options(element.get("rows"), place))
            columns = element.get("columns")
            if not isinstance(columns, list) or len(columns) != 5:
                self.warnings.append(
                    _(
                        "%(place)s: a matrix is answered on a 1–5 scale here; "
                        "its columns were replaced."
                    )
                    % {"place": place}
                )
        elif kind == "file":
            spec["type"] = "file"
        else:
            self.errors[f"questions.{index}.type"] = _(
                "%(place)s: the SurveyJS type “%(type)s” is not supported."
            ) % {"place": place, "type": kind[:40]}
            self.unknown.append(type_words(place, kind))
            return None
        self.types[key] = spec["type"]
        spec["_visible_if"] = element.get("visibleIf")
        return spec

    def condition(self, expression: Any, place: str, index: int) -> dict | None:
        if not expression:
            return None
        found = CONDITION.match(str(expression))
        name = found and found.group(1).strip()
        key = self.keys.get(name) if found else None
        if found and key is None:
            self.errors[f"questions.{index}.show_if"] = _(
                "%(place)s: its display logic refers to “%(key)s”, which is not in the survey."
            ) % {"place": place, "key": str(name)[:40]}
            return None
        condition = _condition(found, key, self.types.get(key)) if found else None
        if condition is None:
            self.errors[f"questions.{index}.show_if"] = _(
                "%(place)s: the display logic “%(logic)s” cannot be read; use one comparison "
                "such as {nps} <= 6."
            ) % {"place": place, "logic": str(expression)[:80]}
        return condition


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _whole(value: Any) -> int | None:
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _value(text: str) -> Any:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_value(part) for part in text[1:-1].split(",") if part.strip()]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.lower() in ("true", "false"):
        return text.lower()
    number = _whole(text)
    return number if number is not None else text


def _condition(found: re.Match, key: str, kind: str | None) -> dict | None:
    op, value = found.group(2).lower(), _value(found.group(3))
    choice = kind in CHOICE_TYPES
    if op == "notempty" and not found.group(3):
        return {"question": key, "op": "answered"}
    if op in ("=", "==") and not isinstance(value, list):
        if choice:
            return {"question": key, "op": "in", "value": [str(value)]}
        return {"question": key, "op": "eq", "value": value}
    if op in ("!=", "<>") and not choice and not isinstance(value, list):
        return {"question": key, "op": "neq", "value": value}
    if op in OPERATORS and isinstance(value, int) and not choice:
        return {"question": key, "op": OPERATORS[op], "value": value}
    if op in ("anyof", "contains") and choice:
        values = value if isinstance(value, list) else [value]
        return {"question": key, "op": "in", "value": [str(v) for v in values]}
    return None


def surveyjs_document(source: Mapping) -> tuple[dict, dict[str, str], list[str], list[str]]:
    """(our document, errors by place, unknown types, warnings) for a SurveyJS survey."""
    reader = _Reader()
    elements: list = []
    for page in _list(source.get("pages")):
        if isinstance(page, Mapping):
            _elements(page.get("elements") or page.get("questions"), elements)
    _elements(source.get("elements") or source.get("questions"), elements)
    questions = []
    for index, element in enumerate(elements):
        spec = reader.question(element, index)
        if spec is None:
            continue
        expression = spec.pop("_visible_if")
        spec["show_if"] = reader.condition(expression, question_place(index, spec), index)
        questions.append(spec)
    if not elements:
        reader.errors["questions"] = _("The SurveyJS survey has no questions.")
    title, title_en = _texts(source.get("title"))
    intro, intro_en = _texts(source.get("description"))
    thanks, thanks_en = _texts(source.get("completedHtml"))
    kind = next((q["type"] for q in questions if q["type"] in ("nps", "csat", "ces")), "custom")
    english = bool(title_en or any(q.get("text_en") for q in questions))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "survey": {
            "title": title.strip() or _("Imported survey"),
            "title_en": title_en,
            "slug": slugify(title_en or title)[:50] or "imported-survey",
            "kind": kind,
            "languages": ["zh-hans", "en"] if english else ["zh-hans"],
            "one_question_per_page": source.get("questionsOnPageMode") == "questionPerPage",
            "intro": intro,
            "intro_en": intro_en,
            "thank_you": _plain(thanks),
            "thank_you_en": _plain(thanks_en),
        },
        "questions": questions,
        "branding": None,
        "images": {},
    }
    return document, reader.errors, reader.unknown, reader.warnings
