"""Staff configuration of in-page surveys: which survey, where, when, for whom, how often —
and the snippet to paste into the site."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.errors import SurveyError
from surveys.inpage.models import InPageSurvey
from surveys.inpage.services import in_page_check

SNIPPET = (
    "<script>window.SurveyHub=window.SurveyHub||{{q:[],"
    'track:function(){{this.q.push(["track"].concat([].slice.call(arguments)))}},'
    'identify:function(){{this.q.push(["identify"].concat([].slice.call(arguments)))}}}};</script>\n'
    '<script src="{site}/embed/v1/surveyhub.js" data-key="{key}" async></script>\n'
    "<script>{call}</script>"
)


def snippet(in_page: InPageSurvey) -> str:
    call = (
        f'SurveyHub.track("{in_page.event_name}");'
        if in_page.trigger == "event"
        else "/* shown after the page views set above */"
    )
    return SNIPPET.format(site=settings.SITE_URL, key=in_page.key, call=call)


class InPageSurveyForm(forms.ModelForm):
    class Meta:
        model = InPageSurvey
        fields = [
            "name", "survey", "enabled", "allowed_origins", "trigger", "event_name", "page_views",
            "url_pattern", "attribute_rules", "recontact_days", "follow_up",
        ]  # fmt: skip
        widgets = {
            "allowed_origins": forms.Textarea(
                attrs={"rows": 3, "placeholder": "https://shop.example.cn"}
            ),
            "attribute_rules": forms.Textarea(attrs={"rows": 3, "placeholder": "userId=*"}),
        }
        help_texts = {
            "allowed_origins": _(
                "One a line, scheme and host (and port): only these sites may show the survey "
                "and send answers."
            ),
            "event_name": _(
                'When it happens the site calls SurveyHub.track("checkout") with this name.'
            ),
            "url_pattern": _("Only on pages whose path matches, e.g. /order/*; empty: every page."),
            "attribute_rules": _(
                "One a line, attribute=value; attribute=* means the site passed it (e.g. "
                "userId=* for signed-in customers). The site passes them with "
                'SurveyHub.identify({userId: "C1001"}).'
            ),
            "recontact_days": _(
                "After answering or closing it, a device is not asked again for this many days."
            ),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        candidate = InPageSurvey(**{k: v for k, v in data.items() if k in self.Meta.fields})
        try:
            in_page_check(candidate)
        except SurveyError as exc:
            for field, message in (exc.errors or {"survey": str(exc)}).items():
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(InPageSurvey)
class InPageSurveyAdmin(admin.ModelAdmin):
    form = InPageSurveyForm
    list_display = ["name", "survey", "enabled", "trigger", "recontact_days", "updated_at"]
    list_filter = ["enabled", "trigger"]
    search_fields = ["name", "survey__title"]
    readonly_fields = ["key", "site_snippet"]
    fieldsets = [
        (None, {"fields": ["name", "survey", "enabled", "allowed_origins"]}),
        (
            pgettext_lazy("in-page survey", "When"),
            {"fields": ["trigger", "event_name", "page_views"]},
        ),
        (_("For whom"), {"fields": ["url_pattern", "attribute_rules", "recontact_days"]}),
        (_("Questions"), {"fields": ["follow_up"]}),
        (_("On your site"), {"fields": ["key", "site_snippet"]}),
    ]

    @admin.display(description=_("Snippet for your site"))
    def site_snippet(self, obj):
        if obj is None or obj.pk is None:
            return _("Save first: the snippet shows here.")
        return format_html(
            '<textarea readonly rows="9" cols="70" style="width:100%;max-width:40em;'
            'font-family:monospace" aria-label="{}">{}</textarea>'
            "<p>{}</p>",
            _("Snippet for your site"),
            snippet(obj),
            _("Paste it before </body> on every page of the site; it loads nothing else."),
        )
