"""Celery tasks of the case workflow: thin wrappers that take ids and call the services."""

import logging
from datetime import timedelta

from django.utils import timezone

from feedback.cases.contact import CaseReplyTemporarilyFailed, case_reply_deliver
from feedback.cases.escalation import case_replies_stuck, case_sla_notify, cases_needing_sla_notice
from feedback.cases.opening import cases_sweep_missed_responses
from surveyhub.tasking.declare import TRANSIENT_ERRORS, enqueue, surveyhub_task
from surveyhub.tasking.queues import Queue

logger = logging.getLogger(__name__)


@surveyhub_task(
    name="feedback.send_case_reply",
    queue=Queue.EMAIL,
    autoretry_for=(*TRANSIENT_ERRORS, CaseReplyTemporarilyFailed),
)
def send_case_reply(reply_id: int) -> str:
    """Mail one reply to the customer; a second run finds it sent and does nothing."""
    status = case_reply_deliver(reply_id=reply_id)
    logger.info("feedback.send_case_reply %s: %s", reply_id, status)
    return status


@surveyhub_task(name="feedback.check_case_slas", queue=Queue.DEFAULT, expires=240)
def check_case_slas() -> dict:
    """Periodic: notify near/overdue cases (each threshold once), re-send stuck replies and
    open the cases of unhappy responses the receiver missed."""
    notified = {}
    for case_id in cases_needing_sla_notice():
        thresholds = case_sla_notify(case_id=case_id)
        if thresholds:
            notified[case_id] = thresholds
    stuck = case_replies_stuck()
    for reply_id in stuck:
        enqueue(send_case_reply, reply_id)
    swept = cases_sweep_missed_responses(since=timezone.now() - timedelta(days=2))
    logger.info(
        "feedback.check_case_slas notified %s, re-sent %s replies, swept %s responses",
        notified, len(stuck), swept,
    )  # fmt: skip
    return {"notified": len(notified), "replies_resent": len(stuck), "responses_swept": swept}
