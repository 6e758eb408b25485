from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.customers.directory_filters import directory_filters
from surveys.models import Language


class CustomerFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("Region"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All")), *Language.choices]
    )
    unsubscribed = forms.ChoiceField(
        label=_("Subscription"),
        required=False,
        choices=[("", _("All")), ("0", _("Subscribed")), ("1", _("Unsubscribed"))],
    )
    attribute = forms.ChoiceField(label=_("Imported attribute"), required=False)
    attribute_value = forms.CharField(
        label=_("Attribute value"), required=False, max_length=200,
        help_text=_("Leave empty for every customer that has the attribute."),
    )  # fmt: skip

    def __init__(
        self, *args, regions: list[str], tags: list[str], attributes: list[str] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All")), *((r, r) for r in regions)]
        self.fields["tag"].choices = [("", _("All")), *((t, t) for t in tags)]
        self.fields["attribute"].choices = [("", _("All")), *((a, a) for a in attributes)]
        for extra in directory_filters():  # registered by higher apps (analytics)
            self.fields[extra.key] = forms.ChoiceField(
                label=extra.label, required=False, choices=[("", _("All")), *extra.choices()]
            )

    def clean(self):
        data = super().clean()
        if data.get("attribute_value", "").strip() and not data.get("attribute"):
            self.add_error("attribute", _("Choose the attribute this value belongs to."))
        return data


class CustomerMergeForm(forms.Form):
    duplicate = forms.IntegerField(
        label=_("Merge this customer into the one shown (ID)"), min_value=1
    )
