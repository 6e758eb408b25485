"""Reports by email: the finished file attached, to every active Manager with an address."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from analytics.models import Report
from analytics.reports.files import CONTENT_TYPES, report_file_name
from analytics.workspace import words
from surveyhub.security.roles import Role

logger = logging.getLogger(__name__)


def manager_addresses() -> list[str]:
    return list(
        get_user_model()
        .objects.filter(groups__name=Role.MANAGER.value, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
        .distinct()
    )


def report_email(report: Report, content: bytes) -> int:
    """Mail the report to the Managers (one message each); returns how many were sent."""
    recipients = manager_addresses()
    if not recipients:
        return 0
    with translation.override(report.language or settings.LANGUAGE_CODE):
        label = words.period_label(report.period)
        subject = _("Relationship evaluation report · %(period)s") % {"period": label}
        link = settings.SITE_URL.rstrip("/") + reverse("workspace:period", args=[report.period])
        body = _(
            "The relationship evaluation report of %(period)s is attached.\n\n"
            "The workspace with the drill-downs: %(link)s\n"
        ) % {"period": label, "link": link}
    connection = get_connection()
    messages = []
    for address in recipients:
        message = EmailMessage(subject, body, to=[address], connection=connection)
        message.attach(report_file_name(report), content, CONTENT_TYPES[report.format])
        messages.append(message)
    sent = connection.send_messages(messages) or 0
    logger.info("report %s mailed to %s managers", report.pk, sent)
    return sent
