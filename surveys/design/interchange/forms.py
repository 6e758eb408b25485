from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.design.interchange.services import MAX_FILE_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Survey file (.json)"),
    )
    slug = forms.SlugField(
        label=_("Link name"),
        required=False,
        max_length=64,
        help_text=_("Leave empty to keep the file's (a number is added when it is taken)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Exported from SurveyHub, or SurveyJS JSON. At most %(limit)s MB."
        ) % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
