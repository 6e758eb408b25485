"""Staff corrections of sentiment labels: shown instead of the model's label and kept, with
the text, as training data for the next model."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from feedback.errors import FeedbackError
from feedback.models import FeedbackItem, SentimentCorrection, SentimentLabel


@transaction.atomic
def sentiment_correct(
    *, item: FeedbackItem, label: str, by: AbstractBaseUser | None = None
) -> SentimentCorrection:
    """Set the item's sentiment label as a staff member judged it; re-analysis keeps it."""
    if label not in SentimentLabel.values:
        raise FeedbackError(_("Choose positive, neutral or negative."), field="label")
    item = FeedbackItem.objects.select_for_update().get(pk=item.pk)
    correction = SentimentCorrection.objects.create(
        item=item,
        label=label,
        previous_label=item.sentiment_label,
        previous_score=item.sentiment_score,
        text=item.text,
        corrected_by=by if by is not None and by.is_authenticated else None,
    )
    item.sentiment_label = label
    item.sentiment_corrected = True
    item.save(update_fields=["sentiment_label", "sentiment_corrected"])
    return correction


def sentiment_training_rows() -> list[tuple[str, str]]:
    """(label, text) of the latest correction per item, in the `label<TAB>text` shape of
    `feedback/nlp/data/train_extra.tsv`. Neutral ones too: training counts them half
    positive, half negative and teaches the neutral-vs-opinion model with them."""
    latest: dict[int, tuple[str, str]] = {}
    for item_id, label, text in SentimentCorrection.objects.order_by(
        "corrected_at", "id"
    ).values_list("item_id", "label", "text"):
        latest[item_id] = (label, " ".join(text.split()))
    return list(latest.values())
