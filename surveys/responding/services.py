"""Write operations of answering a survey: drafts saved page by page, then one completion.

The response and its answers are committed inside the request; `response_submitted` is
sent only after the commit, so listeners (feedback analysis) never see a half-written
response, and a broker that is down cannot lose an answer.
"""

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.tasking.declare import enqueue_on_commit, tasks_run_in_process
from surveyhub.tasking.locks import retry_when_locked
from surveys.design.logic import visible_questions
from surveys.errors import SurveyError
from surveys.models import (
    Answer,
    Channel,
    Invitation,
    Question,
    QuestionType,
    Response,
    ResponseStatus,
    Survey,
    SurveyStatus,
    SurveyVersion,
)
from surveys.privacy.consent import consent_text_id_for
from surveys.queries import current_questions, survey_for_submit, survey_submit_cache_drop
from surveys.responding.answers import CleanAnswer, check_answers
from surveys.responding.rows import SurveyChanged, insert_completed
from surveys.responding.uploads import (
    file_tokens_check,
    files_claim,
    files_drop_replaced,
    files_store_for_answers,
)

logger = logging.getLogger(__name__)

SCORE_FIELDS = {
    QuestionType.NPS: "nps_score",
    QuestionType.CSAT: "csat_score",
    QuestionType.CES: "ces_score",
}


def survey_state(survey: Survey, now=None) -> str:
    """ "open", or why answers are not taken: "draft", "not_open", "closed"."""
    now = now or timezone.now()
    if survey.status == SurveyStatus.DRAFT:
        return "draft"
    if survey.status == SurveyStatus.CLOSED or (survey.closes_at and survey.closes_at <= now):
        return "closed"
    if survey.opens_at and survey.opens_at > now:
        return "not_open"
    return "open"


def invitation_record_open(*, invitation: Invitation) -> None:
    """Remember the first time the personal link was opened (idempotent, one UPDATE; none
    when the invitation read for this request already says it was opened)."""
    if invitation.opened_at is not None:
        return
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )


def saved_answers(response: Response | None) -> dict[str, CleanAnswer]:
    if response is None:
        return {}
    return {
        a.question_key: CleanAnswer(
            number=a.number, text=a.text, choices=list(a.choices), other_text=a.other_text
        )
        for a in response.answers.all()
    }


def _store_answers(
    response: Response, questions: Sequence[Question], answers: Mapping[str, CleanAnswer]
) -> None:
    """Replace the stored answers of `questions` with `answers` (missing ones are removed)."""
    keys = [q.key for q in questions]
    files = [q.key for q in questions if q.type == QuestionType.FILE]
    if files:  # uploads are stored first: their answers hold the stored file's token
        kept = files_store_for_answers(response, answers, files)
        files_drop_replaced(response, questions, kept)
    response.answers.filter(question_key__in=keys).delete()
    Answer.objects.bulk_create(_answer_row(response, q, answers[q.key]) for q in questions
                               if q.key in answers)  # fmt: skip


def _open_or_refuse(survey: Survey) -> None:
    state = survey_state(survey)
    if state != "open":
        messages = {
            "draft": _("This survey has not been published."),
            "not_open": _("This survey is not open yet."),
            "closed": _("This survey is closed."),
        }
        raise SurveyError(messages[state])


@transaction.atomic
def response_save_page(
    *,
    survey: Survey,
    version: SurveyVersion,
    questions: Sequence[Question],
    page: Sequence[Question],
    data: Mapping[str, Any],
    response: Response | None = None,
    respondent_key: uuid.UUID | None = None,
    enforce_required: bool = True,
    channel: str = Channel.LINK,
    store: str = "",
    source: Mapping[str, str] | None = None,
    language: str = "zh-hans",
    invitation: Invitation | None = None,
    consent_given: bool = False,
) -> tuple[Response | None, dict[str, str]]:
    """Save the answers of one page into the draft (creating it); return it and any errors.

    Valid answers are kept even when another question on the page has an error, so that
    nothing the customer typed is lost.
    """
    _open_or_refuse(survey)
    if response is None and invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        response = Response.objects.filter(invitation=invitation).first()
    if response is not None:
        response = Response.objects.select_for_update().get(pk=response.pk)
        if response.status == ResponseStatus.COMPLETED:
            return response, {}
    known = saved_answers(response)
    values = {key: answer.value for key, answer in known.items()}
    required = visible_questions(page, values) if enforce_required else []
    if required and any(getattr(q, "jumps", None) for q in questions):  # skip logic: not asked
        asked = {q.key for q in visible_questions(questions, values)}
        required = [q for q in required if q.key in asked]
    checked = check_answers(page, data, known=known, require=required)
    errors = dict(checked.errors)
    needs_consent = bool(version.consent_text) and not (response and response.consent_version)
    if needs_consent and not consent_given and enforce_required:
        errors["_consent"] = _("Please accept the privacy notice to continue.")
    has_content = any(q.key in checked.answers for q in page) or consent_given
    if response is None:
        if not has_content:
            return None, errors
        response = _draft_create(
            survey=survey, version=version, respondent_key=respondent_key, channel=channel,
            store=store, source=source, language=language, invitation=invitation,
        )  # fmt: skip
    if consent_given and needs_consent:
        response.consent_version = version.number
        response.consent_text_id = consent_text_id_for(version, response.language)
        response.consented_at = timezone.now()
        response.save(update_fields=["consent_version", "consent_text", "consented_at"])
    _store_answers(response, [q for q in page if q.key not in errors], checked.answers)
    return response, errors


