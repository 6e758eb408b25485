"""How long a survey takes, said the same way in the invitation email and on the page."""

import math

from django.utils.translation import ngettext

from surveys.models import Question, QuestionType

# Seconds a respondent on a phone needs per question, by kind; the sum is rounded up.
SECONDS = {
    QuestionType.SHORT_TEXT: 20,
    QuestionType.LONG_TEXT: 30,
    QuestionType.MULTIPLE: 12,
    QuestionType.CONSENT: 5,
    QuestionType.MATRIX: 20,
    QuestionType.RANKING: 15,
    QuestionType.REGION: 15,
    QuestionType.IMAGE_MULTIPLE: 12,
    QuestionType.FILE: 30,
    QuestionType.HIDDEN: 0,  # filled from the link
}
DEFAULT_SECONDS = 8


def survey_minutes(version_id: int, types: list[str] | None = None) -> int:
    """Whole minutes (at least one) to answer every question of a version."""
    if types is None:
        types = list(Question.objects.filter(version_id=version_id).values_list("type", flat=True))
    seconds = sum(SECONDS.get(kind, DEFAULT_SECONDS) for kind in types)
    return max(1, math.ceil(seconds / 60))


def duration_text(minutes: int) -> str:
    """ "about 2 minutes": the one phrase the email and the page both use."""
    return ngettext("about %(count)s minute", "about %(count)s minutes", minutes) % {
        "count": minutes
    }
