"""The organisation's default look of the respondent pages, edited by an Admin."""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from surveys.errors import SurveyError
from surveys.models import OrganisationBranding
from surveys.responding.branding import COVER_MAX_BYTES, LOGO_MAX_BYTES, brand_image_store


class OrganisationBrandingForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Upload a logo"), required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 100 KB."),
    )  # fmt: skip
    cover_upload = forms.FileField(
        label=_("Upload a cover image"), required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 300 KB; shown above the first page."),
    )  # fmt: skip

    class Meta:
        model = OrganisationBranding
        fields = ["name", "colour"]

    def clean(self):
        data = super().clean()
        for field, target, limit in (("logo_upload", "logo", LOGO_MAX_BYTES),
                                     ("cover_upload", "cover", COVER_MAX_BYTES)):  # fmt: skip
            upload = data.get(field)
            if upload is None:
                continue
            try:
                setattr(self.instance, target,
                        brand_image_store(upload=upload, field=field, max_bytes=limit))  # fmt: skip
            except SurveyError as exc:
                self.add_error(field, str(exc))
        return data


@admin.register(OrganisationBranding)
class OrganisationBrandingAdmin(admin.ModelAdmin):
    form = OrganisationBrandingForm
    fields = ["name", "colour", "logo_upload", "cover_upload"]

    def has_add_permission(self, request):
        return not OrganisationBranding.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        branding, _created = OrganisationBranding.objects.get_or_create(pk=1)
        return redirect(reverse("admin:surveys_organisationbranding_change", args=[branding.pk]))
