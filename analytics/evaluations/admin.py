"""Admin for the evaluation models: targets and weights are edited here; runs, snapshots and
reports are read-only records (services write them). Imported from AnalyticsConfig.ready()."""

from django.contrib import admin

from analytics.evaluations.weights import DimensionWeightForm, ScorecardTargetForm
from analytics.models import (
    ClvRun,
    DimensionWeight,
    EvaluationSnapshot,
    PostPurchaseRule,
    Report,
    ReportDownload,
    ScorecardTarget,
)
from surveyhub.admin_mixins import NoAddOrChange


@admin.register(ScorecardTarget)
class ScorecardTargetAdmin(admin.ModelAdmin):
    form = ScorecardTargetForm
    list_display = ["code", "target", "tolerance", "weight", "updated_at"]


@admin.register(DimensionWeight)
class DimensionWeightAdmin(admin.ModelAdmin):
    form = DimensionWeightForm
    list_display = ["dimension", "weight"]


@admin.register(PostPurchaseRule)
class PostPurchaseRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "days_after", "survey", "active"]
    list_filter = ["active"]
    raw_id_fields = ["survey"]


@admin.register(EvaluationSnapshot)
class EvaluationSnapshotAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["period", "version", "overall_index", "computed_at"]
    list_filter = ["period"]


@admin.register(ClvRun)
class ClvRunAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["as_of", "time_unit", "r", "alpha", "a", "b", "bgnbd_log_likelihood",
                    "n_customers", "created_at"]  # fmt: skip


class ReportDownloadInline(admin.TabularInline):
    """Who downloaded the report, when and how (read-only: the download views write it)."""

    model = ReportDownload
    fields = readonly_fields = ["downloaded_at", "user", "via"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(NoAddOrChange, admin.ModelAdmin):
    """Reports are requested from the evaluation workspace (its "报告" block) or the API."""

    list_display = ["period", "format", "status", "scheduled", "emailed_to",
                    "created_by", "created_at"]  # fmt: skip
    list_filter = ["format", "status", "scheduled"]
    inlines = [ReportDownloadInline]
