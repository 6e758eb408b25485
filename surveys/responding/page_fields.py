"""The raw values of the newer types as a page form sends them: a region's selects,
a file field, and hidden fields from the link's query parameters (?order=123&src=wechat)."""

from collections.abc import Mapping, Sequence
from typing import Any

from surveys.models import QuestionType


def _region(question, request) -> dict[str, str] | None:
    names = {level: f"{question.key}__{level}" for level in ("1", "2", "3")}
    if not any(name in request.POST for name in names.values()):
        return None
    return {level: request.POST.get(name, "") for level, name in names.items()}


def _file(question, request) -> Any:
    upload = request.FILES.get(question.key)
    if upload is not None:
        return upload
    if request.POST.get(f"{question.key}__remove"):
        return ""  # "remove the uploaded file" ticked
    return None  # nothing chosen: the file uploaded earlier stays


PAGE_FIELDS = {QuestionType.REGION: _region, QuestionType.FILE: _file}


def hidden_from_link(questions: Sequence[Any], params: Mapping[str, str]) -> dict[str, str]:
    """Hidden fields' values from the link's query parameters (each named by the question's
    key); a parameter left out of the link changes nothing already stored."""
    return {
        q.key: params[q.key]
        for q in questions
        if q.type == QuestionType.HIDDEN and params.get(q.key, "") != ""
    }
