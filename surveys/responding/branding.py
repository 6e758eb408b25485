"""The look of the respondent pages: the organisation's default, each survey's own, and the
survey's end page (a button with a link, or a redirect).

Uploaded images are judged by their bytes, never their name: PNG, JPEG, GIF or WebP under a
size limit (an SVG can carry script, so it is refused). They are stored content-addressed.
"""

import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from surveys.errors import SurveyError
from surveys.models import BrandImage, OrganisationBranding, SurveyBranding

logger = logging.getLogger(__name__)

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


# Per process: (survey, its last edit, language, branding generation) → (Look, expiry).
# Saving any branding row or image forgets them here at once and, after the commit, moves the
# generation in the shared cache; other processes read the generation at most every
# GENERATION_SECONDS, and no entry lives past LOOK_SECONDS (a cache that is down or per
# process still cannot keep an old look for long).
_LOOKS: dict[tuple, tuple[Look, float]] = {}
LOOKS_MAX = 1024
LOOK_SECONDS = 60.0
GENERATION_KEY = "branding:generation"
GENERATION_SECONDS = 2.0
_generation = {"value": "", "read_at": float("-inf")}


def _current_generation() -> str:
    now = time.monotonic()
    if now - _generation["read_at"] > GENERATION_SECONDS:
        try:
            value = cache.get(GENERATION_KEY)
        except Exception:  # the cache is down: entries still expire after LOOK_SECONDS
            logger.warning("branding generation unreadable; looks expire by age only")
            value = None
        _generation.update(value=value or "", read_at=now)
    return _generation["value"]


def _forget_looks(**kwargs) -> None:
    _LOOKS.clear()

    def publish():
        _LOOKS.clear()
        token = uuid.uuid4().hex
        _generation.update(value=token, read_at=time.monotonic())
        try:
            cache.set(GENERATION_KEY, token, None)
        except Exception:
            logger.warning("branding generation not published; other processes catch up by age")

    transaction.on_commit(publish)


for _model in (SurveyBranding, OrganisationBranding, BrandImage):
    post_save.connect(_forget_looks, sender=_model, dispatch_uid=f"look-save-{_model.__name__}")
    post_delete.connect(_forget_looks, sender=_model, dispatch_uid=f"look-del-{_model.__name__}")


def look_for(survey, language: str) -> Look:
    """The survey's look, from this process's memory when it is fresh (see `_LOOKS`)."""
    key = (survey.pk, survey.updated_at, language, _current_generation())
    now = time.monotonic()
    found = _LOOKS.get(key)
    if found is not None and found[1] > now:
        return found[0]
    look = look_read(survey, language)
    if len(_LOOKS) >= LOOKS_MAX:
        _LOOKS.clear()
    _LOOKS[key] = (look, now + LOOK_SECONDS)
    return look


def look_read(survey, language: str) -> Look:
    """The survey's own look, each empty part taken from the organisation's default.

    One statement, written out: the ORM's compiling of the same query (joins, subqueries)
    cost more than running it."""
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
