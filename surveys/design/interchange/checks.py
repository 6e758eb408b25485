"""What is wrong with a document before anything is written, every problem at once, each
naming its place ("第 3 题（reason）"): the format and its version, unknown fields and
question types, duplicate keys, logic on a later or missing question, pictures."""

import base64
import binascii
import hashlib
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from surveys.design.interchange.document import (
    BRANDING_FIELDS,
    BRANDING_IMAGES,
    FORMAT,
    SURVEY_FIELDS,
    VERSION,
    image_digests,
)
from surveys.design.services import QUESTION_FIELDS, VERSION_FIELDS
from surveys.models import BrandImage, QuestionType, ScaleStyle, SurveyKind
from surveys.responding.branding import COVER_MAX_BYTES, image_type

LANGUAGES = ("zh-hans", "en")


def list_words(items) -> str:
    """Items of a list in a sentence: "1、3" in Chinese, "1, 3" in English."""
    return pgettext("list separator", ", ").join(items)


def type_words(place: str, kind: Any) -> str:
    return _("%(place)s “%(type)s”") % {"place": place, "type": str(kind)[:40]}


def question_place(index: int, spec: Any) -> str:
    key = spec.get("key") if isinstance(spec, Mapping) else None
    if key:
        return _("Question %(number)s (%(key)s)") % {"number": index + 1, "key": str(key)[:40]}
    return _("Question %(number)s") % {"number": index + 1}


def referenced_keys(condition: Any) -> list[str]:
    """The question keys a display condition looks at (also inside AND/OR groups)."""
    found: list[str] = []
    if isinstance(condition, Mapping):
        if isinstance(condition.get("question"), str):
            found.append(condition["question"])
        for value in condition.values():
            if isinstance(value, Mapping | list):
                found.extend(referenced_keys(value))
    elif isinstance(condition, list):
        for item in condition:
            found.extend(referenced_keys(item))
    return found


def _unknown_fields(found: Mapping, allowed, place: str) -> str:
    unknown = sorted(set(found) - set(allowed))
    if not unknown:
        return ""
    return _("%(place)s: unknown field(s) %(fields)s.") % {
        "place": place,
        "fields": list_words(f"“{name[:40]}”" for name in unknown[:10]),
    }


def header_errors(document: Any) -> dict[str, str]:
    if not isinstance(document, Mapping):
        return {"document": _("The file must hold one JSON object, {…}.")}
    if document.get("format") != FORMAT:
        return {
            "format": _(
                "This is not a survey file of SurveyHub (“format” should be "
                "“%(format)s”) nor a SurveyJS survey."
            )
            % {"format": FORMAT}
        }
    if document.get("version") != VERSION:
        return {
            "version": _(
                "Format version %(found)s is not supported; this installation "
                "reads version %(version)s."
            )
            % {"found": str(document.get("version"))[:20], "version": VERSION}
        }
    return {}


def survey_errors(document: Mapping) -> dict[str, str]:
    errors: dict[str, str] = {}
    survey = document.get("survey")
    place = _("the survey")
    if not isinstance(survey, Mapping):
        return {"survey": _("“survey” must be an object with the title and texts.")}
    problem = _unknown_fields(survey, (*SURVEY_FIELDS, *VERSION_FIELDS), place)
    if problem:
        errors["survey"] = problem
    if not isinstance(survey.get("title"), str) or not survey["title"].strip():
        errors["survey.title"] = _("The survey has no title.")
    if survey.get("kind") not in SurveyKind.values:
        errors["survey.kind"] = _(
            "The survey's kind “%(kind)s” is unknown; expected one of: %(kinds)s."
        ) % {"kind": str(survey.get("kind"))[:20], "kinds": ", ".join(SurveyKind.values)}
    languages = survey.get("languages", list(LANGUAGES))
    if (
        not isinstance(languages, list)
        or not languages
        or not all(isinstance(code, str) and code in LANGUAGES for code in languages)
    ):
        errors["survey.languages"] = _("Languages must be a list of “zh-hans” and/or “en”.")
    for name in VERSION_FIELDS:
        if not isinstance(survey.get(name, ""), str):
            errors[f"survey.{name}"] = _("“%(field)s” must be text.") % {"field": name}
    return errors