def _draft_create(*, survey, version, respondent_key, channel, store, source, language, invitation):
    fields = {
        "survey": survey, "version": version, "channel": channel, "store": store[:64],
        "source": dict(source or {}), "language": language, "invitation": invitation,
        "customer": invitation.customer if invitation else None,
    }  # fmt: skip
    if respondent_key is None:
        return Response.objects.create(**fields)
    # The key comes from the form, so a double-click on the first page reuses one draft.
    try:
        with transaction.atomic():
            return Response.objects.create(respondent_key=respondent_key, **fields)
    except IntegrityError:
        existing = Response.objects.select_for_update().get(respondent_key=respondent_key)
        if existing.survey_id != survey.pk:
            raise SurveyError(_("This form does not belong to this survey.")) from None
        return existing


def first_incomplete_question(
    questions: Sequence[Question], answers: Mapping[str, CleanAnswer]
) -> Question | None:
    values = {key: answer.value for key, answer in answers.items()}
    for question in visible_questions(questions, values):
        if question.required and question.key not in answers:
            return question
    return None


@transaction.atomic
def response_complete(
    *, response: Response, submission_id: uuid.UUID | None = None, device_key: str = ""
) -> Response:
    """Complete a draft: every visible required question answered; hidden answers dropped.

    Completing twice is harmless: the second call returns the completed response.
    """
    response = Response.objects.select_for_update().select_related("version").get(pk=response.pk)
    if response.status == ResponseStatus.COMPLETED:
        return response
    questions = list(response.version.questions.all())
    answers = saved_answers(response)
    missing = first_incomplete_question(questions, answers)
    if missing is not None:
        raise SurveyError(
            _("Some required questions are not answered yet."),
            {missing.key: _("This question needs an answer.")},
        )
    if response.version.consent_text and not response.consent_version:
        raise SurveyError(_("Please accept the privacy notice to continue."))
    _finish(response, questions, answers, submission_id, device_key)
    return response


def _completion(questions, answers) -> tuple[set[str], dict[str, int | None]]:
    """Keys of the questions shown for these answers, and the metric scores to store."""
    values = {key: answer.value for key, answer in answers.items()}
    shown = {q.key for q in visible_questions(questions, values)}
    scores: dict[str, int | None] = {}
    for question in questions:
        field = SCORE_FIELDS.get(question.type)
        if field and field not in scores and question.key in shown:
            answer = answers.get(question.key)
            scores[field] = answer.number if answer else None
    return shown, scores


def _finish(response, questions, answers, submission_id, device_key="") -> None:
    shown, scores = _completion(questions, answers)
    hidden = [q.key for q in questions if q.key not in shown]
    if hidden:
        response.answers.filter(question_key__in=hidden).delete()
        response.files.filter(question_key__in=hidden).delete()
    for field, score in scores.items():
        setattr(response, field, score)
    response.status = ResponseStatus.COMPLETED
    response.completed_at = timezone.now()
    response.submission_id = submission_id
    response.device_key = device_key or response.device_key
    response.save()
    _announce_on_commit(response.pk)


def _announce_on_commit(response_id: int) -> None:
    """Tell the listeners (feedback, cases) about a committed response — never in the request.

    With a broker the response row is its own outbox: `announced_at` is NULL until the
    `surveys.sweep_unannounced_responses` beat task (every few seconds) announces it in a
    worker, so a submit costs no broker round trip and a broker outage loses nothing.
    In-process mode (no broker: the demo, tests) has no beat and announces right after commit.
    The outbox itself (announcing, retries, failures) is `surveys.responding.outbox`.
    """
    if tasks_run_in_process():
        enqueue_on_commit("surveys.announce_response", response_id)


