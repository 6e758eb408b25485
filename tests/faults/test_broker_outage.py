"""The broker (Redis) stops while 200 customers answer, half through the JSON submit, half
through the HTML form: every submission succeeds, and once Redis is back the outbox sweeper
(beat, every SURVEYHUB_ANNOUNCE_SECONDS) and feedback's sweeper get every free-text answer
analysed exactly once."""

import uuid

import pytest
from django.test import Client

from feedback.analysis.tasks import sweep_unanalysed
from feedback.models import AnalysisStatus, FeedbackAspect, FeedbackItem
from feedback.models.cases import Case
from surveyhub.tasking.declare import enqueue
from surveys.models import Answer, Response, ResponseStatus
from tests.factories import published_survey
from tests.faults.helpers import analysed_in_logs
from tests.support import reset_producer_pools, wait_until

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

RESPONSES = 200
COMPLAINTS = ["物流太慢了，等了十天", "客服一直不回复", "包装破损，杯子碎了", "价格比别家贵"]


def _answers(i: int) -> dict:
    """Respondent i's answers: every one comments; promoters praise, some detractors name
    another reason in their own words."""
    nps = i % 11
    answers = {"nps": nps, "comment": f"第{i}位顾客：{COMPLAINTS[i % 4]}"}
    if nps >= 9:
        answers["praise"] = f"第{i}位顾客喜欢你们的售后服务"
    if nps <= 6 and i % 2:
        answers["reason"] = ["__other__"]
        answers["reason_other"] = f"第{i}位顾客：发票开错了"
    return answers


def _texts(answers: dict) -> int:
    return sum(key in answers for key in ("comment", "praise", "reason_other"))


def _submit_json(client: Client, slug: str, i: int, answers: dict):
    return client.post(
        f"/api/v1/public/surveys/{slug}/responses/",
        {"answers": answers, "submission_id": str(uuid.uuid4()), "channel": "wechat"},
        content_type="application/json",
        headers={"X-Device-Id": f"phone-{i}"},
    )


def _submit_form(client: Client, slug: str, answers: dict):
    url = f"/s/{slug}/"
    rk = str(uuid.uuid4())
    first = client.post(url, {"page": 0, "rk": rk, "nps": str(answers["nps"]), "action": "next"})
    assert first.status_code == 302, first.content[:500]
    rest = {key: value for key, value in answers.items() if key != "nps"}
    return client.post(first["Location"], {"page": 1, "rk": rk, **rest, "action": "submit"})


def test_200_responses_sent_while_the_broker_is_down_are_stored_then_analysed_once(
    private_broker, start_worker
):
    survey = published_survey(slug="faults-outage", consent_text="")
    expected_items = sum(_texts(_answers(i)) for i in range(RESPONSES))
    beat = {"SURVEYHUB_ANNOUNCE_SECONDS": "1"}
    with start_worker("outage", "default,nlp", env=beat, args=("--beat",)):
        private_broker.stop()

        statuses = []
        for i in range(RESPONSES):
            phone = Client()
            if i % 2:
                statuses.append(_submit_json(phone, survey.slug, i, _answers(i)).status_code)
            else:
                statuses.append(_submit_form(phone, survey.slug, _answers(i)).status_code)

        assert statuses == [201 if i % 2 else 302 for i in range(RESPONSES)]
        completed = Response.objects.filter(survey=survey, status=ResponseStatus.COMPLETED)
        assert completed.count() == RESPONSES
        assert Response.objects.filter(survey=survey).count() == RESPONSES
        assert Answer.objects.filter(response__survey=survey, question_key="comment").count() == (
            RESPONSES
        )
        assert not FeedbackItem.objects.filter(analysis_status=AnalysisStatus.DONE).exists()

        private_broker.start()
        reset_producer_pools()
        # The worker and its beat reconnect by themselves; the outbox empties within seconds.
        wait_until(lambda: not completed.filter(announced_at__isnull=True).exists(), timeout=60)
        # What beat does every five minutes: items whose queueing failed while the broker
        # was down (if an announcement was under way then) are sent again.
        assert enqueue(sweep_unanalysed)
        items = FeedbackItem.objects.filter(survey=survey)
        wait_until(
            lambda: items.filter(analysis_status=AnalysisStatus.DONE).count() >= expected_items,
            timeout=60,
        )

    assert items.count() == expected_items
    assert items.filter(analysis_status=AnalysisStatus.DONE, analysed_at__isnull=False).count() == (
        expected_items
    )
    assert items.values("answer_id").distinct().count() == expected_items
    per_item = list(FeedbackAspect.objects.values_list("item_id", "aspect", "clause"))
    assert len(per_item) == len(set(per_item))
    # Each item was analysed by exactly one task run (a repeat would count as already done).
    assert analysed_in_logs("outage") == expected_items
    # The case rules heard of the unhappy responses, and no response got a second case.
    cases = Case.objects.filter(response__survey=survey)
    assert cases.exists()
    assert cases.count() == cases.values("response").distinct().count()
