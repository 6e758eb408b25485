"""Write operations on surveys and their questions (the survey builder and the API use these).

Editing a version that already has responses first copies it into a new version, so the
answers already collected keep pointing at exactly the questions they answered.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.design.logic import condition_errors, jump_errors, jumps_about
from surveys.design.survey_templates import TEMPLATES_BY_KEY
from surveys.design.undo import snapshot_take
from surveys.errors import SurveyError
from surveys.models import (
    OptionOrder,
    Question,
    QuestionType,
    Survey,
    SurveyStatus,
    SurveyVersion,
)
from surveys.privacy.consent import consent_record
from surveys.questions.specs import normalised_config, spec_errors

CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.DROPDOWN,
                QuestionType.MATRIX, QuestionType.RANKING, QuestionType.IMAGE_SINGLE,
                QuestionType.IMAGE_MULTIPLE}  # fmt: skip
QUESTION_FIELDS = (
    "key", "type", "required", "text", "text_en", "help_text", "help_text_en", "options",
    "allow_other", "option_order", "show_if", "max_length", "scale_style", "config", "jumps",
)  # fmt: skip
VERSION_FIELDS = (
    "intro", "intro_en", "thank_you", "thank_you_en", "consent_text", "consent_text_en",
)  # fmt: skip
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def _check_question_spec(spec: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not KEY_RE.match(str(spec.get("key", ""))):
        errors["key"] = _(
            "Use 1–40 lower-case letters, digits or underscores, starting with a letter."
        )
    if spec.get("type") not in QuestionType.values:
        errors["type"] = _("Unknown question type; expected one of: %(types)s.") % {
            "types": ", ".join(QuestionType.values)
        }
    if not str(spec.get("text", "")).strip():
        errors["text"] = _("A question needs its text.")
    if spec.get("option_order", OptionOrder.FIXED) not in OptionOrder.values:
        errors["option_order"] = _("Option order must be fixed or random.")
    if spec.get("type") in CHOICE_TYPES:
        options = spec.get("options") or []
        values = [str(o.get("value", "")).strip() for o in options if isinstance(o, Mapping)]
        if len(values) != len(options) or not options:
            errors["options"] = _("Give at least one option, each with a value and a label.")
        elif len(set(values)) != len(values) or "" in values or "__other__" in values:
            errors["options"] = _("Option values must be unique and not empty.")
        elif any(not str(o.get("label", "")).strip() for o in options):
            errors["options"] = _("Every option needs a label.")
    for name, message in spec_errors(spec).items():
        errors.setdefault(name, message)
    return errors


def _check_logic(questions: list[Mapping[str, Any]]) -> dict[str, str]:
    errors: dict[str, str] = {}
    titles = {q["key"]: q.get("text") or q["key"] for q in questions}
    keys = [q["key"] for q in questions]
    for index, spec in enumerate(questions):
        earlier = keys[:index]
        problems = condition_errors(spec.get("show_if"), earlier, titles)
        problems += jump_errors(spec.get("jumps"), spec["key"], earlier, keys[index + 1 :], titles)
        if problems:
            errors[spec["key"]] = _("The display logic of “%(question)s” is invalid: "
                                    "%(problems)s.") % {
                "question": titles[spec["key"]], "problems": "; ".join(problems)
            }  # fmt: skip
    return errors


def _spec_of(question: Question) -> dict[str, Any]:
    return {name: getattr(question, name) for name in QUESTION_FIELDS}


def _normalised_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(spec) - set(QUESTION_FIELDS) - {"id", "position"}
    if unknown:
        raise SurveyError(
            _("Unknown question field(s): %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    clean = {name: spec[name] for name in QUESTION_FIELDS if name in spec}
    clean.setdefault("options", [])
    clean.setdefault("show_if", None)
    clean["jumps"] = jumps_about(clean.get("jumps") or [], clean.get("key", ""))
    clean["config"] = normalised_config(clean)
    if clean.get("show_if") == {}:
        clean["show_if"] = None
    return clean


def _validate_questions(specs: list[dict[str, Any]]) -> None:
    errors: dict[str, str] = {}
    keys = [spec.get("key") for spec in specs]
    for index, spec in enumerate(specs):
        for field_name, message in _check_question_spec(spec).items():
            errors[f"questions.{index}.{field_name}"] = message  # the API's dotted path
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        errors["questions"] = _("Question keys must be unique: %(keys)s.") % {
            "keys": ", ".join(sorted(map(str, duplicates)))
        }
    if not errors:
        errors.update({f"questions.{k}": v for k, v in _check_logic(specs).items()})
    if errors:
        raise SurveyError(_("The questions are not valid."), errors)


def _write_questions(version: SurveyVersion, specs: Iterable[Mapping[str, Any]]) -> None:
    # One DELETE, without the collector's look-up of answers: a version being written has no
    # responses (a version with answers is copied first), and should an answer exist after all,
    # its foreign key (PROTECT) makes the database refuse.
    old = version.questions.all()
    old._raw_delete(old.db)
    Question.objects.bulk_create(
        Question(version=version, position=index, **_normalised_spec(spec))
        for index, spec in enumerate(specs)
    )


@transaction.atomic
def survey_create(
    *,
    title: str,
    slug: str,
    kind: str,
    title_en: str = "",
    languages: list[str] | None = None,
    questions: list[Mapping[str, Any]] = (),
    opens_at=None,
    closes_at=None,
    by=None,
    **version_texts: str,
) -> Survey:
    """Create a draft survey with its first version and questions."""
    if Survey.objects.filter(slug=slug).exists():
        raise SurveyError(
            _("The link name “%(slug)s” is taken.") % {"slug": slug},
            {"slug": _("This link name is already used by another survey.")},
        )
    survey = Survey(
        title=title, title_en=title_en, slug=slug, kind=kind,
        languages=languages or ["zh-hans", "en"], opens_at=opens_at, closes_at=closes_at,
        created_by=by,
    )  # fmt: skip
    _full_clean(survey)
    survey.save()
    specs = [_normalised_spec(q) for q in questions]
    _validate_questions(specs)
    version = SurveyVersion.objects.create(survey=survey, number=1, **_version_texts(version_texts))
    _write_questions(version, specs)
    survey.current_version = version
    survey.save(update_fields=["current_version"])
    return survey


def _version_texts(texts: Mapping[str, str]) -> dict[str, str]:
    unknown = set(texts) - set(VERSION_FIELDS)
    if unknown:
        raise SurveyError(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(unknown)})
    return dict(texts)


def _full_clean(instance) -> None:
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=["current_version", "created_by"])
    except ValidationError as exc:
        errors = {name: " ".join(map(str, msgs)) for name, msgs in exc.message_dict.items()}
        raise SurveyError(_("The survey is not valid."), errors) from None


@transaction.atomic
def survey_editable_version(*, survey: Survey) -> SurveyVersion:
    """The version edits go to: the current one, or a fresh copy once it has responses."""
    survey = (Survey.objects.select_for_update(of=("self",)).select_related("current_version")
              .get(pk=survey.pk))  # fmt: skip
    current = survey.current_version
    if not current.responses.exists():
        return current
    number = (survey.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    texts = {name: getattr(current, name) for name in VERSION_FIELDS}
    version = SurveyVersion.objects.create(survey=survey, number=number, **texts)
    _write_questions(version, [_spec_of(q) for q in current.questions.all()])
    survey.current_version = version
    survey.save(update_fields=["current_version", "updated_at"])
    return version


@transaction.atomic
def survey_update(*, survey: Survey, **changes: Any) -> Survey:
    """Change survey fields and version texts; a version with answers is copied first."""
    survey_fields = {"title", "title_en", "languages", "opens_at", "closes_at", "slug",
                     "one_question_per_page", "wechat_identity"}  # fmt: skip
    unknown = set(changes) - survey_fields - set(VERSION_FIELDS) - {"questions"}
    if unknown:
        raise SurveyError(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(unknown)})
    for name in survey_fields & set(changes):
        setattr(survey, name, changes[name])
    if survey_fields & set(changes):
        _full_clean(survey)
    survey.save()  # also when only questions change: its updated_at keys the question cache
    texts = {k: v for k, v in changes.items() if k in VERSION_FIELDS}
    if texts or "questions" in changes:
        version = survey_editable_version(survey=survey)
        for name, value in texts.items():
            setattr(version, name, value)
        if texts:
            version.save()
        if "questions" in changes:
            specs = [_normalised_spec(q) for q in changes["questions"]]
            _validate_questions(specs)
            _write_questions(version, specs)
        if survey.status != SurveyStatus.DRAFT:
            consent_record(version=version)  # a changed live notice gets a new number
    survey.refresh_from_db()
    return survey


def survey_questions_specs(survey: Survey) -> list[dict[str, Any]]:
    questions = Question.objects.filter(version_id=survey.current_version_id)
    return [_spec_of(q) for q in questions.order_by("position", "id")]


@transaction.atomic
def survey_questions_replace(
    *,
    survey: Survey,
    questions: list[Mapping[str, Any]],
    change: str = "questions",
    before: list[dict[str, Any]] | None = None,
) -> Survey:
    """Write a survey's whole list of questions as one builder change that "undo" can take
    back: the questions before it are kept as a snapshot (only when it succeeds)."""
    before = survey_questions_specs(survey) if before is None else before
    if [_normalised_spec(q) for q in questions] == [_normalised_spec(q) for q in before]:
        return survey  # nothing changes (e.g. the last question moved down): nothing to undo
    snapshot_take(survey=survey, questions=before, change=change)
    return survey_update(survey=survey, questions=questions)


def question_add(
    *, survey: Survey, spec: Mapping[str, Any], position: int | None = None, change: str = "add"
) -> str:
    """Add a question (at the end by default); without a key it gets one. Returns the key."""
    specs = survey_questions_specs(survey)
    spec = dict(spec)
    if not spec.get("key"):
        spec["key"] = next_question_key(specs, spec.get("type"))
    before = list(specs)
    specs.insert(len(specs) if position is None else position, spec)
    survey_questions_replace(survey=survey, questions=specs, change=change, before=before)
    return spec["key"]


def next_question_key(specs: Iterable[Mapping[str, Any]], question_type: Any = "") -> str:
    """A key unique in the survey: the type's own for the first NPS/CSAT/CES question (what
    results and exports call it), else `q<n>` after the number of questions."""
    taken = {str(spec.get("key")) for spec in specs}
    if question_type in {QuestionType.NPS, QuestionType.CSAT, QuestionType.CES} and (
        str(question_type) not in taken
    ):
        return str(question_type)
    number = len(taken) + 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


def question_change(
    *, survey: Survey, key: str, changes: Mapping[str, Any], specs: list | None = None
) -> None:
    """Change one question; `specs`: the survey's questions when the caller has just read them."""
    specs = survey_questions_specs(survey) if specs is None else [dict(s) for s in specs]
    before, index = list(specs), _index_of(specs, key)
    specs[index] = {**specs[index], **changes}
    survey_questions_replace(survey=survey, questions=specs, change="edit", before=before)


