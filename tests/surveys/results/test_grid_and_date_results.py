"""Matrix, ranking and date questions on the results page and in the results API (issue
#17: every question type appears in the results): recounted from the stored answers, with
filters, and the same from the survey's pre-aggregate (cube) as live."""

import datetime as dt
import random
from collections import Counter, defaultdict

import pytest
from django.test import Client

from surveyhub.security.roles import Role
from surveys.models import Answer, Response, ResultCube
from surveys.results.cube import cube_refresh
from tests.factories import UserFactory, published_survey
from tests.support import require_postgresql

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [{"value": "quality", "label": "产品质量", "label_en": "Quality"},
        {"value": "speed", "label": "配送速度 🚚", "label_en": "Speed"},
        {"value": "service", "label": "客服（線上）", "label_en": "Service"}]  # fmt: skip
QUESTIONS = [
    {"key": "grid", "type": "matrix", "required": True, "text": "请为以下方面打分",
     "text_en": "Rate each", "options": ROWS},
    {"key": "rank", "type": "ranking", "text": "请按重要性排序", "text_en": "Rank them",
     "options": ROWS},
    {"key": "visit", "type": "date", "text": "您哪天到店的？", "text_en": "When did you visit?"},
]  # fmt: skip


@pytest.fixture
def survey():
    survey = published_survey(consent_text="", questions=QUESTIONS)
    rng = random.Random(17)
    respondent = Client()
    for i in range(40):
        order = ["quality", "speed", "service"]
        rng.shuffle(order)
        fields = {f"grid__{r['value']}": str(rng.randint(1, 5)) for r in ROWS}
        fields.update({f"rank__{value}": str(place) for place, value in enumerate(order, 1)})
        if i % 5:  # a fifth leave the date empty
            fields["visit"] = (dt.date(2026, 10, 20) + dt.timedelta(days=i)).isoformat()
        channel = "wechat" if i % 2 else "link"
        reply = respondent.post(f"/s/{survey.slug}/?c={channel}",
                                {"page": 0, "action": "submit", **fields})  # fmt: skip
        assert reply.status_code == 302, reply.content.decode()[:500]
        respondent.cookies.clear()
    return survey


@pytest.fixture
def manager():
    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def _recount(survey, channel=None):
    responses = Response.objects.filter(survey=survey, status="completed")
    if channel:
        responses = responses.filter(channel=channel)
    answers = Answer.objects.filter(response__in=responses)
    points, places, months, dates = defaultdict(Counter), defaultdict(list), Counter(), []
    for answer in answers:
        if answer.question_key == "grid":
            for choice in answer.choices:
                row, point = choice.split(":")
                points[row][int(point)] += 1
        elif answer.question_key == "rank":
            for place, value in enumerate(answer.choices, 1):
                places[value].append(place)
        elif answer.question_key == "visit" and answer.text:
            dates.append(answer.text)
            months[answer.text[:7]] += 1
    return responses.count(), points, places, months, sorted(dates)


def _results(manager, survey, params=None):
    reply = manager.get(f"/api/v1/surveys/{survey.pk}/results/", params or {})
    assert reply.status_code == 200, reply.content
    body = reply.json()
    return body, {q["key"]: q for q in body["questions"]}


def _check(body, questions, expected):
    total, points, places, months, dates = expected
    assert body["responses"] == total
    grid = {row["value"]: row for row in questions["grid"]["rows"]}
    assert set(grid) == {"quality", "speed", "service"}
    for value, row in grid.items():
        counted = points[value]
        assert row["answered"] == sum(counted.values())
        assert {p["value"]: p["count"] for p in row["points"]} == {
            n: counted[n] for n in range(1, 6)
        }
        mean = sum(k * n for k, n in counted.items()) / sum(counted.values())
        assert row["mean"] == pytest.approx(mean)
    rank = questions["rank"]["rows"]
    for row in rank:
        assert row["answered"] == len(places[row["value"]])
        assert row["mean_place"] == pytest.approx(sum(places[row["value"]]) / row["answered"])
        assert row["first"] == places[row["value"]].count(1)
    assert [r["mean_place"] for r in rank] == sorted(r["mean_place"] for r in rank)
    visit = questions["visit"]
    assert {e["value"]: e["count"] for e in visit["distribution"]} == dict(months)
    assert (visit["earliest"], visit["latest"]) == (dates[0], dates[-1])


def test_matrix_ranking_and_date_results_equal_a_recount_of_the_answers(manager, survey):
    body, questions = _results(manager, survey)
    _check(body, questions, _recount(survey))
    assert body["responses"] == 40
    body, questions = _results(manager, survey, {"channel": "wechat"})
    _check(body, questions, _recount(survey, "wechat"))
    assert body["responses"] == 20


def test_the_same_from_the_pre_aggregate(manager, survey):
    require_postgresql("the results cube")
    assert cube_refresh(survey=survey) == "built"
    assert ResultCube.objects.filter(survey=survey, stale=False).exists()
    for params, channel in (({}, None), ({"channel": "link"}, "link")):
        body, questions = _results(manager, survey, params)
        _check(body, questions, _recount(survey, channel))


def test_the_results_page_shows_rows_places_and_months_in_the_readers_language(manager, survey):
    html = manager.get(f"/staff/surveys/{survey.pk}/results/").content.decode()
    assert "配送速度 🚚" in html and "客服（線上）" in html
    assert "平均名次" in html and "排第一" in html
    assert "2026年10月" in html and "2026年11月" in html
    assert "最早" in html
    english = manager.get(f"/staff/surveys/{survey.pk}/results/", HTTP_ACCEPT_LANGUAGE="en")
    page = english.content.decode()
    assert "Mean place" in page and "Ranked first" in page and "Speed" in page
