"""Files respondents upload: stored with the answer (pages) or ahead of the submit (API).

Pages send the file with the page form (multipart, works with JavaScript off); the answer's
text is the stored file's token. The JSON submit carries no file: an app first posts it to
`POST /api/v1/public/surveys/<slug>/files/` (multipart: `question`, `file`), gets a token,
and sends the token as the answer. An upload no submit claims is deleted after
UNCLAIMED_HOURS (`files_unclaimed_delete`, run by the nightly retention task).
"""

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.errors import SurveyError
from surveys.models import Question, QuestionType, Response, ResponseFile, Survey
from surveys.responding.more_answers import Upload, check_file

UNCLAIMED_HOURS = 24


def _new_file(survey_id: int, key: str, upload: Upload, response: Response | None):
    return ResponseFile(
        token=secrets.token_urlsafe(24), survey_id=survey_id, question_key=key,
        response=response, name=upload.name, content_type=upload.content_type,
        size=len(upload.data), sha256=hashlib.sha256(upload.data).hexdigest(),
        data=upload.data,
    )  # fmt: skip


def files_store_for_answers(response: Response, answers: Mapping[str, Any], keys: Iterable[str]):
    """Store the uploads among `answers` of `keys` (inside the caller's transaction), set
    each answer's text to its file's token, and delete the files those answers replace."""
    kept: dict[str, str] = {}
    for key in keys:
        answer = answers.get(key)
        if answer is None:
            continue
        if answer.upload is not None:
            stored = _new_file(response.survey_id, key, answer.upload, response)
            stored.save()
            answer.text, answer.upload = stored.token, None
        if answer.text:
            kept[key] = answer.text
    return kept


def files_drop_replaced(response: Response, questions: Sequence[Question], kept: Mapping) -> None:
    keys = [q.key for q in questions if q.type == QuestionType.FILE]
    if keys:
        stale = ResponseFile.objects.filter(response=response, question_key__in=keys)
        for key in keys:
            stale_of_key = stale.filter(question_key=key)
            if key in kept:
                stale_of_key = stale_of_key.exclude(token=kept[key])
            stale_of_key.delete()


def file_tokens_check(survey: Survey, questions: Sequence[Question], answers: Mapping) -> dict:
    """Per-question errors for tokens that are not an unclaimed upload to that question of
    this survey (the JSON submit; checked again when claimed)."""
    wanted = {q.key: answers[q.key].text for q in questions
              if q.type == QuestionType.FILE and q.key in answers}  # fmt: skip
    if not wanted:
        return {}
    found = set(
        ResponseFile.objects.filter(
            survey=survey, token__in=wanted.values(), response__isnull=True
        ).values_list("question_key", "token")
    )
    message = _("This upload token is unknown, used already or for another question.")
    return {key: message for key, token in wanted.items() if (key, token) not in found}


def files_claim(response: Response, tokens: Mapping[str, str]) -> None:
    """Attach the uploads named by the submit to its response; inside the submit's
    transaction, so a token claimed meanwhile by another submit refuses this one whole."""
    for key, token in tokens.items():
        claimed = ResponseFile.objects.filter(
            token=token, question_key=key, survey_id=response.survey_id, response__isnull=True
        ).update(response=response)
        if claimed != 1:
            raise SurveyError(
                _("Some answers are not valid."),
                {key: _("This upload token is unknown, used already or for another question.")},
            )


@transaction.atomic
def file_upload_ahead(*, survey: Survey, question_key: str, upload: Any) -> ResponseFile:
    """An app's upload before its submit: checked as the page checks it, stored unclaimed."""
    questions = {q.key: q for q in survey.current_version.questions.all()}
    question = questions.get(question_key)
    if question is None or question.type != QuestionType.FILE:
        message = _("There is no file-upload question “%(key)s” in this survey.") % {
            "key": str(question_key)[:40]
        }
        raise SurveyError(message, {"question": message})
    if upload is None:
        raise SurveyError(_("Choose a file."), {"file": _("Choose a file.")})
    found, error = check_file(question, upload)
    if error or not isinstance(found, Upload):
        raise SurveyError(error, {"file": error})
    stored = _new_file(survey.pk, question.key, found, None)
    stored.save()
    return stored


def files_unclaimed_delete(now=None) -> int:
    """Delete uploads no submit claimed within UNCLAIMED_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=UNCLAIMED_HOURS)
    deleted, _detail = ResponseFile.objects.filter(
        response__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted


def file_for_staff(response_id: int, token: str) -> ResponseFile | None:
    return ResponseFile.objects.filter(response_id=response_id, token=token).first()
