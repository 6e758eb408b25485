"""Invitation and reminder emails: rendering in the customer's language, and what an SMTP
error means for the invitation (try again later, or the address bounced)."""

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from surveys.distribution.tokens import token_for
from surveys.models import Invitation, Language
from surveys.responding.duration import duration_text, survey_minutes


def invitation_url(token: str) -> str:
    return f"{settings.SITE_URL}/i/{token}/"


def unsubscribe_url(token: str) -> str:
    return f"{settings.SITE_URL}/u/{token}/"


def email_language(invitation: Invitation) -> str:
    language = invitation.language or invitation.customer.language
    return language if language in Language.values else settings.LANGUAGE_CODE


def invitation_email(
    *, invitation: Invitation, reminder: bool = False, connection=None
) -> EmailMultiAlternatives:
    """The HTML + text email for one invitation (or a reminder of it), in the customer's
    language, with their name, the personal link and a one-click unsubscribe link."""
    token = token_for(invitation.token_seed)
    customer = invitation.customer
    survey = invitation.distribution.survey
    language = email_language(invitation)
    with translation.override(language):
        context = {
            "name": customer.name.strip() or _("customer"),
            "survey_title": survey.title_in(language),
            "survey_url": invitation_url(token),
            "unsubscribe_url": unsubscribe_url(token),
            "reminder": reminder,
            "language": language,
            "duration": duration_text(survey_minutes(survey.current_version_id)),
        }
        if reminder:
            subject = _("Reminder: %(title)s — we would still love your opinion") % {
                "title": context["survey_title"]
            }
        else:
            subject = _("%(name)s, how are we doing? %(title)s") % {
                "name": context["name"],
                "title": context["survey_title"],
            }
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[customer.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            # RFC 8058 one-click: mail apps POST to the link without cookies.
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-SurveyHub-Invitation": str(invitation.pk),
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass(frozen=True)
class SendFailure:
    permanent: bool  # the address was rejected for good: mark bounced, never retry
    description: str


# Raised by a server or network that may well work a little later.
TRANSIENT_SMTP_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,  # socket.timeout is an alias of it
)


def classify_send_error(exc: BaseException) -> SendFailure | None:
    """What an exception from sending means: permanent (bounce), transient (retry), or None
    when it is not a mail error at all (a bug — let it raise)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        detail = "; ".join(
            f"{addr}: {code} {_decode(msg)}" for addr, (code, msg) in exc.recipients.items()
        )
        return SendFailure(
            permanent=bool(codes) and all(c >= 500 for c in codes), description=detail
        )
    if isinstance(exc, smtplib.SMTPDataError):
        # The server refused this message for this recipient (5xx) or asks to try later (4xx).
        return SendFailure(
            permanent=exc.smtp_code >= 500,
            description=f"{exc.smtp_code} {_decode(exc.smtp_error)}",
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        # Sender refused, authentication, HELO: our configuration, not the recipient's
        # address — retry (and eventually fail) rather than blame the customer.
        return SendFailure(
            permanent=False, description=f"{exc.smtp_code} {_decode(exc.smtp_error)}"
        )
    if isinstance(exc, (*TRANSIENT_SMTP_ERRORS, smtplib.SMTPException, OSError)):
        return SendFailure(permanent=False, description=f"{type(exc).__name__}: {exc}")
    return None


def _decode(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)
