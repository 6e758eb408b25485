"""Template words for codes and numbers of cases and feedback (feedback/cases/wording.py),
and a sentiment as a coloured word with how sure the model is."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from feedback.cases import wording
from feedback.models.items import SentimentLabel

register = template.Library()
MEAN_NEGATIVE_BELOW, MEAN_POSITIVE_ABOVE = 0.4, 0.6  # an average of P(positive)
register.filter("tier_label", wording.tier_label)
register.filter("trigger_words", wording.trigger_words)


@register.filter
def event_words(event) -> str:
    return wording.event_words(event.after)


@register.simple_tag
def due_words(due: datetime | None, now: datetime, state: str = "") -> str:
    """Time left before a deadline, or how long it is overdue; the SLA state ("overdue",
    "near" or "") colours it through its CSS class."""
    if due is None:
        return format_html('<span class="due">{}</span>', _("no deadline"))
    if due <= now:
        text = _("overdue by %(time)s") % {"time": wording.duration_words(now - due)}
        state = "overdue"
    else:
        text = _("%(time)s left") % {"time": wording.duration_words(due - now)}
    when = timezone.localtime(due) if timezone.is_aware(due) else due
    return format_html(
        '<span class="due {}" title="{}">{}</span>', state, when.strftime("%Y-%m-%d %H:%M"), text
    )


@register.simple_tag
def sentiment(label: str, score: float | None = None) -> str:
    """负面 / 中性 / 正面 and how sure the model is of that word. The stored score is the
    probability of *positive*, so a negative label is as sure as 1 − score."""
    if label not in SentimentLabel.values:
        return ""
    words = SentimentLabel(label).label
    if score is None or label == SentimentLabel.NEUTRAL:
        return format_html('<span class="sentiment {}">{}</span>', label, words)
    sure = float(score) if label == SentimentLabel.POSITIVE else 1 - float(score)
    text = _("%(label)s (%(percent)d%% sure)") % {"label": words, "percent": round(sure * 100)}
    return format_html('<span class="sentiment {}">{}</span>', label, text)


@register.simple_tag
def sentiment_mean(score: float | None) -> str:
    """An average sentiment (mean probability of positive) as a coloured word; the number
    itself only in the tooltip."""
    if score is None:
        return "—"
    score = float(score)
    if score < MEAN_NEGATIVE_BELOW:
        label, words = SentimentLabel.NEGATIVE, _("mostly negative")
    elif score > MEAN_POSITIVE_ABOVE:
        label, words = SentimentLabel.POSITIVE, _("mostly positive")
    else:
        label, words = SentimentLabel.NEUTRAL, _("mixed")
    return format_html(
        '<span class="sentiment {}" title="{}">{}</span>', label, f"{score:.2f}", words
    )


@register.filter
def field_label(form, name: str) -> str:
    """A form field's label by its name (an error of an unknown field: the name)."""
    field = form.fields.get(name)
    return str(field.label) if field is not None else name
