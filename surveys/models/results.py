"""Read-only share links of a survey's results, for people without an account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.design import Survey


class ResultShare(models.Model):
    """A link to the survey's results for the saved filters. Its token is signed with the
    secret key (never stored); it stops working when it expires or is revoked."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="result_shares")
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The results filters as query parameters: {"channel": ["link"], "q": ["nps:0-6"]}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    allow_text = models.BooleanField(_("shows free-text answers"), default=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("results share link")
        verbose_name_plural = _("results share links")

    def __str__(self) -> str:
        return self.name or f"{self.survey} #{self.pk}"
