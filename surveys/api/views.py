from rest_framework import viewsets

from surveys.api.serializers import SurveySerializer
from surveys.models import Survey


class SurveyViewSet(viewsets.ModelViewSet):
    queryset = Survey.objects.all()
    serializer_class = SurveySerializer
