"""Admin for alerts: rules and robots are edited here too (the staff pages are the usual
way); fired alerts and deliveries are read-only records. Imported from AnalyticsConfig.ready()."""

from django.contrib import admin

from analytics.models import Alert, AlertDelivery, AlertRobot, AlertRule
from surveyhub.admin_mixins import NoAddOrChange


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "window", "threshold", "is_active", "muted_until"]
    list_filter = ["kind", "window", "is_active"]
    filter_horizontal = ["robots"]
    raw_id_fields = ["topic"]


@admin.register(AlertRobot)
class AlertRobotAdmin(admin.ModelAdmin):
    """The signing secret is set on the staff page (never shown back), not here."""

    fields = ["name", "kind", "url", "is_active"]
    list_display = ["name", "kind", "is_active"]


class AlertDeliveryInline(admin.TabularInline):
    model = AlertDelivery
    extra = 0
    can_delete = False
    fields = ["robot", "status", "attempts", "next_attempt_at", "last_error", "sent_at"]
    readonly_fields = fields


@admin.register(Alert)
class AlertAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["title", "rule", "status", "fired_at"]
    list_filter = ["status", "rule"]
    inlines = [AlertDeliveryInline]
