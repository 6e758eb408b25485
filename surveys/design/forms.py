"""Forms of the staff survey builder. They only parse input; services do the writing."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.design.logic import OPERATORS
from surveys.design.logic_words import (
    CHOICE_TYPES,
    NUMERIC_OPS,
    OPERATOR_LABELS,
    SCALE_RANGES,
    question_title,
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


class QuestionForm(forms.Form):
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

    logic_question = forms.ChoiceField(label=_("Show only when"), required=False)
    logic_op = forms.ChoiceField(
        label=_("Condition"), required=False,
        choices=[("", "—")] + [(op, OPERATOR_LABELS[op]) for op in OPERATORS],
    )  # fmt: skip
    logic_value = forms.CharField(
        label=_("Value"), required=False, max_length=200,
        help_text=_("A number, or an option of a choice question (its wording); several "
                    "separated by commas for “is one of”."),
    )  # fmt: skip

    def __init__(self, *args, questions=(), position=None, **kwargs):
        """`questions`: the survey's question specs; `position`: this question's index
        (None for a new one, which goes last). The picker lists the earlier questions by
        their titles; a later one posted anyway gets a clear error, not "invalid choice"."""
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.earlier = self.questions[: len(self.questions) if position is None else position]
        self.fields["logic_question"].choices = [("", _("always shown"))] + [
            (q["key"], question_title(q, 60)) for q in self.questions
        ]
        self.fields["logic_question"].widget.choices = [("", _("always shown"))] + [
            (q["key"], question_title(q, 60)) for q in self.earlier
        ]
        shown_if = self.initial.get("logic_question")
        target = next((q for q in self.questions if q["key"] == shown_if), None)
        if not self.is_bound and target and target.get("options"):  # options by their wording
            labels = {o["value"]: o["label"] for o in target["options"]}
            values = str(self.initial.get("logic_value") or "").split(",")
            self.initial["logic_value"] = "，".join(labels.get(v, v) for v in values)

    def clean(self):
        data = super().clean()
        key, op = data.get("logic_question"), data.get("logic_op")
        if not key:
            return data
        target = next((q for q in self.questions if q["key"] == key), None)
        if target not in self.earlier:
            self.add_error("logic_question", _(
                "“%(question)s” comes after this question: a condition may only refer to an "
                "earlier question.") % {"question": question_title(target or {})})  # fmt: skip
        elif not op:
            self.add_error("logic_op", _("Choose a comparison."))
        elif op != "answered":
            try:
                data["logic_value"] = _logic_value(op, data.get("logic_value", ""), target)
            except forms.ValidationError as exc:
                self.add_error("logic_value", exc)
        return data

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
        settings = {name: data.pop(name, None) for name in CONFIG_FIELDS}
        data["config"] = _config_of(data["type"], settings)
        question, op = data.pop("logic_question"), data.pop("logic_op")
        value = data.pop("logic_value")
        data["show_if"] = None
        if question and op:
            if isinstance(value, list) and op == "eq":  # a choice: "is" this option
                op = "in"
            data["show_if"] = {"question": question, "op": op,
                               "value": None if op == "answered" else value}  # fmt: skip
        return data

    def main_fields(self) -> list:
        return [f for f in self if f.name != "key" and f.name not in CONFIG_FIELDS]

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
        initial = {k: v for k, v in spec.items() if k not in {"options", "show_if", "config"}}
        initial.update(_config_initial(spec.get("type"), spec.get("config") or {}))
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


def _logic_value(op: str, raw: str, target: dict):
    """The typed value as the condition stores it: numbers as numbers, a choice question's
    options (typed as their wording or value) as option values."""
    parts = [p.strip() for p in re.split(r"[,，、]", raw or "") if p.strip()]
    if not parts:
        raise forms.ValidationError(_("Enter the value to compare with."))
    if target.get("options") and target.get("type") in CHOICE_TYPES:
        if op in NUMERIC_OPS:
            raise forms.ValidationError(
                _("“%(question)s” is answered with options: choose “is one of”.")
                % {"question": question_title(target)}
            )
        if op == "neq":
            raise forms.ValidationError(
                _("For a choice question use “is one of” with the options that show this "
                  "question.")
            )  # fmt: skip
        values = []
        for part in parts:
            names = ((o["value"], (o["value"], o.get("label"), o.get("label_en")))
                     for o in target["options"])  # fmt: skip
            match = next((value for value, words in names if part in words), None)
            if match is None:
                raise forms.ValidationError(
                    _("“%(question)s” has no option “%(value)s”; its options are: %(options)s.")
                    % {"question": question_title(target), "value": part,
                       "options": "、".join(o["label"] for o in target["options"])}
                )  # fmt: skip
            values.append(match)
        return values
    numbers = [_number(part) for part in parts]
    if op in NUMERIC_OPS | {"in"} or target.get("type") in SCALE_RANGES:
        if None in numbers or (op != "in" and len(numbers) > 1):
            raise forms.ValidationError(_("Enter a number, e.g. 6."))
        return numbers if op == "in" else numbers[0]
    return parts if op == "in" else raw.strip()


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return None
