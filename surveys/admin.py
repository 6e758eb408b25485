from django.contrib import admin

from surveys.models import Customer, CustomerTag, Store, Survey
from surveys.privacy.admin import PersonalDataAdminMixin


@admin.register(Customer)
class CustomerAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    list_display = ["external_id", "name", "email", "phone", "region", "unsubscribed"]
    list_filter = ["region", "unsubscribed", "consent", "language"]
    search_fields = ["external_id", "name", "email", "phone"]
    filter_horizontal = ["tags"]


@admin.register(CustomerTag)
class CustomerTagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Store)
class StoreAdmin(admin.ModelAdmin):
    """The managed list of stores: only these are offered by the staff filters."""

    list_display = ["code", "name", "name_en", "is_active", "source", "created_at"]
    list_filter = ["is_active", "source"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    """Read and find surveys here; create and edit them in the survey builder (/staff/surveys/),
    which keeps versions and logic consistent."""

    list_display = ["title", "slug", "kind", "status", "opens_at", "closes_at"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "title_en", "slug"]
    readonly_fields = ["kind", "current_version", "created_by"]

    def has_add_permission(self, request):
        return False


# The organisation's default branding lives with the respondent pages it styles.
# In-page surveys on the company's own site (surveys/inpage/).
import surveys.inpage.admin  # noqa: E402
import surveys.responding.admin  # noqa: E402, F401
