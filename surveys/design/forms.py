"""Forms of the staff survey builder. They only parse input; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.design.logic_form import LOGIC_FIELD_NAMES, LogicFieldsMixin
from surveys.design.option_rows import (
    options_from_lines,
    options_from_rows,
    posted_rows,
    rows_for_display,
)
from surveys.design.survey_templates import TEMPLATES
from surveys.models import OptionOrder, QuestionType, ScaleStyle, SurveyKind, WechatIdentity

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
    wechat_identity = forms.TypedChoiceField(
        label=_("WeChat identity"), choices=WechatIdentity.choices, initial="off",
        required=False, empty_value=WechatIdentity.OFF,
        help_text=_("With a WeChat official account set up: store who answered in WeChat, or "
                    "take one answer per WeChat user (then the survey opens only in WeChat)."),
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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


FILE_KIND_CHOICES = [
    ("image", _("Images (PNG, JPEG, GIF, WebP)")), ("pdf", "PDF"),
    ("office", _("Word, Excel or PowerPoint")), ("text", _("Plain text")),
]  # fmt: skip
CONFIG_FIELDS = ("slider_min", "slider_max", "slider_step", "low_label", "high_label",
                 "low_label_en", "high_label_en", "region_levels", "file_max_kb", "file_kinds",
                 "option_images")  # fmt: skip


TYPE_FIELDS = {
    QuestionType.SLIDER: CONFIG_FIELDS[:7], QuestionType.REGION: ("region_levels",),
    QuestionType.FILE: ("file_max_kb", "file_kinds"),
    QuestionType.IMAGE_SINGLE: ("option_images",), QuestionType.IMAGE_MULTIPLE: ("option_images",),
}  # fmt: skip


class QuestionForm(LogicFieldsMixin, forms.Form):
    key = forms.SlugField(
        label=_("Key"), max_length=40, required=False,
        help_text=_("Left empty, one is made from the type (e.g. q3). Display logic, results "
                    "and exports refer to the question by it."),
    )  # fmt: skip
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

    # The settings of the newer types (Question.config); each applies to its type only.
    slider_min = forms.IntegerField(label=_("Slider: lowest value"), required=False, initial=0)
    slider_max = forms.IntegerField(label=_("Slider: highest value"), required=False,
                                    initial=100)  # fmt: skip
    slider_step = forms.IntegerField(label=_("Slider: step"), required=False, initial=1)
    low_label = forms.CharField(label=_("Slider: words at the low end"), max_length=40,
                                required=False)  # fmt: skip
    high_label = forms.CharField(label=_("Slider: words at the high end"), max_length=40,
                                 required=False)  # fmt: skip
    low_label_en = forms.CharField(label=_("Slider: words at the low end (English)"),
                                   max_length=40, required=False)  # fmt: skip
    high_label_en = forms.CharField(label=_("Slider: words at the high end (English)"),
                                    max_length=40, required=False)  # fmt: skip
    region_levels = forms.TypedChoiceField(
        label=_("Region: ask down to"), coerce=int, required=False, initial=3,
        choices=[(3, _("District / county")), (2, _("City")), (1, _("Province"))],
    )  # fmt: skip
    file_max_kb = forms.IntegerField(
        label=_("File upload: size limit (KB)"), required=False, initial=5120,
        help_text=_("At most 10240 KB (10 MB)."),
    )  # fmt: skip
    file_kinds = forms.MultipleChoiceField(
        label=_("File upload: kinds accepted"), required=False, initial=["image", "pdf"],
        widget=forms.CheckboxSelectMultiple, choices=FILE_KIND_CHOICES,
        help_text=_("Judged by the file's content, not its name."),
    )  # fmt: skip
    option_images = MultipleFileField(
        label=_("Image choice: pictures of the options"), required=False,
        help_text=_("One picture per option, in the options' order (PNG, JPEG, GIF or WebP, "
                    "at most 300 KB each). Left empty, the pictures stay as they are."),
    )  # fmt: skip

    def __init__(self, *args, questions=(), position=None, **kwargs):
        """`questions`: the survey's question specs; `position`: this question's index
        (None for a new one, which goes last)."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        end = len(self.questions) if position is None else position
        self.earlier = self.questions[:end]
        self.later = self.questions[end + 1 :] if position is not None else []
        self.this_question = self.questions[position] if position is not None else None
        self.add_logic_fields()

    def clean(self):
        data = super().clean()
        self.clean_logic(data)
        return data

    def clean_options(self):
        rows = posted_rows(self.data)
        if rows is not None:
            return options_from_rows(rows)
        return options_from_lines(self.cleaned_data["options"])

    # The types whose options the rows edit (the script hides the rows for the others).
    OPTION_TYPES = " ".join(
        sorted(
            ("single", "multiple", "dropdown", "matrix", "ranking", "image_single", "image_multi")
        )
    )

    def option_rows(self) -> list[dict]:
        """The option rows to show (label zh, label en; the value hidden)."""
        posted = posted_rows(self.data) if self.is_bound else None
        return rows_for_display(self.initial.get("option_list") or [], posted)

    def spec(self) -> dict:
        data = dict(self.cleaned_data)
        settings = {name: data.pop(name, None) for name in CONFIG_FIELDS}
        data["config"] = _config_of(data["type"], settings)
        for name in LOGIC_FIELD_NAMES:
            data.pop(name, None)
        return data

    def main_fields(self) -> list:
        hidden = {"key", "options", *CONFIG_FIELDS, *LOGIC_FIELD_NAMES}
        return [f for f in self if f.name not in hidden]

    def type_fields(self) -> list:
        """The type settings to show: those of the question's type when it is known (editing),
        else all of them (a new question; the designer picks the type on the same form)."""
        kind = self.data.get("type") if self.is_bound else self.initial.get("type")
        names = TYPE_FIELDS.get(kind) if kind else None
        if kind and names is None:
            return []
        return [f for f in self if f.name in (names or CONFIG_FIELDS)]

    def option_images_uploaded(self) -> list:
        return list(self.cleaned_data.get("option_images") or [])

    @staticmethod
    def initial_for(spec: dict) -> dict:
        initial = {k: v for k, v in spec.items()
                   if k not in {"options", "show_if", "config", "jumps"}}  # fmt: skip
        initial.update(_config_initial(spec.get("type"), spec.get("config") or {}))
        initial["option_list"] = spec.get("options") or []
        initial.update(LogicFieldsMixin.logic_initial(spec))
        return initial


