"""Files respondents upload to a file-upload question. Kept in the database, never under a
public URL: staff download them through a permission-checked view. An upload made through
the JSON API first waits unclaimed (response NULL) until a submit names its token."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from surveys.models.design import Survey
from surveys.models.responses import Response


class ResponseFile(models.Model):
    # Unguessable: the public submit names an upload by it (secrets.token_urlsafe(24)).
    token = models.CharField(_("token"), max_length=40, unique=True)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question_key = models.SlugField(_("question key"), max_length=40)
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(response__isnull=True), name="file_unclaimed"
            ),
        ]

    def __str__(self) -> str:
        return self.name
