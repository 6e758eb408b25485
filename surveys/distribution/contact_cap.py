"""The contact-frequency cap, defined once: a customer is invited at most once in
`SURVEYHUB_CONTACT_CAP_DAYS` days across all surveys. An invitation sent at or after the
cutoff (now minus the cap) counts as a recent contact, and so does one waiting in a
distribution that is being sent. Follow-ups the customer started (a case re-survey) are
exempt; that choice is the caller's (`Distribution.follows_up_contact`)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet

from surveys.models import Customer, Distribution, DistributionStatus, Invitation, InvitationStatus


def contact_cap_cutoff(now: datetime) -> datetime:
    """The earliest sending time that still counts as "contacted recently" at `now`."""
    return now - timedelta(days=settings.SURVEYHUB_CONTACT_CAP_DAYS)


def recent_contact_q(now: datetime) -> Q:
    """Invitations that count against the cap at `now`: sent since the cutoff, or pending in
    a distribution that is sending."""
    return Q(status=InvitationStatus.SENT, sent_at__gte=contact_cap_cutoff(now)) | Q(
        status=InvitationStatus.PENDING, distribution__status=DistributionStatus.SENDING
    )


def recently_contacted(
    customers: QuerySet[Customer], *, now: datetime, exclude: Distribution | None = None
) -> set[int]:
    """Ids of `customers` contacted within the cap (by any distribution but `exclude`)."""
    invitations = Invitation.objects.filter(customer__in=customers.values("pk"))
    if exclude is not None:
        invitations = invitations.exclude(distribution=exclude)
    return set(invitations.filter(recent_contact_q(now)).values_list("customer_id", flat=True))
