"""Emails of the case workflow: the reply to the customer (in their language, never with
internal notes) and the SLA notices to staff."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from feedback.models.cases import Case, CaseReply
from surveyhub.security.roles import Role
from surveys.models import Language


def reply_language(customer) -> str:
    language = getattr(customer, "language", "") or settings.LANGUAGE_CODE
    return language if language in Language.values else settings.LANGUAGE_CODE


def reply_subject(case: Case, language: str) -> str:
    with translation.override(language):
        return _("About your feedback (case #%(number)s)") % {"number": case.pk}


def case_reply_email(*, reply: CaseReply, connection=None) -> EmailMultiAlternatives:
    """The reply as the customer receives it: their name, the agent's message, a signature.
    Built only from the reply row, so internal notes cannot leak into it."""
    customer = reply.case.customer
    with translation.override(reply.language):
        context = {
            "name": (customer.name.strip() if customer else "") or _("customer"),
            "message": reply.body,
            "case_number": reply.case_id,
            "language": reply.language,
        }
        text = render_to_string("emails/case_reply.txt", context)
        html = render_to_string("emails/case_reply.html", context)
    message = EmailMultiAlternatives(
        subject=reply.subject,
        body=text,
        to=[reply.to_email],
        connection=connection,
        headers={"X-SurveyHub-Case": str(reply.case_id), "X-SurveyHub-Reply": str(reply.pk)},
    )
    message.attach_alternative(html, "text/html")
    return message


def sla_recipients(case: Case, *, escalate: bool) -> list:
    """The assignee; when escalating (or nobody has the case) also the team's manager, or
    every manager when the case has no team."""
    recipients = [case.assignee] if case.assignee_id else []
    if escalate or not recipients:
        if case.team_id and case.team.manager_id:
            recipients.append(case.team.manager)
        else:
            recipients += list(
                get_user_model()
                .objects.filter(groups__name=Role.MANAGER.value, is_active=True)
                .exclude(email="")
                .order_by("pk")
            )
    seen, unique = set(), []
    for user in recipients:
        if user.pk not in seen and user.email:
            seen.add(user.pk)
            unique.append(user)
    return unique


def send_sla_notice(*, case: Case, threshold: str, recipients: list) -> int:
    if not recipients:
        return 0
    subjects = {
        "first_response:overdue": _("Case #%(number)s: first response is overdue"),
        "resolution:near": _("Case #%(number)s is nearly due"),
        "resolution:overdue": _("Case #%(number)s is overdue"),
    }
    context = {
        "case": case,
        "threshold": threshold,
        "overdue": threshold.endswith(":overdue"),
        "case_url": f"{settings.SITE_URL}/staff/cases/{case.pk}/",
    }
    body = render_to_string("emails/case_sla.txt", context)
    return send_mail(
        subject=subjects[threshold] % {"number": case.pk},
        message=body,
        from_email=None,
        recipient_list=[user.email for user in recipients],
    )
