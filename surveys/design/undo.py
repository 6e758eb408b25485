"""Undo in the builder: each change of a survey's questions first keeps the questions as they
were (a snapshot); undo writes the latest snapshot back (`surveys.design.editing.survey_undo`).
The last UNDO_DEPTH changes per survey can be taken back, newest first."""

from collections.abc import Sequence
from typing import Any

from surveys.design.models import QuestionsSnapshot
from surveys.models import Survey

UNDO_DEPTH = 20


def snapshot_take(*, survey: Survey, questions: Sequence[dict[str, Any]], change: str) -> None:
    """Keep `questions` (the survey's questions before a change) and forget the oldest beyond
    UNDO_DEPTH."""
    QuestionsSnapshot.objects.create(survey=survey, change=change, questions=list(questions))
    kept = QuestionsSnapshot.objects.filter(survey=survey).order_by("-id")[:UNDO_DEPTH]
    QuestionsSnapshot.objects.filter(survey=survey).exclude(id__in=kept.values("id")).delete()


def snapshot_latest(survey: Survey) -> QuestionsSnapshot | None:
    """The change undo would take back, or None."""
    return QuestionsSnapshot.objects.filter(survey=survey).order_by("-id").first()
