"""Rules of in-page surveys: which questions they ask, which sites may use them, and the
per-device re-contact limit."""

import re
from datetime import timedelta
from fnmatch import translate
from urllib.parse import urlsplit

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.errors import SurveyError
from surveys.inpage.models import ContactOutcome, InPageContact, InPageSurvey, Trigger
from surveys.models import QuestionType
from surveys.queries import current_questions

SCALE_TYPES = (QuestionType.NPS, QuestionType.CSAT)
TEXT_TYPES = (QuestionType.LONG_TEXT, QuestionType.SHORT_TEXT)
DEVICE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
RULE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]{0,63})\s*=\s*(.{1,200})$")


def questions_asked(survey) -> tuple:
    """(the scale question, the follow-up text question or None) an in-page survey asks."""
    questions = current_questions(survey) if survey.current_version_id else ()
    scale = next((q for q in questions if q.type in SCALE_TYPES), None)
    # A text question shown to everyone: one with display logic may not be stored.
    follow = next((q for q in questions if q.type in TEXT_TYPES and not q.show_if), None)
    return scale, follow


def survey_check(survey) -> None:
    """Refuse a survey an in-page widget cannot answer in full (one scale, one text)."""
    scale, follow = questions_asked(survey)
    if scale is None:
        message = _("This survey has no NPS or CSAT question to show in the page.")
        raise SurveyError(message, {"survey": message})
    asked = {scale.pk, follow.pk if follow else None}
    others = [q for q in current_questions(survey) if q.required and q.pk not in asked]
    if others:
        message = _(
            "An in-page survey asks only its scale question and one text question, but this "
            "survey also requires “%(question)s”. Make that question optional or choose another "
            "survey."
        ) % {"question": others[0].text}
        raise SurveyError(message, {"survey": message})


def origins_check(text: str) -> list[str]:
    """The allowed origins, one a line, each scheme://host[:port] and nothing more."""
    origins = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().rstrip("/")
        if not line:
            continue
        parts = urlsplit(line)
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path:
            message = _(
                "Line %(line)s, “%(value)s”: give an origin such as https://shop.example.cn "
                "(scheme and host, an optional port, no path)."
            ) % {"line": number, "value": line[:80]}
            raise SurveyError(message, {"allowed_origins": message})
        origins.append(line)
    if not origins:
        message = _("Give at least one origin, e.g. https://shop.example.cn.")
        raise SurveyError(message, {"allowed_origins": message})
    return origins


def rules_parse(text: str) -> list[list[str]]:
    """The attribute rules, one `attribute=value` (or `attribute=*`) a line."""
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = RULE.match(line.strip())
        if match is None:
            message = _(
                "Line %(line)s, “%(value)s”: write one rule a line as attribute=value, e.g. "
                "plan=gold, or userId=* for any signed-in customer."
            ) % {"line": number, "value": line.strip()[:80]}
            raise SurveyError(message, {"attribute_rules": message})
        rules.append([match.group(1), match.group(2).strip()])
    return rules


def in_page_check(in_page: InPageSurvey) -> None:
    """Every rule of a configuration, before it is saved."""
    survey_check(in_page.survey)
    origins_check(in_page.allowed_origins)
    rules_parse(in_page.attribute_rules)
    if in_page.trigger == Trigger.EVENT and not in_page.event_name.strip():
        message = _("Name the event the site reports, e.g. checkout.")
        raise SurveyError(message, {"event_name": message})
    if in_page.trigger == Trigger.PAGE_VIEWS and in_page.page_views < 1:
        message = _("Show it after at least one page view.")
        raise SurveyError(message, {"page_views": message})


def in_page_for_origin(*, slug: str, origin: str) -> InPageSurvey | None:
    """The enabled in-page survey of the survey `slug` that allows `origin`, if any."""
    origin = origin.rstrip("/")
    candidates = InPageSurvey.objects.filter(survey__slug=slug, enabled=True).only(
        "id", "allowed_origins", "recontact_days"
    )
    return next((c for c in candidates if origin in c.origins), None)


def device_recently_contacted(in_page: InPageSurvey, device_id: str, *, answered_only=False):
    """The device answered (or closed) this in-page survey within its re-contact days."""
    since = timezone.now() - timedelta(days=in_page.recontact_days)
    contacts = InPageContact.objects.filter(in_page=in_page, device_id=device_id, at__gt=since)
    if answered_only:
        contacts = contacts.filter(outcome=ContactOutcome.ANSWERED)
    return contacts.exists()


def contact_record(*, in_page: InPageSurvey, device_id: str, outcome: str) -> None:
    """Remember that a device answered or closed the question now (one row per device): one
    INSERT … ON CONFLICT UPDATE statement, on the public submit's path."""
    if not DEVICE_ID.fullmatch(device_id or ""):
        return
    # One statement, no BEGIN/COMMIT around it (bulk_create would add both); PostgreSQL and
    # SQLite (3.24+) read the same upsert. The table name is the model's, values parameters.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {InPageContact._meta.db_table} (in_page_id, device_id, outcome, at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s) ON CONFLICT (in_page_id, device_id) "
            "DO UPDATE SET outcome = excluded.outcome, at = excluded.at",
            [in_page.pk, device_id, str(outcome), timezone.now()],
        )


def path_matches(pattern: str, path: str) -> bool:
    """The same glob the script applies to location.pathname (for tests and the admin)."""
    return not pattern or re.fullmatch(translate(pattern), path) is not None