def response_submit(
    *,
    survey: Survey,
    data: Mapping[str, Any],
    submission_id: uuid.UUID | None = None,
    channel: str = Channel.API,
    store: str = "",
    source: Mapping[str, str] | None = None,
    language: str = "zh-hans",
    consent_given: bool = False,
    device_key: str = "",
) -> tuple[Response, bool]:
    """Store a complete response in one call (apps, mini programs); returns (response, created).

    The same submission_id sent twice returns the first response instead of a duplicate.
    A resent one is recognised when it fails (the unique submission_id refuses the INSERT,
    or the survey has closed or changed since), not by a lookup before every new one: the
    hot path stays one statement.
    """
    arguments = (data, submission_id, channel, store, source, language, consent_given, device_key)
    # On SQLite a concurrent writer can hold the database past the busy timeout: try again
    # rather than answer 500 (the insert is all-or-nothing, so a retry never doubles it).
    try:
        return retry_when_locked(lambda: _submit_new_or_refuse(survey, arguments))
    except (SurveyError, IntegrityError):
        existing = None
        if submission_id is not None:
            existing = Response.objects.filter(submission_id=submission_id).first()
        if existing is None:
            raise
    return _same_survey(existing, survey), False


def _submit_new_or_refuse(survey: Survey, arguments: tuple) -> tuple[Response, bool]:
    try:
        try:
            return _submit_new(survey, *arguments), True
        except SurveyChanged:
            # Closed or edited since it was read (e.g. from a cache): read it again, re-check.
            fresh = _survey_read_again(survey)
            if fresh is None:
                raise SurveyError(_("This survey is closed.")) from None
            return _submit_new(fresh, *arguments), True
        except SurveyError:
            # Refused by the survey as it was read — possibly a cached copy from before an edit
            # (a question no longer required, consent no longer asked): never refuse a
            # customer's answers on a stale copy. Only this error path pays the extra read.
            fresh = _survey_read_again(survey)
            if fresh is None or _same_edit(fresh, survey):
                raise
            return _submit_new(fresh, *arguments), True
    except SurveyChanged:
        message = _("This survey has just changed; please send your answers again.")
        raise SurveyError(message) from None


def _survey_read_again(survey: Survey) -> Survey | None:
    """The survey as it is now, by slug — the address the respondent used: the cached survey
    may have been deleted since (and another made with its slug)."""
    survey_submit_cache_drop(survey.slug)
    return survey_for_submit().filter(slug=survey.slug).first()


def _same_edit(fresh: Survey, read: Survey) -> bool:
    return (fresh.pk, fresh.updated_at, fresh.current_version_id) == (
        read.pk,
        read.updated_at,
        read.current_version_id,
    )


def _same_survey(response: Response, survey: Survey) -> Response:
    if response.survey_id != survey.pk:
        raise SurveyError(
            _("This submission_id was already used for another survey."),
            {"submission_id": _("Already used for another survey.")},
        )
    return response


def _submit_new(
    survey, data, submission_id, channel, store, source, language, consent_given, device_key=""
) -> Response:
    _open_or_refuse(survey)
    version = survey.current_version
    questions = current_questions(survey)
    if version.consent_text and not consent_given:
        raise SurveyError(
            _("Please accept the privacy notice to continue."),
            {"consent": _("This survey asks for consent to the privacy notice.")},
        )
    unknown = set(data) - {q.key for q in questions} - {f"{q.key}_other" for q in questions}
    errors: dict[str, str] = {
        key: _("There is no such question in this survey.") for key in sorted(unknown)
    }
    checked = check_answers(questions, data, require=questions)
    errors.update(checked.errors)
    errors.update(file_tokens_check(survey, questions, checked.answers))
    if errors:
        raise SurveyError(_("Some answers are not valid."), errors)
    shown, scores = _completion(questions, checked.answers)
    now = timezone.now()
    response = Response(
        survey=survey, version=version, channel=channel, store=store[:64],
        source=dict(source or {}), language=language, status=ResponseStatus.COMPLETED,
        consent_version=version.number if version.consent_text else None,
        consent_text_id=consent_text_id_for(version, language) if version.consent_text else None,
        consented_at=now if version.consent_text else None,
        started_at=now, completed_at=now, submission_id=submission_id, device_key=device_key,
        **scores,
    )  # fmt: skip
    answers = [
        (q.pk, q.key, checked.answers[q.key])
        for q in questions
        if q.key in shown and q.key in checked.answers
    ]
    # Atomic: all rows or none; and only if the survey is still as validated above.
    uploads = file_keys(questions)  # once, not per answer: this is the public submit's path
    tokens = {key: a.text for _id, key, a in answers if key in uploads}
    if tokens:  # the uploads named are claimed in the same transaction, or nothing is stored
        with transaction.atomic():
            insert_completed(response, answers, survey_revision=survey.updated_at)
            files_claim(response, tokens)
    else:
        insert_completed(response, answers, survey_revision=survey.updated_at)
    _announce_on_commit(response.pk)
    return response


def file_keys(questions: Sequence[Question]) -> set[str]:
    return {q.key for q in questions if q.type == QuestionType.FILE}


def _answer_row(response: Response, question: Question, answer: CleanAnswer) -> Answer:
    return Answer(
        response=response, question=question, question_key=question.key, number=answer.number,
        text=answer.text, choices=answer.choices, other_text=answer.other_text,
    )  # fmt: skip
