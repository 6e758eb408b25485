"""Importing a survey file (our format or SurveyJS) as a new draft: every problem is found
and named before anything is written, and the writing is one transaction — a file is
imported whole or not at all."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from surveyhub.api.parsers import JSONRefused, loads
from surveys.design.interchange import checks
from surveys.design.interchange.document import BRANDING_FIELDS, BRANDING_IMAGES
from surveys.design.interchange.surveyjs import looks_like_surveyjs, surveyjs_document
from surveys.design.services import VERSION_FIELDS, survey_create, survey_update
from surveys.errors import SurveyError
from surveys.models import BrandImage, Survey, SurveyBranding

MAX_FILE_BYTES = 5 * 1024 * 1024
SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]{3,64}$")


@dataclass
class Imported:
    survey: Survey
    source: str  # "surveyhub" or "surveyjs"
    warnings: list[str] = field(default_factory=list)


def document_read(content: bytes | str | Mapping) -> Any:
    """The JSON of an uploaded file (or an already parsed body), or a SurveyError naming why
    it cannot be read."""
    if not isinstance(content, bytes | str):
        return content  # a body the API parsed already (any JSON value: checked below)
    if len(content) > MAX_FILE_BYTES:
        raise SurveyError(
            _("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)},
            {"file": _("Choose a smaller file.")},
        )
    if isinstance(content, bytes) and content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]  # a byte-order mark, as some Windows editors write
    try:
        return loads(content)
    except JSONRefused as exc:
        message = _("The file is not valid JSON: %(reason)s") % {"reason": exc}
        raise SurveyError(message, {"file": message}) from None


def _summary(errors: Mapping[str, str], unknown: list[str]) -> str:
    if unknown:
        return _(
            "Question types this installation does not know: %(types)s. Nothing was imported."
        ) % {"types": pgettext("list separator", "; ").join(unknown)}
    return ngettext(
        "The file has %(count)s problem; nothing was imported.",
        "The file has %(count)s problems; nothing was imported.",
        len(errors),
    ) % {"count": len(errors)}


def _checked(document: Any) -> tuple[dict, str, list[str], dict]:
    """(our document, its source, warnings, checked pictures); SurveyError with every problem."""
    unknown: list[str] = []
    warnings: list[str] = []
    source = "surveyhub"
    if looks_like_surveyjs(document):
        document, errors, unknown, warnings = surveyjs_document(document)
        source = "surveyjs"
    else:
        errors = checks.header_errors(document)
        if errors:
            raise SurveyError(next(iter(errors.values())), errors)
    errors = {**checks.survey_errors(document), **errors}
    found, more_unknown = checks.question_errors(document.get("questions"))
    unknown += more_unknown
    for name, message in {
        **found,
        **checks.field_errors(document),
        **checks.branding_errors(document),
    }.items():
        errors.setdefault(name, message)
    image_errors, images = checks.image_errors(document)
    errors.update(image_errors)
    if errors:
        raise SurveyError(_summary(errors, unknown), errors)
    return document, source, warnings, images


def _slug(wanted: str, chosen: str) -> str:
    if chosen:
        if not SLUG_RE.match(chosen):
            message = _("A link name has 3–64 letters, digits, hyphens or underscores.")
            raise SurveyError(message, {"slug": message})
        if Survey.objects.filter(slug=chosen).exists():
            message = _("The link name “%(slug)s” is taken.") % {"slug": chosen}
            raise SurveyError(message, {"slug": message})
        return chosen
    base = slugify(wanted)[:56].strip("-")
    base = base if len(base) >= 3 else "imported-survey"
    candidate, number = base, 2
    while Survey.objects.filter(slug=candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _with_places(exc: SurveyError, questions: list[dict]) -> SurveyError:
    """The design rules' errors ("questions.3.options", "questions.reason") with the place
    said in words, as the checks above say theirs."""
    by_key = {str(q.get("key")): i for i, q in enumerate(questions)}
    errors = {}
    for name, message in exc.errors.items():
        parts = str(name).split(".")
        index = None
        if parts[0] == "questions" and len(parts) > 1:
            index = int(parts[1]) if parts[1].isdigit() else by_key.get(parts[1])
        if index is not None and index < len(questions):
            message = f"{checks.question_place(index, questions[index])}：{message}"
        errors[name] = message
    return SurveyError(_summary(errors, []) if errors else exc.message, errors)


@transaction.atomic
def _write(document: dict, images: dict, slug: str, by) -> Survey:
    head = document["survey"]
    for digest, (content_type, data) in images.items():
        BrandImage.objects.get_or_create(
            digest=digest, defaults={"content_type": content_type, "data": data}
        )
    survey = survey_create(
        title=head["title"].strip(),
        title_en=head.get("title_en", ""),
        slug=slug,
        kind=head["kind"],
        languages=head.get("languages") or ["zh-hans", "en"],
        questions=document["questions"],
        by=by,
        **{name: head.get(name, "") for name in VERSION_FIELDS},
    )
    survey = survey_update(
        survey=survey,
        one_question_per_page=head.get("one_question_per_page", False),
        wechat_identity=head.get("wechat_identity", "off"),
    )
    branding = document.get("branding")
    if branding:
        own = SurveyBranding(survey=survey, **{n: branding.get(n) or "" for n in BRANDING_FIELDS})
        for name in BRANDING_IMAGES:
            if branding.get(name):
                setattr(own, name, BrandImage.objects.get(digest=branding[name]))
        try:
            own.full_clean(exclude=["survey"])
        except ValidationError as exc:
            errors = {f"branding.{k}": " ".join(v) for k, v in exc.message_dict.items()}
            raise SurveyError(_summary(errors, []), errors) from None
        own.save()
    return survey


def survey_import(*, content: bytes | str | Mapping, slug: str = "", by=None) -> Imported:
    """Create a draft survey from a file of our format or SurveyJS JSON. `slug` chosen by the
    person importing must be free; otherwise the file's (or the title's) is used, with a
    number added when it is taken."""
    document, source, warnings, images = _checked(document_read(content))
    chosen = _slug(str(document["survey"].get("slug") or document["survey"]["title"]), slug.strip())
    try:
        survey = _write(document, images, chosen, by)
    except SurveyError as exc:
        raise _with_places(exc, document["questions"]) from None
    return Imported(survey=survey, source=source, warnings=warnings)
