"""Forms of the staff survey builder. They only parse input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.design.logic import OPERATORS
from surveys.design.survey_templates import TEMPLATES
from surveys.models import OptionOrder, QuestionType, ScaleStyle, SurveyKind

LANGUAGE_CHOICES = [("zh-hans", "简体中文"), ("en", "English")]


# The browser's own date-time picker; the value format is the one `datetime-local` reads.
DATE_TIME_PICKER = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NewSurveyForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Start from"),
        choices=[("", _("A blank survey"))] + [(t.key, t.name) for t in TEMPLATES],
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False,
        choices=[("", _("As the template (NPS for a blank survey)")), *SurveyKind.choices],
    )  # fmt: skip
    slug = forms.SlugField(
        label=_("Link name"), max_length=64, min_length=3,
        help_text=_("Used in the public link /s/<link name>/: letters, digits and hyphens."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("template") and not data.get("title"):
            self.add_error("title", _("A blank survey needs a title."))
        return data


class SurveySettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), required=False, widget=DATE_TIME_PICKER)
    closes_at = forms.DateTimeField(label=_("Closes at"), required=False, widget=DATE_TIME_PICKER)
    intro = forms.CharField(label=_("Introduction"), widget=forms.Textarea, required=False)
    intro_en = forms.CharField(
        label=_("Introduction (English)"), widget=forms.Textarea, required=False
    )
    thank_you = forms.CharField(label=_("Thank-you text"), widget=forms.Textarea, required=False)
    thank_you_en = forms.CharField(
        label=_("Thank-you text (English)"), widget=forms.Textarea, required=False
    )
    consent_text = forms.CharField(
        label=_("Privacy notice to accept"), widget=forms.Textarea, required=False,
        help_text=_("Leave empty when the survey needs no consent."),
    )  # fmt: skip
    consent_text_en = forms.CharField(
        label=_("Privacy notice (English)"), widget=forms.Textarea, required=False
    )
    one_question_per_page = forms.BooleanField(
        label=_("One question per page"), required=False,
        help_text=_("A tap on a scale or a single choice moves on; a progress bar shows how far."),
    )  # fmt: skip
    # Branding (empty fields take the organisation's default, set in the admin).
    colour = forms.RegexField(
        label=_("Brand colour"), regex=r"^#[0-9a-fA-F]{6}$", required=False,
        help_text=_("As #RRGGBB, e.g. #c8102e."),
    )  # fmt: skip
    logo = forms.FileField(label=_("Logo"), required=False,
                           help_text=_("PNG, JPEG, GIF or WebP, at most 100 KB."))  # fmt: skip
    cover = forms.FileField(
        label=_("Cover image"), required=False,
        help_text=_("PNG, JPEG, GIF or WebP, at most 300 KB; shown above the first page."),
    )  # fmt: skip
    end_button_label = forms.CharField(label=_("End page button"), max_length=40, required=False)
    end_button_label_en = forms.CharField(
        label=_("End page button (English)"), max_length=40, required=False
    )
    end_button_url = forms.URLField(
        label=_("End page button link"), required=False, assume_scheme="https"
    )
    end_redirect_url = forms.URLField(
        label=_("Redirect after the end"), required=False, assume_scheme="https",
        help_text=_("Instead of the end page, send the respondent to this address."),
    )  # fmt: skip

    BRANDING_FIELDS = ("colour", "logo", "cover", "end_button_label", "end_button_label_en",
                       "end_button_url", "end_redirect_url")  # fmt: skip


class QuestionForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=40)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    text_en = forms.CharField(label=_("Question (English)"), max_length=500, required=False)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    help_text_en = forms.CharField(label=_("Help text (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    options = forms.CharField(
        label=_("Options"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        help_text=_("One per line: value | 中文 | English, e.g. delivery | 物流配送 | Delivery"),
    )  # fmt: skip
    allow_other = forms.BooleanField(label=_("Allow “other, please say”"), required=False)
    option_order = forms.ChoiceField(
        label=_("Option order"), choices=OptionOrder.choices, initial=OptionOrder.FIXED
    )
    scale_style = forms.ChoiceField(
        label=_("Scale style"), choices=ScaleStyle.choices, initial=ScaleStyle.NUMBERS,
        required=False, help_text=_("Faces apply to 1–5 scales (CSAT, star rating)."),
    )  # fmt: skip

    def clean_scale_style(self):
        return self.cleaned_data["scale_style"] or ScaleStyle.NUMBERS

    logic_question = forms.ChoiceField(label=_("Show only when"), required=False)
    logic_op = forms.ChoiceField(
        label=_("Condition"), required=False,
        choices=[("", "—")] + [(op, op) for op in OPERATORS],
    )  # fmt: skip
    logic_value = forms.CharField(label=_("Value"), required=False, max_length=200)

    def __init__(self, *args, earlier_keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["logic_question"].choices = [("", _("always shown"))] + [
            (key, key) for key in earlier_keys
        ]

    def clean_options(self):
        options = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                raise forms.ValidationError(
                    _("Line %(n)s: expected “value | 中文 | English”.") % {"n": number}
                )
            options.append({"value": parts[0], "label": parts[1],
                            "label_en": parts[2] if len(parts) > 2 else ""})  # fmt: skip
        return options

    def spec(self) -> dict:
        data = dict(self.cleaned_data)
        question, op = data.pop("logic_question"), data.pop("logic_op")
        raw = data.pop("logic_value")
        data["show_if"] = None
        if question and op:
            data["show_if"] = {"question": question, "op": op, "value": _logic_value(op, raw)}
        return data

    @staticmethod
    def initial_for(spec: dict) -> dict:
        initial = {k: v for k, v in spec.items() if k not in {"options", "show_if"}}
        initial["options"] = "\n".join(
            " | ".join([o["value"], o["label"], o.get("label_en", "")]) for o in spec["options"]
        )
        if spec.get("show_if"):
            value = spec["show_if"].get("value")
            initial.update(
                logic_question=spec["show_if"].get("question"),
                logic_op=spec["show_if"].get("op"),
                logic_value=",".join(value) if isinstance(value, list) else value,
            )
        return initial


def _logic_value(op: str, raw: str):
    if op == "in":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if op == "answered":
        return None
    try:
        return int(raw)
    except ValueError:
        try:
            return float(raw)
        except ValueError:
            return raw
