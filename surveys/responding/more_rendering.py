"""What question.html needs for slider, region, image-choice and file-upload questions
(rendering.render_question adds it under "extra")."""

from typing import Any

from django.utils.translation import gettext as _

from surveys.models import QuestionType, ResponseFile
from surveys.questions import region
from surveys.questions.config import file_settings, region_levels, slider_settings
from surveys.responding.branding import image_url
from surveys.responding.more_answers import kinds_words, size_words

# What the browser's file picker offers first (the server judges the bytes, not this).
ACCEPT = {"image": "image/png,image/jpeg,image/gif,image/webp", "pdf": "application/pdf",
          "office": ".docx,.xlsx,.pptx", "text": "text/plain,.txt"}  # fmt: skip


def extra_for(question, language: str, answer, posted, has_error: bool) -> dict[str, Any]:
    kind = question.type
    if kind == QuestionType.SLIDER:
        return _slider(question, language)
    if kind == QuestionType.REGION:
        return _region(question, answer, posted)
    if kind == QuestionType.FILE:
        return _file(question, answer)
    return {}


def image_options(question, options: list[dict]) -> list[dict]:
    images = {str(o["value"]): o.get("image") or "" for o in question.options}
    return [{**o, "image": image_url(images.get(o["value"]))} for o in options]


def _slider(question, language: str) -> dict:
    settings = slider_settings(question.config)
    english = language == "en"
    low = (english and settings["low_label_en"]) or settings["low_label"]
    high = (english and settings["high_label_en"]) or settings["high_label"]
    return {"min": settings["min"], "max": settings["max"], "step": settings["step"],
            "low_label": low, "high_label": high}  # fmt: skip


def _region(question, answer, posted) -> dict:
    levels = region_levels(question.config)
    if posted is not None and any(f"{question.key}__{n}" in posted for n in "123"):
        picked = [posted.get(f"{question.key}__{n}", "") for n in "123"]
    else:
        picked = list(answer.choices) if answer else []
    picked = ([*picked, "", "", ""])[:3]
    # Only a chain that holds is shown: a city of another province is dropped.
    chain = []
    parent = ""
    for code in picked[:levels]:
        found = region.division(code) if code else None
        if found is None or found.parent != parent:
            break
        chain.append(code)
        parent = code
    selects = []
    names = [_("Province"), _("City"), _("District / county")]
    ended = False
    for level in range(levels):
        if level == 0:
            choices = region.provinces()
        elif len(chain) >= level:
            choices = region.children_of(chain[level - 1])
            ended = ended or not choices  # the divisions end here (e.g. 东莞市)
        else:
            choices = []
        selects.append({
            "level": level + 1, "label": names[level], "ended": ended,
            "picked": chain[level] if len(chain) > level else "",
            "choices": [{"value": d.code, "label": d.name} for d in choices],
        })  # fmt: skip
    return {"selects": selects, "levels": levels}


def _file(question, answer) -> dict:
    settings = file_settings(question.config)
    current = None
    if answer is not None and answer.text:
        current = ResponseFile.objects.filter(token=answer.text).values("name", "size").first()
        if current:
            current["size_words"] = size_words(current["size"])
    return {
        "accept": ",".join(ACCEPT[k] for k in settings["kinds"]),
        "limit_words": size_words(settings["max_kb"] * 1024),
        "kinds_words": kinds_words(settings["kinds"]),
        "current": current,
    }
