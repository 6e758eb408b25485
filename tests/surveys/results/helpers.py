"""Test data for the results tests: responses made through the real submit service, then
moved to a channel, store and day, and a recount straight from the answer table."""

import datetime as dt
from collections import Counter

from django.utils import timezone

from surveys.models import Answer, Response
from tests.factories import published_survey, submitted_response

ANSWERS = [
    # (answers, channel, store, day)
    ({"nps": 10, "praise": "服务很好", "delivery_speed": 5, "comment": "很棒"}, "email", "SH01", 1),
    ({"nps": 9, "delivery_speed": 4}, "email", "SH01", 2),
    ({"nps": 8, "delivery_speed": 4}, "wechat", "SH01", 3),
    ({"nps": 7, "delivery_speed": 3, "comment": "=1+1 还行"}, "wechat", "BJ02", 4),
    ({"nps": 3, "reason": ["delivery", "price"], "delivery_speed": 1}, "link", "BJ02", 5),
    (
        {"nps": 0, "reason": ["delivery", "__other__"], "reason_other": "包装破损"},
        "link",
        "BJ02",
        6,
    ),
    ({"nps": 6, "reason": ["quality"], "comment": "质量一般"}, "wechat", "SH01", 7),
    ({"nps": 10}, "email", "BJ02", 8),
]


def local_noon(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, 12, 0))


def survey_with_answers(answers=ANSWERS):
    survey = published_survey("transactional_nps", consent_text="")
    for data, channel, store, day in answers:
        response = submitted_response(survey=survey, data=data)
        done = local_noon(day)
        Response.objects.filter(pk=response.pk).update(
            channel=channel,
            store=store,
            completed_at=done,
            started_at=done - dt.timedelta(minutes=3),
        )
    return survey


def recount(survey, key, responses=None):
    """{value: count} of one question's answers, counted from the answer table."""
    responses = (
        responses
        if responses is not None
        else Response.objects.filter(survey=survey, status="completed")
    )
    counts = Counter()
    for answer in Answer.objects.filter(response__in=responses, question_key=key):
        if answer.number is not None:
            counts[answer.number] += 1
        for choice in answer.choices:
            counts[choice] += 1
    return counts
