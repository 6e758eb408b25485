"""Read models for distributions: invitation counts, in one aggregate query.

What each count means (the same on the staff pages and in the API):
- invited: invitations we meant to mail (everyone not skipped);
- sent: handed to the mail server — delivered plus bounced;
- delivered: sent and not bounced (email: the server accepted it, we get no later receipt;
  SMS: the provider's delivery receipt said so — a text still waiting for one is only sent);
- bounced: the address was rejected for good (5xx), never retried;
- failed: gave up after repeated temporary errors, or the distribution was cancelled;
- pending: not mailed yet;
- opened: the personal link was opened; started: a response exists; completed: it was submitted;
- skipped_*: not invited because unsubscribed, contacted within the frequency cap, or other
  (no consent, no email address).
"""

from django.db.models import Count, Q, QuerySet

from surveys.models import Distribution, InvitationStatus, ResponseStatus, SkipReason, SmsDelivery

COUNT_NAMES = (
    "invited", "sent", "delivered", "bounced", "failed", "pending", "opened", "started",
    "completed", "skipped_unsubscribed", "skipped_frequency_cap", "skipped_other",
)  # fmt: skip

INVITED_STATUSES = tuple(s for s in InvitationStatus.values if s != InvitationStatus.SKIPPED)
OTHER_SKIP_REASONS = tuple(
    r
    for r in [*SkipReason.values, ""]
    if r not in (SkipReason.UNSUBSCRIBED, SkipReason.FREQUENCY_CAP)
)


def _count_conditions(prefix: str = "") -> dict[str, Q]:
    def q(**lookups) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    skipped = q(status=InvitationStatus.SKIPPED)
    return {
        "invited": q(status__in=INVITED_STATUSES),
        "sent": q(status__in=(InvitationStatus.SENT, InvitationStatus.BOUNCED)),
        "delivered": q(status=InvitationStatus.SENT) & ~q(delivery=SmsDelivery.SUBMITTED),
        "bounced": q(status=InvitationStatus.BOUNCED),
        "failed": q(status=InvitationStatus.FAILED),
        "pending": q(status=InvitationStatus.PENDING),
        "opened": q(opened_at__isnull=False),
        "started": q(response__isnull=False),
        "completed": q(response__status=ResponseStatus.COMPLETED),
        "skipped_unsubscribed": skipped & q(skip_reason=SkipReason.UNSUBSCRIBED),
        "skipped_frequency_cap": skipped & q(skip_reason=SkipReason.FREQUENCY_CAP),
        "skipped_other": skipped & q(skip_reason__in=OTHER_SKIP_REASONS),
    }


def distribution_counts(distribution: Distribution) -> dict[str, int]:
    """The invitation counts of one distribution (see the module docstring), in one query."""
    counts = distribution.invitations.aggregate(
        **{name: Count("pk", filter=condition) for name, condition in _count_conditions().items()}
    )
    return {name: counts[name] or 0 for name in COUNT_NAMES}


def distributions_with_counts(queryset: QuerySet[Distribution] | None = None) -> QuerySet:
    """Distributions annotated with every count (one query for a whole list page)."""
    queryset = Distribution.objects.all() if queryset is None else queryset
    return queryset.select_related("survey").annotate(
        **{
            f"count_{name}": Count("invitations", filter=condition)
            for name, condition in _count_conditions("invitations__").items()
        }
    )


def counts_of(annotated: Distribution) -> dict[str, int]:
    """The counts of a distribution from distributions_with_counts()."""
    return {name: getattr(annotated, f"count_{name}") for name in COUNT_NAMES}


def distribution_invitations(distribution: Distribution) -> QuerySet:
    """The invitations of a distribution with their customer and response, for a status table."""
    return distribution.invitations.select_related("customer", "response").order_by("pk")
