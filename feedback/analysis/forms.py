from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.analysis.queries import FeedbackFilters
from feedback.models import FeedbackSource, SentimentLabel


class FeedbackFilterForm(forms.Form):
    q = forms.CharField(label=_("Text contains"), required=False, max_length=100)
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False, choices=[("", _("All")), *SentimentLabel.choices]
    )
    topic = forms.TypedChoiceField(label=_("Topic"), required=False, coerce=int, empty_value=None)
    aspect = forms.ChoiceField(label=_("Aspect"), required=False)
    survey = forms.TypedChoiceField(label=_("Survey"), required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *FeedbackSource.choices]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, topics, aspects, surveys, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("All")), *topics]
        self.fields["aspect"].choices = [("", _("All")), *aspects]
        self.fields["survey"].choices = [("", _("All")), *surveys]

    def filters(self) -> FeedbackFilters:
        if not self.is_valid():
            return FeedbackFilters()
        data = self.cleaned_data
        return FeedbackFilters(
            sentiment=data["sentiment"],
            topic=data["topic"],
            aspect=data["aspect"],
            survey=data["survey"],
            source=data["source"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            q=data["q"].strip(),
        )


class SentimentCorrectionForm(forms.Form):
    label = forms.ChoiceField(label=_("Correct sentiment"), choices=SentimentLabel.choices)


class TopicRenameForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=100)


class TopicMergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = topics
