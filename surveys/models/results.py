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


class ResultCube(models.Model):
    """The state of a survey's results pre-aggregate (PostgreSQL only): the cells hold the
    completed responses whose `completed_at` is before `watermark`; later ones (the tail)
    are counted live. Database triggers set `stale` when an aggregated response or answer
    changes, is deleted, or a completion lands before the watermark: the results are then
    computed live until the next rebuild — never inexact."""

    survey = models.OneToOneField(
        Survey, primary_key=True, on_delete=models.CASCADE, related_name="result_cube"
    )
    watermark = models.DateTimeField(_("aggregated up to"))
    time_zone = models.CharField(_("time zone of the days"), max_length=64)
    stale = models.BooleanField(_("stale"), default=False)
    built_at = models.DateTimeField(_("built at"))
    responses = models.PositiveIntegerField(_("aggregated responses"), default=0)

    class Meta:
        verbose_name = _("results pre-aggregate")
        verbose_name_plural = _("results pre-aggregates")

    def __str__(self) -> str:
        return f"{self.survey_id} ≤ {self.watermark:%Y-%m-%d %H:%M}"


class ResultCubeCell(models.Model):
    """One count of a survey's results pre-aggregate: of the completed responses of `day`
    (local) that carry `facet` ("*" all, "channel:wechat", "store:S03", "version:2",
    "distribution:7", "nps_group:detractor", "q:visit=a" chose option a of visit), how many
    are there (kind 0), answered `question_key` (kind 1: questions without a number), gave
    the score `value` (kind 2) or chose the option `value` (kind 3)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    facet = models.TextField()
    day = models.DateField()
    question_key = models.CharField(max_length=64, blank=True)
    kind = models.PositiveSmallIntegerField()
    value = models.TextField(blank=True)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "facet", "day", "question_key", "kind", "value"],
                name="result_cube_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet} {self.day} {self.question_key}:{self.value} = {self.n}"
