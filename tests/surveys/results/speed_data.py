"""Test data for the results-speed tests: a survey of every kind of counted question (NPS,
CSAT, three ratings, single and multiple choice with "Other", text, a hidden field) whose
responses carry every filterable fact — day, channel, store, customer (region, RFM segment,
value tier of the latest CLV run), distribution, version, speeders, straight-liners and
duplicate devices — and an independent recount of the API's answer from the raw tables."""

import datetime as dt
from collections import Counter
from statistics import median

from django.utils import timezone

from analytics.models import ClvRun, CustomerValue
from surveys.models import (
    Customer,
    Distribution,
    Invitation,
    Question,
    Response,
    ResultCube,
)
from surveys.scoring.rules import nps_group_range
from tests.factories import submitted_response

QUESTIONS = [
    {"key": "nps", "type": "nps", "text": "推荐意愿 😀", "text_en": "Recommend?"},
    {"key": "csat", "type": "csat", "text": "滿意度", "text_en": "Satisfied?"},
    {"key": "speed", "type": "rating", "text": "配送速度", "text_en": "Speed"},
    {"key": "quality", "type": "rating", "text": "商品質量", "text_en": "Quality"},
    {"key": "staff", "type": "rating", "text": "店员服务", "text_en": "Staff"},
    {"key": "visit", "type": "single", "text": "到店频率", "text_en": "Visits", "options": [
        {"value": "a", "label": "每周", "label_en": "Weekly"},
        {"value": "b", "label": "每月", "label_en": "Monthly"}]},
    {"key": "reasons", "type": "multiple", "text": "原因", "text_en": "Reasons",
     "allow_other": True, "options": [
        {"value": "delivery", "label": "物流", "label_en": "Delivery"},
        {"value": "price", "label": "价格", "label_en": "Price"},
        {"value": "app", "label": "应用", "label_en": "App"}]},
    {"key": "comment", "type": "long_text", "text": "其他意见", "text_en": "Comments"},
    {"key": "src", "type": "hidden", "text": "来源", "text_en": "Source"},
]  # fmt: skip

# (answers, channel, store, day, minutes taken, device, customer index or None, invited)
ROWS = [
    ({"nps": 10, "csat": 5, "speed": 5, "quality": 4, "staff": 5, "visit": "a",
      "reasons": ["delivery"], "comment": "很好 👍", "src": "wechat"},
     "email", "SH01", 1, 6, "d1", 0, True),
    ({"nps": 9, "csat": 4, "speed": 3, "quality": 3, "staff": 3, "visit": "b",
      "reasons": ["price", "app"], "src": "wechat"},
     "email", "SH01", 2, 1, "d2", 1, True),
    ({"nps": 6, "csat": 2, "speed": 2, "quality": 4, "staff": 1, "visit": "a",
      "reasons": ["delivery", "__other__"], "reasons_other": "包裝破損", "src": "sms"},
     "wechat", "BJ02", 3, 7, "d1", 2, False),
    ({"nps": 3, "csat": 1, "speed": 1, "quality": 1, "staff": 1, "reasons": ["price"]},
     "wechat", "BJ02", 4, 5, "", None, False),
    ({"nps": 0, "csat": 3, "speed": 4, "visit": "b", "comment": "太慢了", "src": "sms"},
     "link", "BJ02", 5, 1, "d3", 3, False),
    ({"nps": 8, "csat": 4, "speed": 4, "quality": 4, "staff": 4, "visit": "a",
      "reasons": ["delivery"], "src": "wechat"},
     "link", "SH01", 6, 8, "d3", 0, False),
    ({"nps": 7, "csat": 5, "speed": 5, "quality": 5, "visit": "b", "reasons": ["app"]},
     "qr", "", 7, 6, "d4", None, False),
    ({"nps": 10, "csat": 5, "speed": 5, "quality": 3, "staff": 4, "visit": "a",
      "reasons": ["delivery", "price"], "src": "email"},
     "email", "BJ02", 8, 9, "d5", 3, True),
]  # fmt: skip
REGIONS = ["华东", "華南", "华东", "西南"]
SEGMENTS = ["important_value", "general_keep", "important_value", "general_retain"]
TIERS = ["high", "low", "medium", "high"]

COMBINATIONS = [
    {},
    {"from": "2026-11-02", "to": "2026-11-05"},
    {"channel": "email"},
    {"store": "BJ02"},
    {"region": "华东"},
    {"distribution": "{distribution}"},
    {"version": "1"},
    {"segment": "important_value"},
    {"value_tier": "high,low"},
    {"nps_group": "detractor"},
    {"q": "nps:0-6"},
    {"q": "csat:4-5"},
    {"q": "speed:3-5"},
    {"q": "visit:a"},
    {"q": "reasons:__other__"},
    {"q": ["reasons:delivery", "visit:a"]},
    {"exclude": "speeders"},
    {"exclude": "straightliners"},
    {"exclude": "duplicates"},
    {"exclude": ["speeders", "straightliners", "duplicates"]},
    {"channel": "wechat", "store": "BJ02"},
    {"from": "2026-11-03", "channel": "link", "q": "visit:b"},
    {"region": "华东", "exclude": "duplicates"},
    {"segment": "important_value", "nps_group": "detractor"},
    {"store": "SH01", "exclude": "speeders", "q": "nps:0-6"},
]


def local_noon(day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 11, day, 12, 0))


