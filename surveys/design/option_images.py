"""Pictures of an image-choice question's options, uploaded in the builder: stored like the
brand images (judged by their bytes, size-limited, content-addressed, served from our own
origin at /brand/<digest>/) and named in each option as {"image": digest}."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from surveys.errors import SurveyError
from surveys.questions.specs import IMAGE_TYPES
from surveys.responding.branding import brand_image_store

OPTION_IMAGE_MAX_BYTES = 300 * 1024


def options_with_images(
    spec: Mapping[str, Any], uploads: Sequence[Any], before: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`spec` with each option's picture: the one it had `before` (matched by value), or the
    uploaded ones in the options' order."""
    spec = dict(spec)
    if spec.get("type") not in IMAGE_TYPES:
        return spec
    had = {str(o.get("value")): o.get("image", "") for o in (before or {}).get("options") or ()}
    options = [{**o, "image": had.get(str(o.get("value")), "")} for o in spec.get("options") or ()]
    if len(uploads) > len(options):
        message = _("%(pictures)s pictures for %(options)s options: give one per option.") % {
            "pictures": len(uploads), "options": len(options),
        }  # fmt: skip
        raise SurveyError(message, {"option_images": message})
    for option, upload in zip(options, uploads, strict=False):
        image = brand_image_store(upload=upload, field="option_images",
                                  max_bytes=OPTION_IMAGE_MAX_BYTES)  # fmt: skip
        option["image"] = image.digest
    spec["options"] = options
    return spec
