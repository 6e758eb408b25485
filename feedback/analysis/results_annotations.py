"""What feedback adds to a survey's results pages (surveys' results annotations registry,
registered in FeedbackConfig.ready): each free-text answer's sentiment, topics, aspects and
case, and a response's feedback items and cases."""

from django.urls import reverse
from django.utils.translation import get_language

from feedback.analysis.queries import aspect_choices
from feedback.models import FeedbackItem
from feedback.models.cases import Case
from surveys.results.annotations import register_answer_annotations, register_response_extras


def _cases_by_response(response_ids) -> dict[int, Case]:
    cases: dict[int, Case] = {}
    for case in Case.objects.filter(response_id__in=response_ids).order_by("created_at"):
        cases.setdefault(case.response_id, case)
    return cases


def answer_annotations(answer_ids: list[int]) -> dict[int, dict]:
    """answer id → sentiment, topics, aspects and links of its feedback item and case."""
    items = list(
        FeedbackItem.objects.filter(answer_id__in=answer_ids).prefetch_related(
            "aspects", "topic_links__topic"
        )
    )
    names = dict(aspect_choices(get_language()))
    cases = _cases_by_response({item.response_id for item in items})
    found = {}
    for item in items:
        case = cases.get(item.response_id)
        found[item.answer_id] = {
            "sentiment": item.get_sentiment_label_display() if item.sentiment_label else "",
            "sentiment_code": item.sentiment_label or "",
            "topics": [link.topic.name for link in item.topic_links.all()],
            "aspects": [names.get(a.aspect, a.aspect) for a in item.aspects.all()],
            "item_url": reverse("feedback:item", args=[item.pk]),
            "case_url": reverse("cases:detail", args=[case.pk]) if case else "",
        }
    return found


def response_extras(response_id: int, user) -> dict:
    """The response's feedback items and cases, as far as `user` may see them."""
    extras: dict[str, list] = {"items": [], "cases": []}
    if user.has_perm("feedback.view_feedbackitem"):
        for item in FeedbackItem.objects.filter(response_id=response_id).order_by("pk"):
            extras["items"].append({
                "text": item.text,
                "sentiment": item.get_sentiment_label_display() if item.sentiment_label else "",
                "url": reverse("feedback:item", args=[item.pk]),
            })  # fmt: skip
    if user.has_perm("feedback.view_case"):
        for case in Case.objects.filter(response_id=response_id).order_by("created_at"):
            extras["cases"].append(
                {"label": f"#{case.pk} · {case.get_status_display()}",
                 "url": reverse("cases:detail", args=[case.pk])}
            )  # fmt: skip
    return extras


def register_results_annotations() -> None:
    register_answer_annotations(answer_annotations)
    register_response_extras(response_extras)
