"""The size of an audience before anything is sent, a few names from it, and the email one
of them would get: what the staff form shows as filters change (one aggregate query for the
counts, one for the sample; 100,000 customers are counted in well under a second)."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from surveys.distribution.audience import audience_build
from surveys.distribution.contact_cap import recent_contact_q
from surveys.distribution.emails import email_parts
from surveys.distribution.links import survey_public_url
from surveys.models import Customer, Distribution, DistributionChannel, Invitation, Survey

SAMPLE_SIZE = 5


@dataclass
class AudiencePreview:
    matched: int  # customers the filters select
    reachable: int  # of them: consented, subscribed, with an address for the channel
    contacted_recently: int  # of the reachable: within the contact-frequency cap
    sample: list[Customer] = field(default_factory=list)

    @property
    def invitable(self) -> int:
        """About how many invitations would go out now."""
        return self.reachable - self.contacted_recently


def reachable_q(channel: str) -> Q:
    """Customers a distribution on `channel` could contact at all."""
    q = Q(consent=True, unsubscribed=False)
    if channel == DistributionChannel.SMS:
        return q & ~Q(phone="")
    return q & ~Q(email="")


def audience_preview(
    *, survey: Survey, channel: str, filters: dict[str, Any], sample_size: int = SAMPLE_SIZE
) -> AudiencePreview:
    """Count the audience of `filters` (already cleaned) and pick a sample of reachable names.

    The frequency-cap figure is an estimate of now; the build applies it exactly."""
    audience = audience_build(survey=survey, filters=filters)
    reachable = reachable_q(channel)
    counts = audience.aggregate(matched=Count("pk"), reachable=Count("pk", filter=reachable))
    # From the invitations' side: one hash of the recently contacted, not a probe per customer.
    recent = Invitation.objects.filter(recent_contact_q(timezone.now())).values("customer_id")
    contacted_recently = audience.filter(reachable, pk__in=recent).count()
    sample = list(
        audience.filter(reachable).only("pk", "name", "language", "attributes", "region",
                                        "external_id")[:sample_size]
    )  # fmt: skip
    return AudiencePreview(
        matched=counts["matched"], reachable=counts["reachable"],
        contacted_recently=contacted_recently, sample=sample,
    )  # fmt: skip


@dataclass
class EmailPreview:
    recipient: str
    subject: str
    text: str


def email_preview(
    *, survey: Survey, subject: str, body: str, customer: Customer | None, language: str
) -> EmailPreview:
    """The email `customer` would get (a made-up 王芳 when the audience has nobody yet); the
    link shown is the survey's public one, each customer gets a personal one."""
    sample = customer or Customer(name="王芳", language=language)
    draft = Distribution(survey=survey, email_subject=subject, email_body=body)
    site = settings.SITE_URL
    subject_text, text, _html, _context = email_parts(
        distribution=draft, customer=sample, language=language,
        survey_url=survey_public_url(survey), unsubscribe=f"{site}/u/…/",
    )  # fmt: skip
    return EmailPreview(recipient=sample.name, subject=subject_text, text=text)
