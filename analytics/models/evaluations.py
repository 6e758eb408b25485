"""Evaluations: scorecard targets and snapshots, CLV runs and per-customer values, post-purchase
survey rules and generated reports. Imported at the end of analytics/models.py."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analytics.metrics.scorecard import STANDARD_INDICATORS, Dimension

__all__ = [
    "ChurnBand",
    "ClvRun",
    "CustomerValue",
    "DigestRun",
    "DimensionWeight",
    "EvaluationSnapshot",
    "LifecycleStage",
    "PostPurchaseRule",
    "PostPurchaseRun",
    "Report",
    "ReportFormat",
    "ReportStatus",
    "ScorecardTarget",
    "ValueTier",
]

INDICATOR_CHOICES = [
    ("nps", _("NPS")),
    ("csat", _("CSAT (top-2-box %)")),
    ("repurchase_rate", _("Repurchase rate (%)")),
    ("retention_rate", _("Retention rate (%)")),
    ("promoter_share", _("Share of promoters (%)")),
    ("clv", _("Average CLV")),
    ("clv_change", _("CLV change (%)")),
    ("cross_sell_rate", _("Cross-sell rate (%)")),
    ("first_response_time", _("Median first-response time (hours)")),
    ("resolution_rate", _("Resolution rate (%)")),
    ("ces", _("CES (mean, 1–7)")),
]
assert {code for code, _label in INDICATOR_CHOICES} == set(STANDARD_INDICATORS)

DIMENSION_CHOICES = [
    (Dimension.SATISFACTION.value, _("Satisfaction")),
    (Dimension.LOYALTY.value, _("Loyalty")),
    (Dimension.VALUE_GROWTH.value, _("Value growth")),
    (Dimension.EXPERIENCE.value, _("Experience")),
]


class ScorecardTarget(models.Model):
    """The admin's target for one scorecard indicator; indicators without a row use defaults."""

    code = models.CharField(_("indicator"), max_length=32, choices=INDICATOR_CHOICES, unique=True)
    target = models.FloatField(_("target"))
    # Within this distance of the target an indicator is "close"; empty = 5% of the target.
    tolerance = models.FloatField(
        _("tolerance"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scorecard target")
        verbose_name_plural = _("scorecard targets")

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.target}"


class DimensionWeight(models.Model):
    """The admin's weight of one scorecard dimension in the overall index (default 1 each)."""

    dimension = models.CharField(
        _("dimension"), max_length=16, choices=DIMENSION_CHOICES, unique=True
    )
    weight = models.FloatField(_("weight"), default=1.0, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["dimension"]
        verbose_name = _("dimension weight")
        verbose_name_plural = _("dimension weights")

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.weight}"


class EvaluationSnapshot(models.Model):
    """One computation of the scorecard for a period. Never rewritten: recomputing a period
    stores the next version, so a figure once reported can always be found again."""

    period = models.CharField(_("period"), max_length=8)  # "2026Q3" or "2026-10"
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    version = models.PositiveIntegerField(_("version"))
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    overall_index = models.FloatField(_("overall index"), null=True, blank=True)
    # {"indicators": [...], "dimensions": [...], "index": …} — see evaluations.scorecard_json.
    result = models.JSONField(_("scorecard"), default=dict)
    # {"rfm_segment": [...], "value_tier": [...], "channel": [...], "region": [...]}
    segments = models.JSONField(_("segment breakdowns"), default=dict, blank=True)
    clv_run = models.ForeignKey(
        "ClvRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period_start", "-version"]
        verbose_name = _("evaluation snapshot")
        verbose_name_plural = _("evaluation snapshots")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="evaluation_period_version"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class ClvRun(models.Model):
    """One fit of BG/NBD + Gamma-Gamma on purchases up to `as_of`, with its fit quality."""

    as_of = models.DateField(_("as of"))
    time_unit = models.CharField(_("time unit"), max_length=5, default="weeks")
    r = models.FloatField()
    alpha = models.FloatField()
    a = models.FloatField()
    b = models.FloatField()
    bgnbd_log_likelihood = models.FloatField(_("BG/NBD log-likelihood"))
    bgnbd_converged = models.BooleanField(_("BG/NBD converged"), default=True)
    p = models.FloatField(null=True, blank=True)
    q = models.FloatField(null=True, blank=True)
    gamma = models.FloatField(null=True, blank=True)
    gamma_gamma_log_likelihood = models.FloatField(
        _("Gamma-Gamma log-likelihood"), null=True, blank=True
    )
    n_customers = models.PositiveIntegerField(pgettext_lazy("count", "customers"))
    n_repeaters = models.PositiveIntegerField(_("customers with a repeat purchase"), default=0)
    horizon_years = models.FloatField(_("CLV horizon (years)"), default=1.0)
    margin = models.FloatField(_("margin"), default=1.0)
    seconds = models.FloatField(_("fit time (s)"), default=0.0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Churn risk (analytics/churn): the horizon, and the back-test behind it ("method": "model"
    # with AUC and calibration, or "rule" with the reason; see analytics.churn.model.BackTest).
    churn_horizon_days = models.PositiveIntegerField(_("churn horizon (days)"), default=90)
    churn_backtest = models.JSONField(_("churn back-test"), default=dict, blank=True)
    # Per RFM segment × lifecycle stage: customers, CLV sum, churn sum/count, high-risk count.
    segment_figures = models.JSONField(_("segment figures"), default=list, blank=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        get_latest_by = ["as_of", "id"]
        verbose_name = _("CLV run")
        verbose_name_plural = _("CLV runs")
        indexes = [models.Index(fields=["as_of", "id"], name="clvrun_as_of")]

    def __str__(self) -> str:
        return f"CLV {self.as_of} #{self.pk}"


class ValueTier(models.TextChoices):
    HIGH = "high", _("High value")
    MEDIUM = "medium", _("Medium value")
    LOW = "low", _("Low value")


class ChurnBand(models.TextChoices):
    HIGH = "high", _("High churn risk")
    MEDIUM = "medium", _("Medium churn risk")
    LOW = "low", _("Low churn risk")


class LifecycleStage(models.TextChoices):
    NEW = "new", pgettext_lazy("lifecycle stage", "New")
    GROWING = "growing", pgettext_lazy("lifecycle stage", "Growing")
    MATURE = "mature", pgettext_lazy("lifecycle stage", "Mature")
    DECLINING = "declining", pgettext_lazy("lifecycle stage", "Declining")
    LOST = "lost", pgettext_lazy("lifecycle stage", "Lost")
    WON_BACK = "won_back", pgettext_lazy("lifecycle stage", "Won back")


class CustomerValue(models.Model):
    """A customer's RFM and CLV as computed by one ClvRun."""

    run = models.ForeignKey(ClvRun, on_delete=models.CASCADE, related_name="values")
    customer = models.ForeignKey(
        "surveys.Customer", on_delete=models.CASCADE, related_name="evaluated_values"
    )
    # The CLV models' summary: repeat purchase days, first→last and first→as-of in time units.
    frequency = models.PositiveIntegerField(_("frequency"))
    recency = models.FloatField(_("recency"))
    T = models.FloatField(_("age (T)"))
    monetary = models.FloatField(_("mean repeat spend"))
    # RFM as of the run's date (PRODUCT.md): days since last order, orders, net spend.
    recency_days = models.PositiveIntegerField(_("days since last order"))
    orders = models.PositiveIntegerField(_("orders"))
    spend = models.DecimalField(_("net spend"), max_digits=14, decimal_places=2)
    r_score = models.PositiveSmallIntegerField(_("R score"))
    f_score = models.PositiveSmallIntegerField(_("F score"))
    m_score = models.PositiveSmallIntegerField(_("M score"))
    rfm_segment = models.CharField(_("RFM segment"), max_length=20)
    p_alive = models.FloatField(_("P(alive)"))
    expected_orders_1y = models.FloatField(_("expected orders next year"))
    clv = models.DecimalField(_("CLV"), max_digits=14, decimal_places=2)
    value_tier = models.CharField(_("value tier"), max_length=6, choices=ValueTier.choices)
    # Churn over the run's horizon: a probability, or None when history is too short for a
    # model (then the band comes from the stated rule); CLV × risk is the value at stake.
    churn_risk = models.FloatField(_("churn risk"), null=True, blank=True)
    churn_band = models.CharField(
        _("churn-risk band"), max_length=6, choices=ChurnBand.choices, blank=True
    )
    value_at_stake = models.DecimalField(
        _("value at stake"), max_digits=14, decimal_places=2, default=0
    )
    rhythm_days = models.FloatField(_("mean days between orders"), null=True, blank=True)
    last_gap_days = models.FloatField(_("days between the last two orders"), null=True, blank=True)
    spend_trend = models.FloatField(_("spend trend"), default=0.0)
    lifecycle_stage = models.CharField(
        _("lifecycle stage"), max_length=9, choices=LifecycleStage.choices, blank=True
    )

    class Meta:
        ordering = ["run", "customer"]
        verbose_name = _("customer value")
        verbose_name_plural = _("customer values")
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="customervalue_once_per_run"),
        ]
        indexes = [
            models.Index(fields=["customer", "run"], name="customervalue_customer"),
            models.Index(fields=["run", "rfm_segment"], name="customervalue_segment"),
            models.Index(fields=["run", "value_tier"], name="customervalue_tier"),
            models.Index(fields=["run", "-clv"], name="customervalue_clv"),
            models.Index(fields=["run", "-value_at_stake"], name="customervalue_at_stake"),
            models.Index(
                fields=["run", "churn_band", "-value_at_stake", "-clv", "customer"],
                name="customervalue_at_risk",
            ),
            models.Index(fields=["run", "lifecycle_stage"], name="customervalue_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} @ run {self.run_id}"


class PostPurchaseRule(models.Model):
    """ "N days after an order in category X, invite to survey Y" — run daily by beat."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    category = models.CharField(
        _("product category"), max_length=100, blank=True, help_text=_("Empty: any category.")
    )
    days_after = models.PositiveSmallIntegerField(
        _("days after the order"), validators=[MinValueValidator(1)]
    )
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, related_name="post_purchase_rules"
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("post-purchase survey rule")
        verbose_name_plural = _("post-purchase survey rules")
        constraints = [
            models.CheckConstraint(condition=Q(days_after__gte=1), name="postpurchase_days"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.category or '*'} +{self.days_after}d → {self.survey}"


class PostPurchaseRun(models.Model):
    """Which (rule, day) has been run: running a day twice creates no second distribution."""

    rule = models.ForeignKey(PostPurchaseRule, on_delete=models.CASCADE, related_name="runs")
    day = models.DateField(_("day"))
    distribution = models.ForeignKey(
        "surveys.Distribution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customers = models.PositiveIntegerField(pgettext_lazy("count", "customers"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-day", "rule"]
        verbose_name = _("post-purchase run")
        verbose_name_plural = _("post-purchase runs")
        constraints = [
            models.UniqueConstraint(fields=["rule", "day"], name="postpurchase_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.day}"


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel")
    PDF = "pdf", _("PDF")
    HTML = "html", _("Printable HTML")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", pgettext_lazy("job", "Failed")


class Report(models.Model):
    """A report file for one period, generated in Celery and downloadable when ready."""

    period = models.CharField(_("period"), max_length=8)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The language the report is written in (the requester's, or the site's for scheduled ones).
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    scheduled = models.BooleanField(_("scheduled"), default=False)
    email_managers = models.BooleanField(_("email to managers"), default=False)
    emailed_to = models.PositiveIntegerField(_("emailed to"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        indexes = [models.Index(fields=["status", "created_at"], name="report_status")]

    def __str__(self) -> str:
        return f"{self.period} {self.format} #{self.pk}"


class DigestRun(models.Model):
    """One weekly digest sent, keyed by the week's Monday: a repeated task mails no one twice."""

    week_start = models.DateField(_("week starting"), unique=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")

    def __str__(self) -> str:
        return f"digest {self.week_start}"
