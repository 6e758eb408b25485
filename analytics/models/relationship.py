"""Relationship analytics: the playbook (strategy text) staff keep per customer segment."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SegmentPlaybook"]


class SegmentPlaybook(models.Model):
    """The strategy for one segment (a kind such as "rfm" or "stage" and its code)."""

    kind = models.CharField(_("segment kind"), max_length=20)
    code = models.CharField(_("segment"), max_length=30)
    text = models.TextField(_("playbook"), blank=True, max_length=5000)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("updated by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("segment playbook")
        verbose_name_plural = _("segment playbooks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="segmentplaybook_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.code}"
