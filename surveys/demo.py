"""Demo surveys for `seed_demo`: the four templates, published, with a year of responses.

Scores drift upwards over the year (the demo company is getting better), detractors
complain and promoters praise in realistic Chinese taken from feedback/demo_comments.tsv.
Idempotent: a survey that exists is left as it is.
"""

import csv
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from surveys.design.services import survey_create_from_template, survey_publish
from surveys.models import Answer, Channel, Customer, Response, ResponseStatus, Survey
from surveys.scoring.rules import NpsGroup, nps_group

DEMO_SURVEYS = [
    ("nps-2026", "relationship_nps", 420),
    ("purchase-nps", "transactional_nps", 300),
    ("service-csat", "service_csat", 220),
    ("ces-2026", "ces", 160),
]
STORES = ["SH01", "BJ02", "GZ03", "SZ04", "HZ05", "CD06"]
CHANNELS = [Channel.EMAIL] * 5 + [Channel.LINK] * 2 + [Channel.WECHAT] * 3 + [Channel.QR]
COMMENTS_FILE = Path(settings.BASE_DIR) / "feedback" / "demo_comments.tsv"


def _comments() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {group: [] for group in NpsGroup}
    if not COMMENTS_FILE.exists():
        return groups
    with COMMENTS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            groups[nps_group(int(row["nps_score"]))].append(row["text"])
    return groups


def _nps_score(rng: random.Random, progress: float) -> int:
    """A score whose distribution improves as the year goes on (progress 0 → 1)."""
    promoter, detractor = 0.38 + 0.17 * progress, 0.30 - 0.12 * progress
    roll = rng.random()
    if roll < detractor:
        return rng.choice([0, 1, 2, 3, 4, 4, 5, 5, 6, 6, 6])
    if roll < 1 - promoter:
        return rng.choice([7, 8, 8])
    return rng.choice([9, 9, 10])


def _scale_from_nps(score: int, high: int) -> int:
    return max(1, min(high, round(1 + score * (high - 1) / 10)))


def seed_surveys(*, log: Callable[[str], None]) -> None:
    rng = random.Random(2026)
    comments = _comments()
    customers = list(Customer.objects.filter(merged_into__isnull=True).values_list("pk", flat=True))
    now = timezone.now()
    for slug, template, count in DEMO_SURVEYS:
        if Survey.objects.filter(slug=slug).exists():
            continue
        survey = survey_create_from_template(template_key=template, slug=slug)
        survey = survey_publish(survey=survey)
        _seed_responses(survey, count, rng, comments, customers, now)
        log(f"Survey {slug}: {count} demo responses.")


def _seed_responses(survey, count, rng, comments, customers, now) -> None:
    version = survey.current_version
    questions = {q.key: q for q in version.questions.all()}
    responses, answer_sets = [], []
    for index in range(count):
        progress = index / max(count - 1, 1)
        completed = now - dt.timedelta(days=365 * (1 - progress), hours=rng.randint(0, 23))
        nps = _nps_score(rng, progress)
        group = nps_group(nps)
        scores = {"nps": nps, "csat": _scale_from_nps(nps, 5), "ces": _scale_from_nps(nps, 7)}
        response = Response(
            survey=survey, version=version, status=ResponseStatus.COMPLETED,
            channel=rng.choice(CHANNELS), store=rng.choice(STORES), completed_at=completed,
            customer_id=rng.choice(customers) if customers and rng.random() < 0.8 else None,
            language="en" if rng.random() < 0.08 else "zh-hans",
            nps_score=scores["nps"] if "nps" in questions else None,
            csat_score=scores["csat"] if "csat" in questions else None,
            ces_score=scores["ces"] if "ces" in questions else None,
        )  # fmt: skip
        answers = {key: scores[key] for key in ("nps", "csat", "ces") if key in questions}
        text_key = next((k for k in ("comment", "improve", "hardest") if k in questions), None)
        if group == NpsGroup.DETRACTOR and "reason" in questions:
            answers["reason"] = rng.sample(["delivery", "quality", "price", "service", "app"], 2)
        if group == NpsGroup.PROMOTER and "praise" in questions and comments[group]:
            answers["praise"] = rng.choice(comments[group])
        elif text_key and comments[group] and rng.random() < 0.75:
            answers[text_key] = rng.choice(comments[group])
        if "resolved" in questions:
            resolved = group != NpsGroup.DETRACTOR
            answers["resolved"] = ["yes"] if resolved else [rng.choice(["partly", "no"])]
        responses.append(response)
        answer_sets.append(answers)
    Response.objects.bulk_create(responses)
    # Demo history is bulk-loaded; the feedback and case steps of seed_demo process it, so
    # it is marked announced and the sweeper leaves it alone.
    Response.objects.filter(survey=survey).update(
        started_at=F("completed_at") - dt.timedelta(minutes=3), announced_at=now
    )
    rows = []
    for response, answers in zip(responses, answer_sets, strict=True):
        for key, value in answers.items():
            question = questions[key]
            rows.append(Answer(
                response=response, question=question, question_key=key,
                number=value if isinstance(value, int) else None,
                text=value if isinstance(value, str) else "",
                choices=value if isinstance(value, list) else [],
            ))  # fmt: skip
    Answer.objects.bulk_create(rows, batch_size=1000)
