# Alerts (rules, robots, firings, deliveries) and improvement actions: issue #15.
import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0002_relationship_churn_lifecycle_playbooks"),
        ("feedback", "0003_case_team_calendar"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertRobot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("wecom", "WeCom group robot"),
                            ("dingtalk", "DingTalk group robot"),
                            ("feishu", "Feishu / Lark group robot"),
                        ],
                        max_length=16,
                        verbose_name="platform",
                    ),
                ),
                (
                    "url",
                    models.CharField(
                        max_length=500,
                        validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                        verbose_name="webhook address",
                    ),
                ),
                (
                    "secret",
                    models.CharField(blank=True, max_length=200, verbose_name="signing secret"),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
            ],
            options={
                "verbose_name": "alert robot",
                "verbose_name_plural": "alert robots",
                "ordering": ["name", "id"],
            },
        ),
        migrations.CreateModel(
            name="AlertRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100, verbose_name="name")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("nps_drop", "NPS drops significantly"),
                            ("csat_drop", "CSAT drops significantly"),
                            ("below_target", "An indicator misses its target"),
                            ("detractor_share", "Share of detractors above a threshold"),
                            ("topic_surge", "Negative mentions of a topic surge"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                (
                    "window",
                    models.CharField(
                        choices=[
                            ("week", "Week over week"),
                            ("month", "Month over month"),
                            ("quarter", "Quarter over quarter"),
                        ],
                        default="week",
                        max_length=8,
                        verbose_name="compared period",
                    ),
                ),
                (
                    "indicator",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("nps", "NPS"),
                            ("csat", "CSAT (top-2-box %)"),
                            ("repurchase_rate", "Repurchase rate (%)"),
                            ("retention_rate", "Retention rate (%)"),
                            ("promoter_share", "Share of promoters (%)"),
                            ("clv", "Average CLV"),
                            ("clv_change", "CLV change (%)"),
                            ("cross_sell_rate", "Cross-sell rate (%)"),
                            ("first_response_time", "Median first-response time (hours)"),
                            ("resolution_rate", "Resolution rate (%)"),
                            ("ces", "CES (mean, 1–7)"),
                        ],
                        max_length=32,
                        verbose_name="indicator",
                    ),
                ),
                ("threshold", models.FloatField(blank=True, null=True, verbose_name="threshold")),
                (
                    "significance",
                    models.FloatField(
                        default=0.05,
                        help_text=(
                            "A drop or surge counts only when its p-value is below this "
                            "(e.g. 0.05)."
                        ),
                        verbose_name="significance level",
                    ),
                ),
                (
                    "min_count",
                    models.PositiveIntegerField(
                        default=30,
                        help_text=(
                            "Answers (or negative mentions) the current period needs before "
                            "the rule is checked."
                        ),
                        verbose_name="minimum sample",
                    ),
                ),
                (
                    "email_managers",
                    models.BooleanField(default=True, verbose_name="email the managers"),
                ),
                (
                    "extra_emails",
                    models.TextField(
                        blank=True,
                        help_text="One per line or comma-separated.",
                        verbose_name="more email addresses",
                    ),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "muted_until",
                    models.DateField(
                        blank=True,
                        help_text="No alert fires up to and including this day.",
                        null=True,
                        verbose_name="muted until",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "robots",
                    models.ManyToManyField(
                        blank=True,
                        related_name="rules",
                        to="analytics.alertrobot",
                        verbose_name="group robots",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        blank=True,
                        help_text="Empty: every topic.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="feedback.topic",
                        verbose_name="topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "alert rule",
                "verbose_name_plural": "alert rules",
                "ordering": ["name", "id"],
            },
        ),
        migrations.CreateModel(
            name="Alert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=80, verbose_name="occasion")),
                ("period_label", models.CharField(max_length=40, verbose_name="period")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("message", models.TextField(verbose_name="message")),
                ("details", models.JSONField(blank=True, default=dict, verbose_name="figures")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                (
                    "fired_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="fired at"
                    ),
                ),
                (
                    "closed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="alerts",
                        to="analytics.alertrule",
                        verbose_name="rule",
                    ),
                ),
            ],
            options={
                "verbose_name": "alert",
                "verbose_name_plural": "alerts",
                "ordering": ["-fired_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="ImprovementAction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("description", models.TextField(blank=True, verbose_name="what will be done")),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("indicator", "A missed indicator"),
                            ("alert", "An alert"),
                            ("topic", "A driver topic"),
                        ],
                        default="indicator",
                        max_length=10,
                        verbose_name="started from",
                    ),
                ),
                (
                    "indicator",
                    models.CharField(
                        choices=[
                            ("nps", "NPS"),
                            ("csat", "CSAT (top-2-box %)"),
                            ("repurchase_rate", "Repurchase rate (%)"),
                            ("retention_rate", "Retention rate (%)"),
                            ("promoter_share", "Share of promoters (%)"),
                            ("clv", "Average CLV"),
                            ("clv_change", "CLV change (%)"),
                            ("cross_sell_rate", "Cross-sell rate (%)"),
                            ("first_response_time", "Median first-response time (hours)"),
                            ("resolution_rate", "Resolution rate (%)"),
                            ("ces", "CES (mean, 1–7)"),
                        ],
                        max_length=32,
                        verbose_name="indicator",
                    ),
                ),
                ("baseline_period", models.CharField(max_length=8, verbose_name="baseline period")),
                (
                    "baseline_value",
                    models.FloatField(blank=True, null=True, verbose_name="value before"),
                ),
                ("expected_change", models.FloatField(verbose_name="expected change")),
                ("due_date", models.DateField(verbose_name="due date")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("in_progress", "In progress"),
                            ("done", "Done"),
                        ],
                        default="open",
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("done_on", models.DateField(blank=True, null=True, verbose_name="done on")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "alert",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="actions",
                        to="analytics.alert",
                        verbose_name="alert",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="improvement_actions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="feedback.topic",
                        verbose_name="topic",
                    ),
                ),
            ],
            options={
                "verbose_name": "improvement action",
                "verbose_name_plural": "improvement actions",
                "ordering": ["due_date", "id"],
            },
        ),
        migrations.CreateModel(
            name="AlertDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("recipients", models.TextField(blank=True, verbose_name="email recipients")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting"),
                            ("retrying", "Retrying"),
                            ("sent", "Delivered"),
                            ("failed", "Failed"),
                        ],
                        default="pending",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                (
                    "next_attempt_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
                ),
                (
                    "last_error",
                    models.CharField(blank=True, max_length=500, verbose_name="last error"),
                ),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                (
                    "alert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="analytics.alert",
                        verbose_name="alert",
                    ),
                ),
                (
                    "robot",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="deliveries",
                        to="analytics.alertrobot",
                        verbose_name="robot",
                    ),
                ),
            ],
            options={
                "verbose_name": "alert delivery",
                "verbose_name_plural": "alert deliveries",
                "ordering": ["alert", "id"],
                "indexes": [
                    models.Index(fields=["status", "next_attempt_at"], name="alert_delivery_due")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["status", "fired_at"], name="alert_status"),
        ),
        migrations.AddConstraint(
            model_name="alert",
            constraint=models.UniqueConstraint(fields=("rule", "key"), name="alert_rule_key"),
        ),
        migrations.AddIndex(
            model_name="improvementaction",
            index=models.Index(fields=["status", "due_date"], name="action_status_due"),
        ),
    ]
