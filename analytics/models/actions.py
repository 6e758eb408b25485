"""Improvement actions (改进措施): what a manager does about a missed indicator, an alert or
a driver topic — owner, due date, the indicator it should move and by how much."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from analytics.models.evaluations import INDICATOR_CHOICES

__all__ = ["ActionSource", "ActionStatus", "ImprovementAction"]


# The largest possible change of each indicator in its own unit (anything beyond is a typo).
EXPECTED_LIMITS = {"nps": 200.0, "ces": 6.0, "clv": 1e9, "clv_change": 1000.0,
                   "first_response_time": 10000.0}  # fmt: skip


class ActionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("action", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("action", "In progress")
    DONE = "done", pgettext_lazy("action", "Done")


class ActionSource(models.TextChoices):
    INDICATOR = "indicator", _("A missed indicator")
    ALERT = "alert", _("An alert")
    TOPIC = "topic", _("A driver topic")


class ImprovementAction(models.Model):
    """One improvement. `baseline_period` is the period the indicator is judged "before" in
    (the one it missed in); later periods are compared with it."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what will be done"), blank=True)
    source = models.CharField(
        _("started from"), max_length=10, choices=ActionSource.choices,
        default=ActionSource.INDICATOR,
    )  # fmt: skip
    alert = models.ForeignKey(
        "analytics.Alert", verbose_name=_("alert"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="actions",
    )  # fmt: skip
    topic = models.ForeignKey(
        "feedback.Topic", verbose_name=_("topic"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    indicator = models.CharField(_("indicator"), max_length=32, choices=INDICATOR_CHOICES)
    baseline_period = models.CharField(_("baseline period"), max_length=8)
    baseline_value = models.FloatField(_("value before"), null=True, blank=True)
    expected_change = models.FloatField(_("expected change"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
        related_name="improvement_actions",
    )  # fmt: skip
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        """A bad period, an impossible expected change or a due date in the past is refused
        with what was expected."""
        from analytics.evaluations.periods import PeriodError, local_today, period_parse

        errors = {}
        try:
            period = period_parse(self.baseline_period)
        except PeriodError as exc:
            errors["baseline_period"] = exc.message
        else:
            self.baseline_period = period.code
            if period.start > local_today():
                errors["baseline_period"] = _("The baseline period has not begun yet.")
        change = self.expected_change
        limit = EXPECTED_LIMITS.get(self.indicator, 100.0)
        if change is None or not math.isfinite(change) or change == 0 or abs(change) > limit:
            errors["expected_change"] = _(
                "Expected a change other than 0 and at most ±%(limit)s in the indicator's "
                "unit (points for NPS, percentage points for rates)."
            ) % {"limit": limit}
        if self.due_date and self.pk is None and self.due_date < local_today():
            errors["due_date"] = _("The due date is in the past: choose today or later.")
        if errors:
            raise ValidationError(errors)

    def is_overdue(self, today) -> bool:
        return self.status != ActionStatus.DONE and self.due_date < today
