"""The schema of the evaluation workspace's block in /api/v1/evaluations/ (`scorecard`): the
index, the four dimensions and every indicator with labels, units, status and change, and in
the single-period answer the sample sizes, trend, headline and CLV health
(analytics/workspace/queries.py: evaluation_detail)."""

from rest_framework import serializers

F = serializers.FloatField
S = serializers.CharField
I = serializers.IntegerField  # noqa: E741


class SignificanceSchema(serializers.Serializer):
    p_value = F()
    significant = serializers.BooleanField()
    text = S()


class IndexSignificanceSchema(serializers.Serializer):
    p_value = F(help_text="two-sided z-test of the change against the previous period")
    significant = serializers.BooleanField(help_text="p < 0.05")
    standard_error = F(help_text="of the change, in index points (sampled indicators only)")
    z = F()
    text = S()


class IntervalSchema(serializers.Serializer):
    low = F(allow_null=True, help_text="95% interval, in the indicator's unit")
    high = F(allow_null=True)
    text = S(help_text="the interval in words, or why there is none; empty without a value")


class IndicatorSchema(serializers.Serializer):
    code = S()
    label = S()
    definition = S()
    unit = S(help_text="pct, points, money, hours or ces")
    dimension = S()
    dimension_label = S()
    value = F(allow_null=True)
    value_text = S()
    target = F(allow_null=True)
    target_text = S()
    previous_text = S()
    change = F(allow_null=True)
    change_text = S()
    higher_is_better = serializers.BooleanField()
    status = S(help_text="met, close, missed or no_data")
    status_label = S()
    n = I(allow_null=True, help_text="sample size (single period only)")
    n_text = S()
    significance = SignificanceSchema(allow_null=True)
    interval = IntervalSchema(help_text="empty until the sample sizes are computed")
    churn_text = S(help_text="retention_rate only: churn = 100% − retention; else empty")


class DimensionSchema(serializers.Serializer):
    code = S()
    label = S()
    index = F(allow_null=True)
    index_text = S()
    target = F()
    weight = F(allow_null=True, help_text="share of the overall index, 0–1")
    weight_text = S()
    status = S()
    status_label = S()
    change = F(allow_null=True)
    change_text = S()
    significance = IndexSignificanceSchema(
        allow_null=True, help_text="single period only; null without a test"
    )
    indicators = serializers.ListField(child=S())
    met = I()
    with_data = I()


class IndexSchema(serializers.Serializer):
    value = F(allow_null=True)
    text = S()
    target = F()
    status = S()
    status_label = S()
    change = F(
        allow_null=True,
        help_text="against the previous period; in the list only when that period is on the "
        "same page",
    )
    change_text = S()
    significance = IndexSignificanceSchema(
        allow_null=True,
        help_text="single period only; null without the previous period's kept figures or "
        "any sampled indicator",
    )
    summary = S()


class TrendDimensionSchema(serializers.Serializer):
    code = S()
    label = S()
    values = serializers.ListField(child=F(allow_null=True))


class TrendSchema(serializers.Serializer):
    periods = serializers.ListField(child=S())
    labels = serializers.ListField(child=S())
    index = serializers.ListField(child=F(allow_null=True))
    dimensions = TrendDimensionSchema(many=True)


class GroupSchema(serializers.Serializer):
    group = S()
    label = S()
    customers = I()
    retention_rate = F(allow_null=True)
    retention_text = S()
    repurchase_rate = F(allow_null=True)
    repurchase_text = S()


class ValueAtRiskSchema(serializers.Serializer):
    detractors = I()
    detractor_revenue = F()
    detractor_revenue_text = S()
    detractor_clv = F()
    detractor_clv_text = S()
    open_case_customers = I()
    open_case_clv = F()
    open_case_clv_text = S()
    clv_as_of = S(allow_null=True)


