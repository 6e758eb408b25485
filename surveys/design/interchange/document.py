"""A survey as a document of our own format (FORMAT.md): what the survey says and how it
looks — never who answered, its ids, its state or its dates."""

import base64
import json
from typing import Any

from surveys.design.services import QUESTION_FIELDS, VERSION_FIELDS
from surveys.models import BrandImage, Survey, SurveyBranding

FORMAT = "surveyhub.survey"
VERSION = 1
SURVEY_FIELDS = (
    "title",
    "title_en",
    "slug",
    "kind",
    "languages",
    "one_question_per_page",
    "wechat_identity",
)
BRANDING_FIELDS = (
    "colour",
    "end_button_label",
    "end_button_label_en",
    "end_button_url",
    "end_redirect_url",
)
BRANDING_IMAGES = ("logo", "cover")


def _sorted(value: Any) -> Any:
    """Nested objects with their keys in order, so that a document never depends on the
    order a database keeps JSON keys in."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def _question(question) -> dict[str, Any]:
    return {name: _sorted(getattr(question, name)) for name in QUESTION_FIELDS}


def _branding(survey: Survey) -> dict[str, Any] | None:
    own = SurveyBranding.objects.filter(survey=survey).select_related("logo", "cover").first()
    if own is None:
        return None
    found = {name: getattr(own, name) for name in BRANDING_FIELDS}
    for name in BRANDING_IMAGES:
        image = getattr(own, name)
        found[name] = image.digest if image else None
    return found


def image_digests(questions: list[dict], branding: dict | None) -> set[str]:
    """The pictures a document's questions and branding name."""
    digests = {
        str(option["image"])
        for q in questions
        for option in (q.get("options") if isinstance(q.get("options"), list) else ())
        if isinstance(option, dict) and option.get("image")
    }
    for name in BRANDING_IMAGES:
        if branding and branding.get(name):
            digests.add(str(branding[name]))
    return digests


def survey_document(survey: Survey) -> dict[str, Any]:
    """The survey's current version as a document of FORMAT, VERSION."""
    version = survey.current_version
    questions = [_question(q) for q in version.questions.order_by("position", "id")]
    branding = _branding(survey)
    images = BrandImage.objects.filter(digest__in=image_digests(questions, branding))
    return {
        "format": FORMAT,
        "version": VERSION,
        "survey": {
            **{name: getattr(survey, name) for name in SURVEY_FIELDS},
            **{name: getattr(version, name) for name in VERSION_FIELDS},
        },
        "questions": questions,
        "branding": branding,
        "images": {
            image.digest: {
                "content_type": image.content_type,
                "data": base64.b64encode(bytes(image.data)).decode("ascii"),
            }
            for image in sorted(images, key=lambda i: i.digest)
        },
    }


def document_bytes(document: dict[str, Any]) -> bytes:
    """The file: UTF-8, Chinese as it is (not \\u escapes), two-space indents, a final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_file_name(survey: Survey) -> str:
    return f"survey-{survey.slug}.json"
