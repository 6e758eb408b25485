from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import ImportKind


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=_("CSV or Excel (.xlsx) file"))
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        required=False,
        choices=[
            ("", _("Detect automatically")),
            ("utf-8", "UTF-8"),
            ("gbk", "GBK"),
            ("gb18030", "GB18030"),
        ],
    )
    mapping = forms.CharField(
        label=_("Column mapping (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "会员卡=customer_id"}),
        help_text=_("One per line: column header=field."),
    )
    dry_run = forms.BooleanField(label=_("Dry run: check only, write nothing"), required=False)
    reject_unknown = forms.BooleanField(
        label=_("Reject rows of customers not in the directory"), required=False
    )

    def clean_mapping(self) -> dict[str, str]:
        mapping = {}
        for line in self.cleaned_data["mapping"].splitlines():
            if not line.strip():
                continue
            header, sep, field = line.partition("=")
            if not sep or not header.strip():
                raise forms.ValidationError(
                    _("Write each mapping as column header=field, one per line.")
                )
            mapping[header.strip()] = field.strip()
        return mapping