def question_errors(questions: Any) -> tuple[dict[str, str], list[str]]:
    """Problems of the questions, and the unknown types found (for the summary)."""
    if not isinstance(questions, list):
        return {"questions": _("“questions” must be a list.")}, []
    errors: dict[str, str] = {}
    unknown_types: list[str] = []
    positions: dict[str, list[int]] = {}
    for index, spec in enumerate(questions):
        place = question_place(index, spec)
        if not isinstance(spec, Mapping):
            errors[f"questions.{index}"] = _("%(place)s must be an object.") % {"place": place}
            continue
        problem = _unknown_fields(spec, QUESTION_FIELDS, place)
        if problem:
            errors[f"questions.{index}"] = problem
        if spec.get("type") not in QuestionType.values:
            message = _("%(place)s: unknown question type “%(type)s”.") % {
                "place": place,
                "type": str(spec.get("type"))[:40],
            }
            errors[f"questions.{index}.type"] = message
            unknown_types.append(type_words(place, spec.get("type")))
        positions.setdefault(str(spec.get("key")), []).append(index)
    for key, found in positions.items():
        if len(found) > 1:
            errors[f"questions.{found[-1]}.key"] = _(
                "The key “%(key)s” is used by more than one question: questions %(numbers)s."
            ) % {"key": key[:40], "numbers": list_words(str(i + 1) for i in found)}
    errors.update(logic_errors(questions))
    return errors, unknown_types


def logic_errors(questions: list) -> dict[str, str]:
    """Display logic that looks at a later question, itself, or one that is not there."""
    errors: dict[str, str] = {}
    where = {str(s.get("key")): i for i, s in enumerate(questions) if isinstance(s, Mapping)}
    for index, spec in enumerate(questions):
        if not isinstance(spec, Mapping):
            continue
        place = question_place(index, spec)
        for key in referenced_keys(spec.get("show_if")):
            if key not in where:
                message = _(
                    "%(place)s: its display logic refers to “%(key)s”, which is not in the survey."
                )
            elif where[key] >= index:
                message = _(
                    "%(place)s: its display logic refers to “%(key)s”, which does not "
                    "come before it."
                )
            else:
                continue
            errors[f"questions.{index}.show_if"] = message % {"place": place, "key": key[:40]}
            break
    return errors


def branding_errors(document: Mapping) -> dict[str, str]:
    branding = document.get("branding")
    if branding is None:
        return {}
    if not isinstance(branding, Mapping):
        return {"branding": _("“branding” must be an object or null.")}
    problem = _unknown_fields(branding, (*BRANDING_FIELDS, *BRANDING_IMAGES), _("the branding"))
    return {"branding": problem} if problem else {}


