"""An answer of any type as a person reads it (results, the API's `words`, exports), and an
uploaded file's facts. Stored values stay codes: region codes, file tokens, option values."""

from typing import Any

from django.urls import reverse

from surveys.models import QuestionType, ResponseFile
from surveys.questions.region import path_words


def file_facts(response_id: int, token: str) -> dict | None:
    stored = (
        ResponseFile.objects.filter(response_id=response_id, token=token)
        .values("name", "size", "content_type")
        .first()
    )
    if stored is None:
        return None
    return {**stored, "url": reverse("response-file", args=[response_id, token])}


def file_words(facts: dict | None) -> str:
    from surveys.responding.more_answers import size_words

    return f"{facts['name']} ({size_words(facts['size'])})" if facts else ""


def stored_words(kind: str, number: Any, text: str, choices: list, response_id=None) -> str | None:
    """The words of a stored answer of a newer type, or None for the other types (whose
    callers already say them)."""
    if kind == QuestionType.SLIDER:
        return "" if number is None else str(number)
    if kind == QuestionType.REGION:
        return text or path_words([str(c) for c in choices or ()])
    if kind == QuestionType.HIDDEN:
        return text or ""
    if kind == QuestionType.FILE:
        if response_id is None or not text:
            return ""
        return file_words(file_facts(response_id, text))
    return None


def answer_words(answer) -> str:
    question = answer.question
    words = stored_words(question.type, answer.number, answer.text, answer.choices,
                         answer.response_id)  # fmt: skip
    return answer.display_label() if words is None else words


def answer_file(answer) -> dict | None:
    if answer.question.type != QuestionType.FILE or not answer.text:
        return None
    return file_facts(answer.response_id, answer.text)


# Export columns of these types hold the answer's words (region names, the link's value,
# the uploaded file's name and size).
WORD_TYPES = {QuestionType.REGION, QuestionType.HIDDEN, QuestionType.FILE}


def file_words_in(found: dict[int, dict[str, tuple]]) -> None:
    """In an export batch's answers ({response id: {key: (number, text, choices, other)}}),
    put each uploaded file's name where its token is: one query per batch (the PostgreSQL
    COPY export reads the same name in its SELECT)."""
    files = ResponseFile.objects.filter(response_id__in=list(found)).values_list(
        "response_id", "token", "name"
    )
    words = {(rid, token): name for rid, token, name in files}
    if not words:
        return
    for response_id, answers in found.items():
        for key, (number, text, choices, other) in list(answers.items()):
            if (response_id, text) in words:
                answers[key] = (number, words[(response_id, text)], choices, other)


def file_url(response_id: int, answer) -> str:
    """The staff download of a file-upload answer ("" without a stored file)."""
    facts = file_facts(response_id, answer.text) if answer.text else None
    return facts["url"] if facts else ""