def question_delete(*, survey: Survey, key: str) -> None:
    specs = survey_questions_specs(survey)
    before = list(specs)
    del specs[_index_of(specs, key)]
    survey_questions_replace(survey=survey, questions=specs, change="delete", before=before)


def question_move(*, survey: Survey, key: str, offset: int) -> None:
    """Move a question up (offset −1) or down (+1); logic is re-checked in the new order."""
    specs = survey_questions_specs(survey)
    index = _index_of(specs, key)
    target = max(0, min(len(specs) - 1, index + offset))
    before = list(specs)
    specs.insert(target, specs.pop(index))
    survey_questions_replace(survey=survey, questions=specs, change="move", before=before)


def _index_of(specs: list[dict[str, Any]], key: str) -> int:
    for index, spec in enumerate(specs):
        if spec["key"] == key:
            return index
    raise SurveyError(_("There is no question “%(key)s” in this survey.") % {"key": key})


@transaction.atomic
def survey_publish(*, survey: Survey, by=None) -> Survey:
    """Open a survey for answers: it needs at least one question and valid logic."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == SurveyStatus.ACTIVE:
        return survey
    specs = survey_questions_specs(survey)
    if not specs:
        raise SurveyError(_("Add at least one question before publishing."))
    _validate_questions(specs)
    if survey.closes_at and survey.closes_at <= timezone.now():
        raise SurveyError(
            _("The closing date is in the past; change it before publishing."),
            {"closes_at": _("The closing date is in the past.")},
        )
    consent_record(version=survey.current_version)
    survey.status = SurveyStatus.ACTIVE
    survey.save(update_fields=["status", "updated_at"])
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by=None) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == SurveyStatus.DRAFT:
        raise SurveyError(_("A draft survey cannot be closed; delete it or publish it first."))
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status", "updated_at"])
    return survey


def survey_create_from_template(
    *, template_key: str, slug: str, by=None, title: str = "", kind: str = ""
) -> Survey:
    """One click: a draft survey copied from a ready-made template, in zh-Hans and en.

    What the designer typed wins over the template: their title (the template's English
    title is then dropped, as it would name another survey) and their kind.
    """
    template = TEMPLATES_BY_KEY.get(template_key)
    if template is None:
        raise SurveyError(
            _("Unknown template “%(key)s”; expected one of: %(keys)s.")
            % {"key": template_key, "keys": ", ".join(TEMPLATES_BY_KEY)}
        )
    definition = dict(template.definition)
    if title.strip():
        definition.update(title=title.strip(), title_en="")
    if kind:
        definition["kind"] = kind
    return survey_create(slug=slug, by=by, **definition)