class HeadlineSchema(serializers.Serializer):
    answered_in = S()
    answered_label = S()
    measured_in = S()
    measured_label = S()
    groups = GroupSchema(many=True)
    value_at_risk = ValueAtRiskSchema()


class HoldoutSchema(serializers.Serializer):
    ok = serializers.BooleanField(allow_null=True, help_text="null: no run old enough yet")
    text = S()


class ClvHealthSchema(serializers.Serializer):
    run = I()
    as_of = S()
    customers = I()
    repeaters = I()
    converged = serializers.BooleanField()
    parameters = serializers.DictField(child=F(allow_null=True))
    parameters_text = S()
    healthy = serializers.BooleanField()
    warnings = serializers.ListField(child=S())
    spend_note = S(allow_null=True)
    fallback = S(allow_null=True)
    fallback_clv = F(allow_null=True)
    holdout = HoldoutSchema(
        required=False, allow_null=True,
        help_text="an earlier run's prediction against the purchases since; null until the "
        "figures are computed",
    )  # fmt: skip


class ReferralsSchema(serializers.Serializer):
    promoters = I(help_text="promoters who answered in the period")
    referring_promoters = I(help_text="of them, those who referred at least one new customer")
    rate = F(allow_null=True, help_text="referral rate in %; null without promoters")
    referred_customers = I()
    orders = I(help_text="the referred customers' orders")
    spend = F(help_text="the referred customers' purchases, net of refunds")
    clv = F(help_text="the referred customers' CLV of the latest run")
    value = F(help_text="word-of-mouth value: spend + CLV")


class StageSchema(serializers.Serializer):
    stage = S(help_text="new, growing, mature, declining, lost or won_back")
    label = S()
    customers = I()
    share = F(allow_null=True, help_text="% of the run's customers")


class RelationshipSchema(serializers.Serializer):
    run = I(help_text="the CLV run behind the value dimension")
    as_of = S()
    horizon_days = I(help_text="the churn-risk horizon")
    customers = I()
    stages = StageSchema(many=True)
    high_risk = I(help_text="customers in the high churn-risk band")
    high_risk_text = S()
    value_at_stake = F(help_text="CLV × churn risk, summed over the high band")
    at_risk_url = S()
    lifecycle_url = S()


class FiguresStateSchema(serializers.Serializer):
    status = S(
        help_text="ready; stale (older figures shown while a worker refreshes them); "
        "computing (a worker was asked: sample sizes are null, headline is null)"
    )
    computed_on = serializers.DateField(allow_null=True)
    text = S()
    refresh_seconds = I(allow_null=True, help_text="ask again after this many seconds")


class ScorecardSchema(serializers.Serializer):
    period = S()
    period_label = S()
    kind = S(help_text="quarter or month")
    start = serializers.DateField()
    end = serializers.DateField()
    version = I()
    computed_at = serializers.DateTimeField()
    previous_period = S()
    previous_label = S()
    running = serializers.BooleanField()
    provisional = serializers.BooleanField(
        help_text="computed before the period ended: compared with the whole previous period"
    )
    days_covered = I()
    days_total = I()
    comparison = S(help_text="complete or whole_previous_period")
    note = S()
    index = IndexSchema()
    dimensions = DimensionSchema(many=True)
    indicators = IndicatorSchema(many=True)
    index_test_note = S(required=False, help_text="single period only: what the test covers")
    trend = TrendSchema(required=False, help_text="single period only")
    figures = FiguresStateSchema(required=False, help_text="single period only")
    headline = HeadlineSchema(
        required=False, allow_null=True, help_text="single period only; null while computing"
    )
    clv_health = ClvHealthSchema(required=False, allow_null=True, help_text="single period only")
    relationship = RelationshipSchema(
        required=False,
        allow_null=True,
        help_text="single period only; null while computing or without a CLV run",
    )
    referrals = ReferralsSchema(
        required=False, allow_null=True, help_text="single period only; null while computing"
    )
