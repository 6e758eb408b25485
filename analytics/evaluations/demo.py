"""Demo step for `seed_demo` (last in DEMO_STEPS): CLV fitted on the demo purchases at each of
the last four quarter ends (and today), those quarters' scorecards, and a post-purchase rule.

Idempotent: a CLV run is reused for its day, an unchanged scorecard keeps its version, and
the rule is keyed by survey and category.
"""

from collections.abc import Callable

from analytics.evaluations.clv_runs import clv_fit_daily
from analytics.evaluations.errors import EvaluationError
from analytics.evaluations.periods import local_today, period_containing
from analytics.evaluations.scorecard import evaluation_compute
from analytics.models import PostPurchaseRule, Purchase
from surveys.models import Survey

DEMO_RULE_SURVEY = "purchase-nps"
DEMO_RULE_CATEGORY = "服装"
QUARTERS = 4


def seed(*, log: Callable[[str], None]) -> None:
    if not Purchase.objects.exists():
        log("Evaluations: no purchases, nothing to evaluate.")
        return
    today = local_today()
    quarters = [period_containing(today)]
    while len(quarters) < QUARTERS:
        quarters.append(quarters[-1].previous())
    for quarter in reversed(quarters):
        try:
            run = clv_fit_daily(as_of=min(quarter.end, today))
        except EvaluationError as exc:
            log(f"Evaluations: CLV for {quarter.code} not fitted ({exc.message}).")
        else:
            log(f"Evaluations: CLV as of {run.as_of}, {run.n_customers} customers.")
        snapshot = evaluation_compute(period=quarter)
        index = "—" if snapshot.overall_index is None else f"{snapshot.overall_index:.1f}"
        log(f"Evaluations: scorecard {quarter.code} v{snapshot.version}, index {index}.")
    survey = Survey.objects.filter(slug=DEMO_RULE_SURVEY).first()
    if survey is not None:
        PostPurchaseRule.objects.get_or_create(
            survey=survey,
            category=DEMO_RULE_CATEGORY,
            defaults={"name": "服装订单 7 天后回访", "days_after": 7},
        )
        log(f"Evaluations: post-purchase rule {DEMO_RULE_CATEGORY} +7 days → {survey.slug}.")