def speed_survey():
    """The survey with ROWS answered, customers with their CLV values and a distribution."""
    from surveys.design.services import survey_create, survey_publish

    survey = survey_create(title="结果速度 测试", slug=f"speed-{Response.objects.count()}",
                           kind="nps", questions=QUESTIONS)  # fmt: skip
    survey = survey_publish(survey=survey)
    customers = [
        Customer.objects.create(name=f"顧客{i}", region=region) for i, region in enumerate(REGIONS)
    ]
    run = ClvRun.objects.create(as_of=dt.date(2026, 11, 1), r=1, alpha=1, a=1, b=1,
                                bgnbd_log_likelihood=0, n_customers=4)  # fmt: skip
    for customer, segment, tier in zip(customers, SEGMENTS, TIERS, strict=True):
        CustomerValue.objects.create(
            run=run, customer=customer, frequency=1, recency=1, T=1, monetary=1,
            recency_days=1, orders=1, spend=1, r_score=1, f_score=1, m_score=1,
            rfm_segment=segment, p_alive=1, expected_orders_1y=1, clv=1, value_tier=tier,
        )  # fmt: skip
    distribution = Distribution.objects.create(survey=survey, name="十一月", channel="email")
    for row in ROWS:
        add_response(survey, row, customers, distribution)
    survey.test_distribution = distribution
    return survey


def add_response(survey, row, customers, distribution, *, done=None):
    data, channel, store, day, minutes, device, customer, invited = row
    response = submitted_response(survey=survey, data=data)
    done = done or local_noon(day)
    changes = {"channel": channel, "store": store, "completed_at": done, "device_key": device,
               "started_at": done - dt.timedelta(minutes=minutes)}  # fmt: skip
    if customer is not None:
        changes["customer"] = customers[customer]
        if invited:
            changes["invitation"] = Invitation.objects.create(
                distribution=distribution, customer=customers[customer],
                token_seed=f"s{response.pk}", token_hash=f"h{response.pk}",
            )  # fmt: skip
    Response.objects.filter(pk=response.pk).update(**changes)
    return response


def params_for(survey, params: dict) -> dict:
    return {
        name: value.format(distribution=survey.test_distribution.pk)
        if isinstance(value, str) else value
        for name, value in params.items()
    }  # fmt: skip


def _flags(survey, responses) -> dict[int, set[str]]:
    cube = ResultCube.objects.filter(survey=survey).first()
    threshold = cube.speeder_threshold if cube else None
    if threshold is None:
        durations = [r.completed_at - r.started_at for r in responses]
        threshold = median(durations) / 3 if durations else None
    scale_ids = set(
        Question.objects.filter(version__survey=survey, type__in=["rating", "csat", "ces"])
        .values_list("pk", flat=True)
    )  # fmt: skip
    flags = {}
    for r in responses:
        found = set()
        if threshold is not None and r.completed_at - r.started_at < threshold:
            found.add("speeders")
        scores = [a.number for a in r.answers.all() if a.question_id in scale_ids
                  and a.number is not None]  # fmt: skip
        if len(scores) >= 3 and len(set(scores)) == 1:
            found.add("straightliners")
        if r.device_key and any(o.device_key == r.device_key and o.pk < r.pk for o in responses):
            found.add("duplicates")
        flags[r.pk] = found
    return flags


def recount(survey, params: dict) -> tuple[int, dict[str, Counter]]:
    """The responses and {question: {value: count}} the API must answer for `params`, from
    the raw response and answer rows, filtered here in Python."""
    responses = list(
        Response.objects.filter(survey=survey, status="completed")
        .select_related("customer", "invitation", "version").prefetch_related("answers")
    )  # fmt: skip
    flags = _flags(survey, responses)
    values = CustomerValue.objects.filter(run=ClvRun.objects.order_by("-as_of", "-id").first())
    segment_of = {v.customer_id: (v.rfm_segment, v.value_tier) for v in values}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}

    def keep(r) -> bool:
        day = timezone.localtime(r.completed_at).date().isoformat()
        answers = {a.question_key: a for a in r.answers.all()}
        checks = {
            "from": lambda v: day >= v, "to": lambda v: day <= v,
            "channel": lambda v: r.channel == v, "store": lambda v: r.store == v,
            "region": lambda v: r.customer is not None and r.customer.region == v,
            "distribution": lambda v: r.invitation is not None
            and str(r.invitation.distribution_id) == v,
            "version": lambda v: str(r.version.number) == v,
            "segment": lambda v: segment_of.get(r.customer_id, ("", ""))[0] in v.split(","),
            "value_tier": lambda v: segment_of.get(r.customer_id, ("", ""))[1] in v.split(","),
            "nps_group": lambda v: r.nps_score is not None
            and nps_group_range(v)[0] <= r.nps_score <= nps_group_range(v)[1],
            "q": lambda v: _answer_matches(answers, v),
            "exclude": lambda v: v not in flags[r.pk],
        }  # fmt: skip
        return all(checks[name](v) for name, vs in wanted.items() for v in vs)

    kept = [r for r in responses if keep(r)]
    counts: dict[str, Counter] = {}
    for r in kept:
        for a in r.answers.all():
            entry = counts.setdefault(a.question_key, Counter())
            if a.number is not None:
                entry[a.number] += 1
            for choice in a.choices or ():
                entry[choice] += 1
            if a.question_key == "src" and a.text:
                entry[a.text] += 1
    return len(kept), {key: entry for key, entry in counts.items() if entry}


def _answer_matches(answers, raw: str) -> bool:
    key, value = raw.split(":", 1)
    answer = answers.get(key)
    if answer is None:
        return False
    if answer.number is not None:
        low, _, high = value.partition("-")
        return int(low) <= answer.number <= int(high or low)
    return value in (answer.choices or [])


def counted(body: dict) -> tuple[int, dict[str, Counter]]:
    """The API body as (responses, {question: {value: count}}), zero counts left out."""
    counts = {}
    for question in body["questions"]:
        entry = Counter({e["value"]: e["count"] for e in question["distribution"] if e["count"]})
        if entry:
            counts[question["key"]] = entry
    return body["responses"], counts
