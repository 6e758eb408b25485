"""The look of the respondent pages: the organisation's default, each survey's own, and the
survey's end page (a button with a link, or a redirect).

Uploaded images are judged by their bytes, never their name: PNG, JPEG, GIF or WebP under a
size limit (an SVG can carry script, so it is refused). They are stored content-addressed.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from surveys.errors import SurveyError
from surveys.models import BrandImage, SurveyBranding

LOGO_MAX_BYTES = 100 * 1024
COVER_MAX_BYTES = 300 * 1024
IMAGE_TYPES = [
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
END_FIELDS = ("end_button_label", "end_button_label_en", "end_button_url", "end_redirect_url")


def image_type(head: bytes) -> str | None:
    """The image type the first bytes show, or None for anything else."""
    for magic, content_type in IMAGE_TYPES:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def brand_image_store(*, upload: Any, field: str, max_bytes: int) -> BrandImage:
    """Check an uploaded file (type from its bytes, size) and store it once by its digest."""
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SurveyError(
            _("The image is larger than %(limit)s KB.") % {"limit": max_bytes // 1024},
            {field: _("Upload an image of at most %(limit)s KB.") % {"limit": max_bytes // 1024}},
        )
    content_type = image_type(data[:16])
    if content_type is None:
        message = _("This file is not a PNG, JPEG, GIF or WebP image.")
        raise SurveyError(message, {field: message})
    digest = hashlib.sha256(data).hexdigest()
    image, _created = BrandImage.objects.get_or_create(
        digest=digest, defaults={"content_type": content_type, "data": data}
    )
    return image


@transaction.atomic
def survey_branding_update(*, survey, logo=None, cover=None, **fields: Any) -> SurveyBranding:
    """Set a survey's colour, images and end page; an upload of None keeps the image."""
    branding, _created = SurveyBranding.objects.get_or_create(survey=survey)
    unknown = set(fields) - {"colour", *END_FIELDS}
    if unknown:
        raise SurveyError(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(unknown)})
    for name, value in fields.items():
        setattr(branding, name, value or "")
    if logo is not None:
        branding.logo = brand_image_store(upload=logo, field="logo", max_bytes=LOGO_MAX_BYTES)
    if cover is not None:
        branding.cover = brand_image_store(upload=cover, field="cover", max_bytes=COVER_MAX_BYTES)
    try:
        branding.full_clean(exclude=["survey"])
    except Exception as exc:  # ValidationError: shown beside its field
        errors = {k: " ".join(v) for k, v in getattr(exc, "message_dict", {}).items()}
        raise SurveyError(_("The branding is not valid."), errors) from None
    branding.save()
    return branding


def branding_initial(survey) -> dict[str, str]:
    """The survey's own branding fields, for the builder's form."""
    own = SurveyBranding.objects.filter(survey=survey).first()
    return {name: getattr(own, name) for name in ("colour", *END_FIELDS)} if own else {}


@dataclass(frozen=True)
class Look:
    """What a respondent page shows: colour, image URLs, organisation name, end page."""

    colour: str = ""
    logo: str = ""
    cover: str = ""
    name: str = ""
    end_button_label: str = ""
    end_button_url: str = ""
    end_redirect_url: str = ""


def image_url(digest: str | None) -> str:
    return f"/brand/{digest}/" if digest else ""


# The tables of surveys.models.branding (tests/surveys/respond/test_branding.py runs it).
LOOK_SQL = (
    "SELECT b.colour, bl.digest, bc.digest, b.end_button_label, b.end_button_label_en,"
    " b.end_button_url, b.end_redirect_url, o.colour, ol.digest, oc.digest, o.name"
    " FROM (SELECT 1 AS one) AS one"
    " LEFT JOIN surveys_surveybranding b ON b.survey_id = %s"
    " LEFT JOIN surveys_brandimage bl ON bl.id = b.logo_id"
    " LEFT JOIN surveys_brandimage bc ON bc.id = b.cover_id"
    " LEFT JOIN surveys_organisationbranding o ON o.id = 1"
    " LEFT JOIN surveys_brandimage ol ON ol.id = o.logo_id"
    " LEFT JOIN surveys_brandimage oc ON oc.id = o.cover_id"
)


def look_for(survey, language: str) -> Look:
    """The survey's own look, each empty part taken from the organisation's default.

    One statement, written out: it runs on every respondent page, and the ORM's compiling of
    the same query (joins, subqueries) cost more than running it."""
    with connection.cursor() as cursor:
        cursor.execute(LOOK_SQL, [survey.pk])
        (colour, logo, cover, label, label_en, button_url, redirect_url,
         default_colour, default_logo, default_cover, name) = cursor.fetchone()  # fmt: skip
    label = (language == "en" and label_en) or label
    return Look(
        colour=colour or default_colour or "",
        logo=image_url(logo or default_logo),
        cover=image_url(cover or default_cover),
        name=name or "",
        end_button_label=(label or "") if button_url else "",
        end_button_url=button_url or "",
        end_redirect_url=redirect_url or "",
    )
