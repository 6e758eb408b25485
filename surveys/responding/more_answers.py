"""Checking the answers of slider, region, file-upload and hidden-field questions
(answers.check_one hands them here; image choices are checked as choices). What is stored,
in the Answer row every type shares:

- slider: `number`, a step of the question's range (within ±10000);
- region: `choices` = the GB/T 2260 codes from province down ("440000", "440300",
  "440305"), `text` = the names ("广东省 深圳市 南山区") for search and reading;
- file: `text` = the upload's token (a ResponseFile of the same response holds the bytes);
- hidden: `text` = the link parameter's value (at most HIDDEN_LIMIT characters).

Region from pages: {"1": province, "2": city, "3": district} (one select per level); through
the API: the deepest code ("440305") or the list of codes. File from pages: the uploaded
file; through the API: the token `POST /api/v1/public/surveys/<slug>/files/` returned.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from surveys.questions import region
from surveys.questions.config import file_settings, region_levels, slider_settings
from surveys.questions.sniff import sniff

HIDDEN_LIMIT = 200
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,40}$")
KIND_WORDS = {"image": "PNG/JPEG/GIF/WebP", "pdf": "PDF", "office": "Word/Excel/PowerPoint",
              "text": "TXT"}  # fmt: skip


@dataclass
class Upload:
    """A checked file from a page form, stored with the answer (surveys.responding.uploads)."""

    name: str
    content_type: str
    data: bytes


def _number(raw: Any) -> float | None:
    try:
        return float(str(raw).strip())
    except (TypeError, ValueError):
        return None


def check_slider(question: Any, raw: Any) -> tuple[int | None, str]:
    if raw in (None, ""):
        return None, ""
    settings = slider_settings(question.config)
    low, high, step = settings["min"], settings["max"], settings["step"]
    number = _number(raw)
    wrong = _("Choose a number from %(low)s to %(high)s in steps of %(step)s.") % {
        "low": low, "high": high, "step": step,
    }  # fmt: skip
    if number is None or not number.is_integer():
        return None, wrong
    value = int(number)
    if not low <= value <= high or (value - low) % step:
        return None, wrong
    return value, ""


def check_region(question: Any, raw: Any) -> tuple[list[str] | None, str]:
    """The codes from province down to the level the question asks, or what is wrong."""
    if raw in (None, "", {}, []):
        return None, ""
    if isinstance(raw, Mapping):
        picked = [str(raw.get(level) or "").strip() for level in ("1", "2", "3")]
    elif isinstance(raw, list | tuple):
        picked = [str(code).strip() for code in raw]
    else:
        found = region.path_of(str(raw).strip())
        if not found:
            return None, _("“%(code)s” is not a region code.") % {"code": str(raw)[:20]}
        picked = [d.code for d in found]
    picked = [code for code in picked if code]
    if not picked:
        return None, ""
    levels = region_levels(question.config)
    path: list[str] = []
    for code in picked[:levels]:
        found = region.division(code)
        if found is None:
            return None, _("“%(code)s” is not a region code.") % {"code": code[:20]}
        if found.parent != (path[-1] if path else ""):
            return None, _("The city or district chosen is not in the province chosen: "
                           "choose again.")  # fmt: skip
        path.append(code)
    if len(path) < levels and not region.is_leaf(path[-1]):
        return None, (_("Choose the city.") if len(path) == 1 else _("Choose the district."))
    return path, ""


def check_file(question: Any, raw: Any) -> tuple[Any, str]:
    """An Upload from a page's file field, or a token string from the API, or an error."""
    if raw in (None, ""):
        return None, ""
    if isinstance(raw, str):
        token = raw.strip()
        if not TOKEN_RE.match(token):
            return None, _("Upload the file first and send the token it returned.")
        return token, ""
    if not hasattr(raw, "read"):
        return None, _("Upload the file first and send the token it returned.")
    settings = file_settings(question.config)
    limit = settings["max_kb"] * 1024
    data = raw.read(limit + 1)
    if len(data) > limit:
        return None, _("The file is larger than %(limit)s; choose a smaller one.") % {
            "limit": size_words(limit)
        }
    found = sniff(data)
    if found is None or found[0] not in settings["kinds"]:
        return None, _("This kind of file is not accepted here; allowed: %(kinds)s.") % {
            "kinds": kinds_words(settings["kinds"])
        }
    _kind, content_type, extension = found
    return Upload(name=_file_name(getattr(raw, "name", ""), extension), content_type=content_type,
                  data=data), ""  # fmt: skip


def _file_name(name: str, extension: str) -> str:
    """The name the respondent's file had, tidied, ending in the extension its bytes show."""
    stem = re.sub(r"[\x00-\x1f/\\:*?\"<>|]+", "_", str(name or "")).strip(" .")
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return f"{(stem or 'file')[:150]}.{extension}"


def kinds_words(kinds) -> str:
    joiner = ", " if (get_language() or "").startswith("en") else "、"
    return joiner.join(KIND_WORDS[k] for k in kinds)


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 ", " ")
    return f"{max(1, round(size / 1024))} KB"


def check_hidden(raw: Any) -> tuple[str | None, str]:
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    text = "" if raw is None else str(raw)
    text = "".join(ch for ch in text if ch >= " ").strip()[:HIDDEN_LIMIT]
    return (text or None), ""
