"""Post-purchase surveys: "N days after an order in category X, invite to survey Y", through
the surveys distribution services so the frequency cap and unsubscribes apply."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Max

from analytics.evaluations.periods import (
    local_midnight,
)
from analytics.models import (
    PostPurchaseRule,
    PostPurchaseRun,
    Purchase,
)
from surveys.distribution.invitations import (
    DistributionError,
    distribution_create,
    distribution_send,
)

logger = logging.getLogger(__name__)

# Post-purchase surveys -------------------------------------------------------------------

MAX_AUDIENCE_IDS = 10000  # what the surveys "customer_ids" audience filter accepts at once


def post_purchase_invitations_run(*, today: dt.date) -> list[PostPurchaseRun]:
    """For each active rule, invite the customers who ordered (in its category) `days_after`
    days before `today`. Each (rule, order day) runs once; order days missed since the rule's
    last run (beat or workers down) are caught up, at most CATCH_UP_DAYS of them. Invitations
    go through surveys' distribution services, so unsubscribes and the frequency cap apply."""
    runs = []
    for rule in PostPurchaseRule.objects.filter(active=True).select_related("survey"):
        due = today - dt.timedelta(days=rule.days_after)
        last = rule.runs.aggregate(last=Max("day"))["last"]
        first = due if last is None else max(last + dt.timedelta(days=1), due - _CATCH_UP)
        day = first
        while day <= due:
            run = _post_purchase_run(rule=rule, day=day)
            if run is not None:
                runs.append(run)
            day += dt.timedelta(days=1)
    return runs


CATCH_UP_DAYS = 3
_CATCH_UP = dt.timedelta(days=CATCH_UP_DAYS - 1)


@transaction.atomic
def _post_purchase_run(*, rule: PostPurchaseRule, day: dt.date) -> PostPurchaseRun | None:
    run, created = PostPurchaseRun.objects.get_or_create(rule=rule, day=day)
    if not created:
        return None
    orders = Purchase.objects.filter(
        ordered_at__gte=local_midnight(day),
        ordered_at__lt=local_midnight(day + dt.timedelta(days=1)),
        is_refund=False,
    )
    if rule.category:
        orders = orders.filter(category=rule.category)
    customer_ids = sorted(set(orders.values_list("customer_id", flat=True)))
    run.customers = len(customer_ids)
    for start in range(0, len(customer_ids), MAX_AUDIENCE_IDS):
        chunk = customer_ids[start : start + MAX_AUDIENCE_IDS]
        try:
            distribution = distribution_create(
                survey=rule.survey, channel="email", audience={"customer_ids": chunk},
                name=f"{rule} · {day.isoformat()}",
            )  # fmt: skip
            distribution_send(distribution=distribution)
        except DistributionError as exc:
            logger.warning("post-purchase rule %s on %s: %s", rule.pk, day, exc)
            break
        run.distribution = distribution
    run.save(update_fields=["customers", "distribution"])
    return run
