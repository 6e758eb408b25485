"""Who sees what of a survey's results. Managers, Admins and Agents read everything (they read
responses); Designers read the aggregated charts of choice and scale questions only, never
free text or a single response (the rule that designers do not read responses)."""

from rest_framework.permissions import BasePermission

RESULTS_PERMISSIONS = ("surveys.view_survey", "surveys.view_response")
RESPONSES_PERMISSION = "surveys.view_response"


def can_read_results(user) -> bool:
    return bool(user and user.is_authenticated) and any(
        user.has_perm(permission) for permission in RESULTS_PERMISSIONS
    )


def can_read_responses(user) -> bool:
    """Single responses, free text, exports."""
    return bool(user and user.is_authenticated) and user.has_perm(RESPONSES_PERMISSION)


class ResultsPermission(BasePermission):
    """The aggregated results: anyone who reads surveys or responses."""

    def has_permission(self, request, view):
        return can_read_results(request.user)
