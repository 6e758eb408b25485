"""The value distribution of hidden fields (values the survey link carried, e.g. ?src=wechat):
the most frequent values of the filtered responses, the rest summed up. Counted live from
the answer table, one query per hidden field: link values may be as many as the responses
(an order number), so they are not pre-aggregated. Values may be personal (an order
number): only people who may read single responses see them."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from surveys.models import Answer, Question, QuestionType, Response
from surveys.results import stats

HIDDEN_TOP = 20


def hidden_questions(questions: dict[str, Question]) -> list[str]:
    return [key for key, question in questions.items() if question.type == QuestionType.HIDDEN]


def hidden_distribution(responses: QuerySet[Response], key: str, answered: int) -> list[dict]:
    """The HIDDEN_TOP most frequent values of `key` (most first, then by value) with their
    count and share of those answered; the other values as one last entry (value None)."""
    rows = (
        Answer.objects.filter(response_id__in=responses.values("pk"), question_key=key)
        .exclude(text="")
        .values_list("text")
        .annotate(n=Count("pk"))
        .order_by("-n", "text")[:HIDDEN_TOP]
    )
    entries = [
        {"value": text, "label": text, "count": n, "share": stats.share(n, answered)}
        for text, n in rows
    ]
    rest = answered - sum(entry["count"] for entry in entries)
    if rest > 0:
        entries.append({"value": None, "label": _("Other values"), "count": rest,
                        "share": stats.share(rest, answered)})  # fmt: skip
    return entries
