"""What the builder keeps besides the survey itself (app label "surveys"): the question bank,
reusable across surveys, and the snapshots that "undo" puts back."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from surveys.models.design import QuestionType, Survey


class QuestionBankItem(models.Model):
    """A question saved for reuse: its spec without key or logic (those belong to a survey)."""

    text = models.CharField(_("question"), max_length=500)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    spec = models.JSONField(_("question"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question bank item")
        verbose_name_plural = _("question bank")

    def __str__(self) -> str:
        return self.text


class BuilderChange(models.TextChoices):
    ADD = "add", _("adding a question")
    EDIT = "edit", _("editing a question")
    DELETE = "delete", _("deleting a question")
    MOVE = "move", _("moving questions")
    DUPLICATE = "duplicate", _("duplicating a question")
    BANK = "bank", _("inserting from the question bank")
    QUESTIONS = "questions", _("changing the questions")


class QuestionsSnapshot(models.Model):
    """A survey's questions just before one builder change; undo writes them back. Only the
    last few per survey are kept (`surveys.design.undo.UNDO_DEPTH`)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    change = models.CharField(
        pgettext_lazy("builder", "change"), max_length=10, choices=BuilderChange.choices
    )
    questions = models.JSONField(_("questions"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("questions snapshot")
        verbose_name_plural = _("questions snapshots")
        indexes = [models.Index(fields=["survey", "-id"], name="snapshot_survey_latest")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.change}"
