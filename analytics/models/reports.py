"""Who downloaded which report, and the workspace's figures of a scorecard snapshot computed
once (sample sizes, headline, same-days comparison) so the page reads one row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportDownload(models.Model):
    """One download of a report file (the access log kept beside the file)."""

    report = models.ForeignKey(
        "analytics.Report", on_delete=models.CASCADE, related_name="downloads",
        verbose_name=_("report"),
    )  # fmt: skip
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("user"),
    )  # fmt: skip
    via = models.CharField(_("via"), max_length=8, default="page")  # page | api
    downloaded_at = models.DateTimeField(_("downloaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at", "-id"]
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")

    def __str__(self) -> str:
        return f"{self.report_id} {self.downloaded_at:%Y-%m-%d %H:%M}"


class WorkspaceFigures(models.Model):
    """The figures the workspace adds to one snapshot version, computed once per day (they
    read the responses, purchases and cases of the period, which a snapshot alone does not
    hold). `data` is JSON-ready; `computed_on` is the local day they were computed."""

    snapshot = models.OneToOneField(
        "analytics.EvaluationSnapshot", on_delete=models.CASCADE, related_name="workspace",
        verbose_name=_("evaluation snapshot"),
    )  # fmt: skip
    data = models.JSONField(_("data"), default=dict)
    computed_on = models.DateField(_("computed on"))

    class Meta:
        verbose_name = _("workspace figures")
        verbose_name_plural = _("workspace figures")

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.computed_on}"
