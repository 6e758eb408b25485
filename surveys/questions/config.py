"""The settings (`Question.config`) of the types that need more than options, with their
defaults and the designer's mistakes in words:

- slider: {"min", "max", "step"} whole numbers within ±SLIDER_LIMIT, and the words under its
  ends {"low_label", "high_label", "low_label_en", "high_label_en"};
- region: {"levels"} 1 = province, 2 = down to the city, 3 = down to the district;
- file: {"max_kb"} at most FILE_MAX_KB, {"kinds"} from FILE_KINDS.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from surveys.models import QuestionType

SLIDER_LIMIT = 10000  # the Answer.number check constraint allows ±10000
SLIDER_DEFAULT = {"min": 0, "max": 100, "step": 1}
SLIDER_WORDS = ("low_label", "high_label", "low_label_en", "high_label_en")
REGION_DEFAULT = {"levels": 3}
FILE_MAX_KB = 10 * 1024
FILE_DEFAULT = {"max_kb": 5 * 1024, "kinds": ["image", "pdf"]}
# What each kind lets through, judged by the file's bytes (surveys.questions.sniff).
FILE_KINDS = ("image", "pdf", "office", "text")


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def slider_settings(config: Mapping[str, Any] | None) -> dict[str, Any]:
    merged = {**SLIDER_DEFAULT, **{k: v for k, v in (config or {}).items() if v not in ("", None)}}
    for name in SLIDER_WORDS:
        merged[name] = str(merged.get(name) or "")[:40]
    return merged


def file_settings(config: Mapping[str, Any] | None) -> dict[str, Any]:
    return {**FILE_DEFAULT, **{k: v for k, v in (config or {}).items() if v not in ("", None)}}


def region_levels(config: Mapping[str, Any] | None) -> int:
    levels = _whole((config or {}).get("levels", 3))
    return levels if levels in (1, 2, 3) else 3


def config_for(kind: str, config: Any) -> tuple[dict[str, Any], str]:
    """The settings to store for a question of `kind` (defaults filled in), and what is wrong
    with them ("" when nothing). Types without settings store {}."""
    if config in (None, ""):
        config = {}
    if not isinstance(config, Mapping):
        return {}, _('The type settings must be an object, e.g. {"min": 0, "max": 10}.')
    if kind == QuestionType.SLIDER:
        return _slider(config)
    if kind == QuestionType.REGION:
        levels = _whole(config.get("levels", 3))
        if levels not in (1, 2, 3):
            return {}, _("Levels must be 1 (province), 2 (city) or 3 (district).")
        return {"levels": levels}, ""
    if kind == QuestionType.FILE:
        return _file(config)
    return {}, ""


def _slider(config: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    merged = slider_settings(config)
    low, high, step = (_whole(merged[n]) for n in ("min", "max", "step"))
    if None in (low, high, step):
        return {}, _("A slider's minimum, maximum and step must be whole numbers.")
    if not -SLIDER_LIMIT <= low < high <= SLIDER_LIMIT:
        return {}, _(
            "A slider's minimum must be below its maximum, both between -%(limit)s and %(limit)s."
        ) % {"limit": SLIDER_LIMIT}
    if step < 1 or step > high - low:
        return {}, _("A slider's step must be at least 1 and at most %(span)s.") % {
            "span": high - low
        }
    return {"min": low, "max": high, "step": step,
            **{name: merged[name] for name in SLIDER_WORDS}}, ""  # fmt: skip


def _file(config: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    merged = file_settings(config)
    max_kb = _whole(merged["max_kb"])
    if max_kb is None or not 1 <= max_kb <= FILE_MAX_KB:
        return {}, _("The size limit must be a whole number of KB from 1 to %(limit)s.") % {
            "limit": FILE_MAX_KB
        }
    kinds = merged["kinds"]
    if isinstance(kinds, str):
        kinds = [k.strip() for k in kinds.split(",") if k.strip()]
    if not isinstance(kinds, list | tuple) or not kinds or any(k not in FILE_KINDS for k in kinds):
        return {}, _("Allowed kinds: choose from image, pdf, office and text.")
    return {"max_kb": max_kb, "kinds": [k for k in FILE_KINDS if k in kinds]}, ""
