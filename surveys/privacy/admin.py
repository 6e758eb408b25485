"""Admin pages for privacy: a customer's export (JSON download) and erasure (after a
confirmation page), the privacy settings, the consent texts and the read-only access log."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveyhub.admin_mixins import ViewOnly
from surveys.models import (
    ConsentText,
    ContactSuppression,
    Customer,
    PersonalDataAccess,
    PrivacySettings,
)
from surveys.privacy.access_log import personal_data_listed, personal_data_viewed
from surveys.privacy.personal_data import (
    PersonalDataError,
    person_customer_ids,
    personal_data_erase,
    personal_data_export,
)


def personal_data_download(data: dict, customer_id: int) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="customer-{customer_id}.json"'
    return response


class PersonalDataAdminMixin:
    """For CustomerAdmin: two actions on the changelist and the pages behind them."""

    actions = ["export_personal_data", "erase_personal_data"]

    def get_urls(self):
        urls = [
            path(
                "<int:pk>/personal-data/",
                self.admin_site.admin_view(self.personal_data_view),
                name="surveys_customer_personal_data",
            ),
            path(
                "<int:pk>/erase/",
                self.admin_site.admin_view(self.erase_view),
                name="surveys_customer_erase",
            ),
        ]
        return urls + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and str(object_id).isdigit():
            personal_data_viewed(
                request, resource="customer", object_id=object_id, customer_id=int(object_id)
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None:
            personal_data_listed(request, resource="customers", count=len(changelist.result_list))
        return response

    def _only_one(self, request, queryset) -> Customer | None:
        if queryset.count() != 1:
            self.message_user(
                request, _("Select exactly one customer for this action."), messages.WARNING
            )
            return None
        return queryset.get()

    @admin.action(description=gettext_lazy("Export personal data (JSON)"), permissions=["export"])
    def export_personal_data(self, request, queryset):
        customer = self._only_one(request, queryset)
        if customer is not None:
            return redirect("admin:surveys_customer_personal_data", pk=customer.pk)
        return None

    @admin.action(description=gettext_lazy("Erase personal data…"), permissions=["erase"])
    def erase_personal_data(self, request, queryset):
        customer = self._only_one(request, queryset)
        if customer is not None:
            return redirect("admin:surveys_customer_erase", pk=customer.pk)
        return None

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm("surveys.export_customer")

    def has_erase_permission(self, request) -> bool:
        return request.user.has_perm("surveys.erase_customer")

    def personal_data_view(self, request, pk: int):
        if not self.has_export_permission(request):
            raise PermissionDenied
        customer = get_object_or_404(Customer, pk=pk)
        data = personal_data_export(customer=customer, request=request)
        return personal_data_download(data, customer.pk)

    def erase_view(self, request, pk: int):
        if not self.has_erase_permission(request):
            raise PermissionDenied
        customer = get_object_or_404(Customer, pk=pk)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                result = personal_data_erase(customer=customer, request=request)
            except PersonalDataError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("The personal data of customer #%(id)s was erased (%(count)s records).")
                    % {"id": customer.pk, "count": sum(result["records"].values())},
                    messages.SUCCESS,
                )
            return redirect(reverse("admin:surveys_customer_change", args=[customer.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "opts": self.model._meta,
            "customer": customer,
            "merged_count": len(person_customer_ids(customer)) - 1,
            "already_erased": customer.erased_at is not None,
        }
        return TemplateResponse(request, "admin/surveys/customer/erase_confirm.html", context)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ViewOnly, admin.ModelAdmin):
    list_display = [
        "created_at", "username", "action", "channel", "resource", "object_id", "customer_id",
        "count", "ip_address",
    ]  # fmt: skip
    list_filter = ["action", "channel", "resource", "created_at"]
    search_fields = ["username", "object_id", "=customer_id", "ip_address"]
    date_hierarchy = "created_at"


@admin.register(ConsentText)
class ConsentTextAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["survey", "number", "language", "sha256", "created_at"]
    list_filter = ["language"]
    search_fields = ["survey__title", "sha256"]


@admin.register(ContactSuppression)
class ContactSuppressionAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["kind", "digest", "created_at"]
    list_filter = ["kind"]


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(admin.ModelAdmin):
    fields = ["retention_days", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    def has_add_permission(self, request):
        return not PrivacySettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = PrivacySettings.current()
        return redirect(reverse("admin:surveys_privacysettings_change", args=[settings.pk]))

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
