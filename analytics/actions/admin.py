"""Admin for improvement actions (the staff pages are the usual way to work on them).
Imported from AnalyticsConfig.ready()."""

from django.contrib import admin

from analytics.models import ImprovementAction


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["title", "indicator", "owner", "due_date", "status"]
    list_filter = ["status", "indicator", "source"]
    raw_id_fields = ["alert", "topic", "owner", "created_by"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
