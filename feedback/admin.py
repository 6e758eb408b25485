from django.contrib import admin

from feedback.models import FeedbackItem, SentimentCorrection, Topic
from surveyhub.admin_mixins import NoAddOrChange


@admin.register(FeedbackItem)
class FeedbackItemAdmin(NoAddOrChange, admin.ModelAdmin):
    """Read-only: items are created by the signal, the API and imports; analysis by workers."""

    list_display = ["id", "created_at", "source", "sentiment_label", "analysis_status"]
    list_filter = ["source", "sentiment_label", "analysis_status"]
    search_fields = ["text", "external_ref"]
    raw_id_fields = ["customer", "survey", "response", "answer"]
    date_hierarchy = "created_at"


@admin.register(Topic)
class TopicAdmin(NoAddOrChange, admin.ModelAdmin):
    """Rename and merge on the staff topic pages, which keep names across discovery runs."""

    list_display = ["name", "key", "is_active", "name_edited", "merged_into"]
    list_filter = ["is_active", "name_edited"]
    search_fields = ["name", "key"]


@admin.register(SentimentCorrection)
class SentimentCorrectionAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["item", "previous_label", "label", "corrected_by", "corrected_at"]
    list_filter = ["label"]
    raw_id_fields = ["item"]