def _config_of(kind: str, settings: dict) -> dict:
    """Question.config from the form's type-setting fields (design.services checks it)."""
    if kind == QuestionType.SLIDER:
        pairs = {"min": "slider_min", "max": "slider_max", "step": "slider_step",
                 "low_label": "low_label", "high_label": "high_label",
                 "low_label_en": "low_label_en", "high_label_en": "high_label_en"}  # fmt: skip
        return {key: settings[name] for key, name in pairs.items()
                if settings.get(name) not in (None, "")}  # fmt: skip
    if kind == QuestionType.REGION:
        return {"levels": settings.get("region_levels") or 3}
    if kind == QuestionType.FILE:
        config = {"kinds": settings.get("file_kinds") or ["image", "pdf"]}
        if settings.get("file_max_kb") is not None:
            config["max_kb"] = settings["file_max_kb"]
        return config
    return {}


def _config_initial(kind: str, config: dict) -> dict:
    if kind == QuestionType.SLIDER:
        return {"slider_min": config.get("min"), "slider_max": config.get("max"),
                "slider_step": config.get("step"),
                **{n: config.get(n, "") for n in ("low_label", "high_label", "low_label_en",
                                                  "high_label_en")}}  # fmt: skip
    if kind == QuestionType.REGION:
        return {"region_levels": config.get("levels", 3)}
    if kind == QuestionType.FILE:
        return {"file_max_kb": config.get("max_kb"), "file_kinds": config.get("kinds")}
    return {}
