"""What the in-page script is told: the question, the trigger, the targeting and the words.

Built once per process for each (configuration, survey edit, language): the key holds both
`updated_at`s, so an edit to either is served at once and a stale entry is never used.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from surveys.inpage.models import InPageSurvey
from surveys.inpage.services import questions_asked, rules_parse
from surveys.responding.answers import SCALES, SHORT_TEXT_LIMIT
from surveys.responding.branding import look_for
from surveys.responding.rendering import scale_ends, text_in

_BUILT: dict[tuple, dict] = {}
BUILT_MAX = 512


def in_page_by_key(key: str) -> InPageSurvey | None:
    """The enabled configuration and its survey (with its version), in one query."""
    return (
        InPageSurvey.objects.select_related("survey__current_version")
        .filter(key=key, enabled=True)
        .first()
    )


def script_config(in_page: InPageSurvey, language: str) -> dict:
    survey = in_page.survey
    cache_key = (in_page.pk, in_page.updated_at, survey.pk, survey.updated_at, language)
    built = _BUILT.get(cache_key)
    if built is None:
        if len(_BUILT) >= BUILT_MAX:
            _BUILT.clear()
        with translation.override(language):
            built = _build(in_page, language)
        _BUILT[cache_key] = built
    return built


def _build(in_page: InPageSurvey, language: str) -> dict:
    survey = in_page.survey
    scale, follow = questions_asked(survey)
    low, high = SCALES[scale.type]
    version = survey.current_version
    consent = None
    if version.consent_text:
        consent = {
            "text": text_in(version, "consent_text", language),
            "link": pgettext("consent link", "Privacy notice"),
            "url": reverse("privacy"),
        }
    limit = SHORT_TEXT_LIMIT if follow and follow.type == "short_text" else 2000
    return {
        "survey": survey.slug,
        "submit": reverse("public-submit", args=[survey.slug]),
        "dismiss": reverse("inpage-dismiss", args=[in_page.key]),
        "trigger": in_page.trigger,
        "event": in_page.event_name.strip(),
        "views": in_page.page_views,
        "path": in_page.url_pattern.strip(),
        "rules": rules_parse(in_page.attribute_rules),
        "days": in_page.recontact_days,
        "lang": language,
        "colour": look_for(survey, language).colour or "#0969da",
        "q": {
            "key": scale.key,
            "text": text_in(scale, "text", language),
            "low": low,
            "high": high,
            "ends": list(scale_ends(scale.type) or ("", "")),
        },
        "f": {
            "key": follow.key,
            "text": text_in(follow, "text", language),
            "max": min(follow.max_length or limit, limit) if follow.type == "long_text" else limit,
        }
        if follow and in_page.follow_up
        else None,
        "consent": consent,
        "t": {
            "send": _("Send"),
            "close": _("Close"),
            "thanks": _("Thank you for your feedback!"),
            "score": _("Score %(n)s") % {"n": "{n}"},
            "failed": _("Your answer could not be sent. Please try again."),
            "consent": _("Please accept the privacy notice first."),
        },
    }
