from django.contrib import admin

from analytics.models import ImportJob, Purchase
from surveyhub.admin_mixins import NoAddOrChange


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["order_id", "customer", "ordered_at", "amount", "currency", "category",
                    "channel", "is_refund"]  # fmt: skip
    list_filter = ["is_refund", "currency", "category", "channel"]
    search_fields = ["order_id", "customer__external_id", "customer__name"]
    date_hierarchy = "ordered_at"
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]


@admin.register(ImportJob)
class ImportJobAdmin(NoAddOrChange, admin.ModelAdmin):
    """Read-only: jobs are created by uploads and commands, never edited."""

    list_display = ["id", "kind", "original_name", "status", "dry_run", "rows_total", "rows_ok",
                    "rows_failed", "created_at"]  # fmt: skip
    list_filter = ["kind", "status", "dry_run"]
    list_select_related = ["created_by"]
