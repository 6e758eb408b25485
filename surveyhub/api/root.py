"""The API's index page (DefaultRouter's root view) with its permission declared."""

from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import APIRootView


class ApiRootView(APIRootView):
    """Lists the resource URLs, nothing else: any signed-in user (or token) may read it."""

    permission_classes = [IsAuthenticated]
