"""Demo distribution for `seed_demo`: the NPS survey mailed to a subset of the demo directory.

The emails are written to files (never to real mailboxes, whatever EMAIL_BACKEND says), in
a temporary folder that the step prints. Idempotent: the distribution is created once.
"""

import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.mail import get_connection

from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.distribution.mailing import distribution_send_batch
from surveys.distribution.queries import distribution_counts
from surveys.models import Customer, Distribution, Survey

DEMO_SURVEY_SLUG = "nps-2026"
DEMO_DISTRIBUTION_NAME = "演示：2026 年度 NPS 邮件邀请"
DEMO_AUDIENCE_SIZE = 40
OUTBOX = Path(tempfile.gettempdir()) / "surveyhub-demo-emails"


def seed(*, log: Callable[[str], None]) -> None:
    survey = Survey.objects.filter(slug=DEMO_SURVEY_SLUG).first()
    if survey is None:
        log(f"Demo distribution skipped: no survey {DEMO_SURVEY_SLUG}.")
        return
    if Distribution.objects.filter(survey=survey, name=DEMO_DISTRIBUTION_NAME).exists():
        return
    external_ids = list(
        Customer.objects.filter(external_id__startswith="DEMO-")
        .order_by("external_id")
        .values_list("external_id", flat=True)[:DEMO_AUDIENCE_SIZE]
    )
    if not external_ids:
        log("Demo distribution skipped: no demo customers.")
        return
    distribution = distribution_create(
        survey=survey, channel="email", audience={"external_ids": external_ids},
        reminder_after_days=7, max_reminders=1, name=DEMO_DISTRIBUTION_NAME,
    )  # fmt: skip
    distribution = distribution_send(distribution=distribution)
    OUTBOX.mkdir(parents=True, exist_ok=True)
    connection = get_connection(
        "django.core.mail.backends.filebased.EmailBackend", file_path=str(OUTBOX)
    )
    while distribution_send_batch(distribution=distribution, limit=50, connection=connection).more:
        pass
    counts = distribution_counts(distribution)
    log(
        f"Demo distribution: {counts['sent']} invitations written to {OUTBOX}, "
        f"{counts['skipped_unsubscribed']} unsubscribed skipped."
    )
