"""Which SMTP errors are retried with backoff and which mark the invitation bounced."""

import smtplib

import pytest

from surveyhub.tasking.declare import TASK_QUEUES
from surveyhub.tasking.queues import Queue
from surveys.distribution.emails import classify_send_error
from surveys.distribution.mailing import EmailTemporarilyFailed
from surveys.distribution.tasks import send_distribution_batch, send_reminder_batch


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPConnectError(421, b"Too many connections"),
        smtplib.SMTPResponseException(451, b"Requested action aborted: local error"),
        smtplib.SMTPRecipientsRefused({"zhang.san@example.cn": (450, b"Mailbox busy")}),
        smtplib.SMTPDataError(452, b"Insufficient system storage"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),  # socket.timeout
        # Our sender or credentials refused: configuration, not the customer's address.
        smtplib.SMTPSenderRefused(550, b"Sender rejected", "noreply@surveyhub.local"),
        smtplib.SMTPAuthenticationError(535, b"Authentication failed"),
    ],
)
def test_temporary_and_configuration_errors_are_retried(error):
    failure = classify_send_error(error)

    assert failure is not None and failure.permanent is False


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"li.si@example.cn": (550, b"5.1.1 User unknown")}),
        smtplib.SMTPDataError(554, b"5.7.1 Message rejected"),
    ],
)
def test_a_permanent_rejection_of_the_recipient_is_a_bounce(error):
    failure = classify_send_error(error)

    assert failure.permanent is True
    assert failure.description[:3] in {"550", "554"} or ": 550" in failure.description


def test_a_programming_error_is_not_mistaken_for_a_mail_error():
    assert classify_send_error(KeyError("name")) is None


@pytest.mark.parametrize("task", [send_distribution_batch, send_reminder_batch])
def test_sending_tasks_run_on_the_email_queue_and_retry_temporary_failures_with_backoff(task):
    assert TASK_QUEUES[task.name] == Queue.EMAIL
    assert EmailTemporarilyFailed in task.autoretry_for
    assert ConnectionError in task.autoretry_for
    assert task.retry_backoff and task.retry_jitter
    assert task.acks_late is True
