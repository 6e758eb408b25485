from rest_framework import serializers

from surveys.models import Survey


class SurveySerializer(serializers.ModelSerializer):
    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "title_en",
            "slug",
            "kind",
            "status",
            "languages",
            "opens_at",
            "closes_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]