def image_errors(document: Mapping) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Problems of the pictures, and the checked pictures (digest → (type, bytes))."""
    images = document.get("images") or {}
    if not isinstance(images, Mapping):
        return {"images": _("“images” must be an object: SHA-256 → picture.")}, {}
    errors: dict[str, str] = {}
    checked: dict[str, tuple[str, bytes]] = {}
    for digest, image in images.items():
        try:
            data = base64.b64decode(str(image.get("data", "")), validate=True)
        except (AttributeError, binascii.Error, ValueError):
            data = b""
        content_type = image_type(data[:16])
        if not data or len(data) > COVER_MAX_BYTES or content_type is None:
            errors[f"images.{digest[:64]}"] = _(
                "The picture %(digest)s is not a PNG, JPEG, GIF "
                "or WebP image of at most %(limit)s KB."
            ) % {"digest": digest[:12], "limit": COVER_MAX_BYTES // 1024}
        elif hashlib.sha256(data).hexdigest() != digest:
            errors[f"images.{digest[:64]}"] = _(
                "The picture %(digest)s does not match its SHA-256."
            ) % {"digest": digest[:12]}
        else:
            checked[digest] = (content_type, data)
    questions = [q for q in document.get("questions") or () if isinstance(q, Mapping)]
    branding = document.get("branding") if isinstance(document.get("branding"), Mapping) else None
    wanted = image_digests(questions, branding) - set(checked) - set(errors_digests(errors))
    known = set(BrandImage.objects.filter(digest__in=wanted).values_list("digest", flat=True))
    for digest in sorted(wanted - known):
        errors[f"images.{digest[:64]}"] = _(
            "The picture %(digest)s is named but not in the file."
        ) % {"digest": digest[:12]}
    return errors, checked


def errors_digests(errors: Mapping[str, str]) -> list[str]:
    return [key.split(".", 1)[1] for key in errors if key.startswith("images.")]


TEXT_LIMITS = {
    "key": 40,
    "type": 12,
    "text": 500,
    "text_en": 500,
    "help_text": 500,
    "help_text_en": 500,
}
MAX_LENGTH_LIMIT = 20000


def field_errors(document: Mapping) -> dict[str, str]:
    """Values of the wrong kind (text, yes/no, list, object) or too long for their field."""
    errors: dict[str, str] = {}
    survey = document.get("survey") if isinstance(document.get("survey"), Mapping) else {}
    for name, limit in (("title", 200), ("title_en", 200), ("slug", 64)):
        if name in survey and (not isinstance(survey[name], str) or len(survey[name]) > limit):
            errors[f"survey.{name}"] = _(
                "%(place)s: “%(field)s” must be text of at most %(limit)s characters."
            ) % {"place": _("the survey"), "field": name, "limit": limit}
    if not isinstance(survey.get("one_question_per_page", False), bool):
        errors["survey.one_question_per_page"] = _("“one_question_per_page” must be true or false.")
    questions = document.get("questions") if isinstance(document.get("questions"), list) else []
    for index, spec in enumerate(questions):
        if isinstance(spec, Mapping):
            for name, message in _question_fields(spec, question_place(index, spec)).items():
                errors.setdefault(f"questions.{index}.{name}", message)
    return errors


def _question_fields(spec: Mapping, place: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        value = spec.get(name, "")
        if not isinstance(value, str) or len(value) > limit:
            errors[name] = _(
                "%(place)s: “%(field)s” must be text of at most %(limit)s characters."
            ) % {"place": place, "field": name, "limit": limit}
    for name in ("required", "allow_other"):
        if not isinstance(spec.get(name, False), bool):
            errors[name] = _("%(place)s: “%(field)s” must be true or false.") % {
                "place": place,
                "field": name,
            }
    options = spec.get("options", [])
    if not isinstance(options, list) or not all(isinstance(o, Mapping) for o in options):
        errors["options"] = _("%(place)s: “options” must be a list of objects.") % {"place": place}
    for name in ("show_if", "config"):
        if spec.get(name) is not None and not isinstance(spec.get(name), Mapping):
            errors[name] = _("%(place)s: “%(field)s” must be an object.") % {
                "place": place,
                "field": name,
            }
    length = spec.get("max_length", 2000)
    if (
        isinstance(length, bool)
        or not isinstance(length, int)
        or not 1 <= length <= MAX_LENGTH_LIMIT
    ):
        errors["max_length"] = _(
            "%(place)s: “max_length” must be a whole number from 1 to %(limit)s."
        ) % {"place": place, "limit": MAX_LENGTH_LIMIT}
    if spec.get("scale_style", "numbers") not in ScaleStyle.values:
        errors["scale_style"] = _("%(place)s: “scale_style” must be one of: %(styles)s.") % {
            "place": place,
            "styles": ", ".join(ScaleStyle.values),
        }
    return errors
