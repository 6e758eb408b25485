"""Invitation and reminder emails: rendering in the customer's language, and what an SMTP
error means for the invitation (try again later, or the address bounced)."""

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from surveys.distribution.email_fields import PLACEHOLDER, email_values, fill
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
    language, with their name, the personal link and a one-click unsubscribe link; in the
    staff's own wording when the distribution has one."""
    token = token_for(invitation.token_seed)
    customer = invitation.customer
    language = email_language(invitation)
    subject, text, html, context = email_parts(
        distribution=invitation.distribution, customer=customer, language=language,
        survey_url=invitation_url(token), unsubscribe=unsubscribe_url(token), reminder=reminder,
    )  # fmt: skip
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


def email_parts(
    *,
    distribution,
    customer,
    language: str,
    survey_url: str,
    unsubscribe: str,
    reminder: bool = False,
) -> tuple[str, str, str, dict]:
    """Subject, text, HTML and context of one customer's email (also the staff's preview)."""
    survey = distribution.survey
    with translation.override(language):
        context = {
            "name": (customer.name or "").strip() or _("customer"),
            "survey_title": survey.title_in(language),
            "survey_url": survey_url,
            "unsubscribe_url": unsubscribe,
            "reminder": reminder,
            "language": language,
            "duration": duration_text(survey_minutes(survey.current_version_id)),
        }
        if distribution.email_subject:
            subject, text, html = custom_email(
                distribution=distribution, customer=customer, context=context
            )
            if reminder:
                subject = _("Reminder: %(subject)s") % {"subject": subject}
        else:
            subject, text, html = _standard_email(context)
    return subject, text, html, context


def _standard_email(context: dict) -> tuple[str, str, str]:
    if context["reminder"]:
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
    return subject, text, html


def custom_email(*, distribution, customer, context: dict) -> tuple[str, str, str]:
    """Subject, text and HTML of the staff's own wording, piped for `customer` (in the
    active language); the link and the unsubscribe footer come from `context`."""
    values = email_values(
        customer=customer, survey_title=context["survey_title"],
        link=context["survey_url"], fallback_name=_("customer"),
    )  # fmt: skip
    subject = " ".join(fill(distribution.email_subject, values).split())  # no header breaks
    body = fill(distribution.email_body, values)
    html_body = _html_paragraphs(distribution.email_body, values, context["survey_url"])
    page = {**context, "subject": subject, "body": body, "html_body": html_body}
    text = render_to_string("surveys/distribution/email_custom.txt", page)
    html = render_to_string("surveys/distribution/email_custom.html", page)
    return subject, text, html


def _html_paragraphs(template: str, values: dict[str, str], url: str) -> str:
    """The body as escaped HTML paragraphs, the link placeholder as a link."""
    parts, last = [], 0
    for match in PLACEHOLDER.finditer(template):
        parts.append(escape(template[last : match.start()]))
        if match.group(1) in ("link", "链接"):
            parts.append(format_html('<a href="{}" style="color:#0969da">{}</a>', url, url))
        else:
            parts.append(escape(values.get(match.group(1), match.group(0))))
        last = match.end()
    parts.append(escape(template[last:]))
    paragraphs = "".join(str(p) for p in parts).replace("\r\n", "\n").split("\n\n")
    return mark_safe(  # noqa: S308 — every piece above is escaped or format_html
        "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())
    )


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
