"""Admin for the case configuration (rules, SLA policies, reasons, teams) and a read-only
view of cases and their append-only events. Imported from FeedbackConfig.ready()."""

from django.contrib import admin

from feedback.models.cases import Case, CaseEvent, CaseRule, CaseTeam, ResolutionReason, SlaPolicy
from surveyhub.admin_mixins import NoAddOrChange, ViewOnly


@admin.register(CaseRule)
class CaseRuleAdmin(admin.ModelAdmin):
    list_display = ["kind", "threshold", "words", "priority_bump", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["priority", "first_response_within", "resolution_within", "business_hours"]


@admin.register(ResolutionReason)
class ResolutionReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "position", "is_active"]
    list_editable = ["position", "is_active"]


@admin.register(CaseTeam)
class CaseTeamAdmin(admin.ModelAdmin):
    list_display = ["name", "manager", "works_weekends", "works_public_holidays"]
    filter_horizontal = ["members"]


class CaseEventInline(NoAddOrChange, admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "actor", "kind", "before", "after"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Case)
class CaseAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: cases change through the staff pages and the API, which write events."""

    list_display = ["id", "status", "priority", "assignee", "due_at", "created_at"]
    list_filter = ["status", "priority"]
    raw_id_fields = ["customer", "response", "feedback_items", "resurvey_response"]
    inlines = [CaseEventInline]
