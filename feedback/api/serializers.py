from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from feedback.analysis.queries import aspect_choices
from feedback.models import FeedbackItem, FeedbackSource, Topic
from surveyhub.api.fields import DateTimeField


class SentimentSerializer(serializers.Serializer):
    score = serializers.FloatField(help_text="Probability that the text is positive, 0–1.")
    label = serializers.ChoiceField(choices=["positive", "neutral", "negative"])
    corrected = serializers.BooleanField(help_text="Label set by a staff member.")


class ItemTopicSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="topic.pk")
    name = serializers.CharField(source="topic.name")
    weight = serializers.FloatField()


class ItemAspectSerializer(serializers.Serializer):
    aspect = serializers.CharField()
    name = serializers.SerializerMethodField()
    score = serializers.FloatField()
    label = serializers.CharField()

    def get_name(self, aspect) -> str:
        """The aspect's display name in the request's language."""
        names = self.context.setdefault("_aspect_names", dict(aspect_choices(get_language())))
        return names.get(aspect.aspect, aspect.aspect)


class FeedbackItemSerializer(serializers.ModelSerializer):
    sentiment = serializers.SerializerMethodField()
    topics = ItemTopicSerializer(source="topic_links", many=True, read_only=True)
    aspects = ItemAspectSerializer(many=True, read_only=True)

    class Meta:
        model = FeedbackItem
        fields = [
            "id", "text", "source", "external_ref", "customer", "survey", "response",
            "question_key", "created_at", "sentiment", "keywords", "topics", "aspects",
            "analysis_status", "analysis_error", "analysis_version", "analysed_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(SentimentSerializer(allow_null=True))
    def get_sentiment(self, item) -> dict | None:
        if item.sentiment_score is None and not item.sentiment_label:
            return None
        return {
            "score": item.sentiment_score,
            "label": item.sentiment_label or None,
            "corrected": item.sentiment_corrected,
        }


class FeedbackItemCreateSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, allow_blank=True)
    source = serializers.ChoiceField(
        choices=[c for c in FeedbackSource.choices if c[0] != FeedbackSource.SURVEY],
        default=FeedbackSource.API,
    )
    external_ref = serializers.CharField(required=False, allow_blank=True, max_length=100)
    customer_external_id = serializers.CharField(required=False, allow_blank=True)
    customer_phone = serializers.CharField(required=False, allow_blank=True)
    customer_email = serializers.CharField(required=False, allow_blank=True)
    survey = serializers.IntegerField(required=False, allow_null=True)
    created_at = DateTimeField(required=False)


class TopicSerializer(serializers.ModelSerializer):
    count = serializers.IntegerField(source="item_count", read_only=True)
    avg_sentiment = serializers.FloatField(read_only=True, allow_null=True)
    nps_impact = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = [
            "id", "key", "name", "name_edited", "keywords", "is_active", "merged_into",
            "count", "avg_sentiment", "nps_impact", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = [f for f in fields if f != "name"]

    def get_nps_impact(self, topic) -> float | None:
        return self.context.get("nps_impact", {}).get(topic.pk)


class TopicMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text="The topic to keep.")


class TopicTrendSerializer(serializers.Serializer):
    period = serializers.SerializerMethodField(help_text="YYYY-MM")
    count = serializers.IntegerField()
    avg_sentiment = serializers.FloatField(allow_null=True)

    def get_period(self, row) -> str:
        return row["month"].strftime("%Y-%m")
