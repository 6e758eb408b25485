"""The weekly digest email to Managers: headline numbers, what changed, top negative topics
and overdue cases (once feedback has cases)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.dashboard.at_risk_digest import at_risk_digest
from analytics.metric_queries.drivers import Driver, topic_drivers
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.survey_metrics import MetricSummary, metric_summary
from analytics.metrics.csat import csat_change_test
from analytics.metrics.nps import nps_change_test
from analytics.metrics.stats import DifferenceTest
from analytics.models import DigestRun
from analytics.workspace import words
from feedback.cases.queries import overdue_q
from feedback.models.cases import Case
from surveyhub.security.roles import Role

logger = logging.getLogger(__name__)

TOP_TOPICS = 5


def overdue_cases(limit: int = 20) -> list[dict] | None:
    """Open triage cases past their resolution due time, most overdue first."""
    cases = (
        Case.objects.filter(overdue_q(timezone.now()))
        .select_related("customer")
        .order_by("due_at")[:limit]
    )
    return [
        {"id": case.pk, "title": str(case.customer or case), "due_at": case.due_at}
        for case in cases
    ]


@dataclass(frozen=True)
class Digest:
    week_start: dt.date
    week_end: dt.date
    current: MetricSummary
    previous: MetricSummary
    nps_test: DifferenceTest
    csat_test: DifferenceTest
    negative_topics: list[Driver]
    overdue_cases: list[dict] | None


def digest_build(*, week_start: dt.date) -> Digest:
    """The numbers of the week starting `week_start` (a Monday) against the week before."""
    week_end = week_start + dt.timedelta(days=6)
    current = metric_summary(MetricFilters(start=week_start, end=week_end))
    previous = metric_summary(
        MetricFilters(
            start=week_start - dt.timedelta(days=7), end=week_start - dt.timedelta(days=1)
        )
    )
    drivers = topic_drivers(filters=MetricFilters(start=week_start, end=week_end))
    negative = [d for d in drivers if d.impact is not None and d.impact < 0][:TOP_TOPICS]
    return Digest(
        week_start=week_start, week_end=week_end, current=current, previous=previous,
        nps_test=nps_change_test(current=current.nps, previous=previous.nps),
        csat_test=csat_change_test(current=current.csat, previous=previous.csat),
        negative_topics=negative, overdue_cases=overdue_cases(),
    )  # fmt: skip


def digest_recipients():
    """Active users in the Manager group with an email address."""
    return (
        get_user_model()
        .objects.filter(groups__name=Role.MANAGER.value, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


def weekly_digest_send(*, today: dt.date) -> int:
    """Mail last week's digest (Monday to Sunday before `today`) to every Manager, once per
    week: a second run of the same week sends nothing. Returns the number of recipients."""
    week_start = today - dt.timedelta(days=today.weekday() + 7)
    recipients = list(digest_recipients().values_list("email", flat=True))
    try:
        with transaction.atomic():
            run = DigestRun.objects.create(week_start=week_start, recipients=len(recipients))
            if not recipients:
                return 0
            digest = digest_build(week_start=week_start)
            with translation.override(settings.LANGUAGE_CODE):
                # Changes with sign and unit: NPS points, CSAT percentage points.
                changes = {
                    "nps": words.change_text("nps", digest.nps_test.difference),
                    "csat": words.change_text("csat", digest.csat_test.difference),
                }
                context = {"digest": digest, "changes": changes, "site_url": settings.SITE_URL}
                context["at_risk"] = at_risk_digest(as_of=digest.week_end)  # churn warning
                subject = _("SurveyHub weekly digest, %(start)s – %(end)s") % {
                    "start": digest.week_start.isoformat(),
                    "end": digest.week_end.isoformat(),
                }
                text = render_to_string("emails/digest.txt", context)
                html = render_to_string("emails/digest.html", context)
            connection = get_connection()
            messages = []
            for email in recipients:
                message = EmailMultiAlternatives(subject, text, to=[email], connection=connection)
                message.attach_alternative(html, "text/html")
                messages.append(message)
            connection.send_messages(messages)
    except IntegrityError:
        logger.info("weekly digest of %s already sent", week_start)
        return 0
    logger.info("weekly digest of %s sent to %s managers", week_start, run.recipients)
    return run.recipients
