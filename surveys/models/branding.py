"""How the respondent pages look: the organisation's default and each survey's own.

Images are stored in the database, content-addressed: they are small (size-limited when
uploaded), every web server sees them without a shared disk, and their URL never changes
while their bytes are the same, so browsers cache them for good.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.design import Survey

COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Give a colour as #RRGGBB, e.g. #0969da."))


class BrandImage(models.Model):
    digest = models.CharField(_("SHA-256"), max_length=64, unique=True)
    content_type = models.CharField(_("content type"), max_length=20)
    data = models.BinaryField(_("data"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("brand image")
        verbose_name_plural = _("brand images")

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.content_type})"


class BrandLook(models.Model):
    """Colour, logo and cover image: what the organisation default and a survey share."""

    colour = models.CharField(_("brand colour"), max_length=7, blank=True, validators=[COLOUR])
    logo = models.ForeignKey(
        BrandImage, verbose_name=_("logo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    cover = models.ForeignKey(
        BrandImage, verbose_name=_("cover image"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        abstract = True


class OrganisationBranding(BrandLook):
    """Singleton (pk=1): the look of every survey that does not set its own."""

    name = models.CharField(_("organisation name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("organisation branding")
        verbose_name_plural = _("organisation branding")

    def __str__(self) -> str:
        return str(_("Organisation branding"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


class SurveyBranding(BrandLook):
    """One survey's look (empty fields take the organisation's) and its end page."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="branding")
    end_button_label = models.CharField(_("end page button"), max_length=40, blank=True)
    end_button_label_en = models.CharField(
        _("end page button (English)"), max_length=40, blank=True
    )
    end_button_url = models.URLField(_("end page button link"), blank=True)
    # Instead of the end page: the respondent is sent here once the answers are stored.
    end_redirect_url = models.URLField(_("redirect after the end"), blank=True)

    class Meta:
        verbose_name = _("survey branding")
        verbose_name_plural = _("survey branding")

    def __str__(self) -> str:
        return str(self.survey)
