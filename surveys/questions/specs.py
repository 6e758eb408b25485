"""The designer's mistakes in a question of the newer types (design.services asks here):
settings out of range, a picture option without its picture, a hidden field that would
clash with the link's own parameters or could never be answered by the respondent."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from surveys.models import BrandImage, QuestionType
from surveys.questions.config import config_for

IMAGE_TYPES = {QuestionType.IMAGE_SINGLE, QuestionType.IMAGE_MULTIPLE}
# Query parameters the answering pages use themselves (page, language, channel, store…).
RESERVED_PARAMS = {"p", "lang", "c", "store", "utm_source", "rk", "page", "action"}


def normalised_config(spec: Mapping[str, Any]) -> Any:
    config, error = config_for(spec.get("type"), spec.get("config"))
    return spec.get("config") if error else config


def spec_errors(spec: Mapping[str, Any]) -> dict[str, str]:
    kind = spec.get("type")
    errors: dict[str, str] = {}
    _config, problem = config_for(kind, spec.get("config"))
    if problem:
        errors["config"] = problem
    if kind in IMAGE_TYPES and spec.get("allow_other"):
        errors["allow_other"] = _("A picture choice has no “other, please say”; add it as a "
                                  "picture option instead.")  # fmt: skip
    if kind in IMAGE_TYPES:
        options = [o for o in spec.get("options") or [] if isinstance(o, Mapping)]
        missing = [o for o in options if not o.get("image")]
        if missing:
            errors["options"] = _("Every picture option needs a picture: “%(label)s” has none.") % {
                "label": str(missing[0].get("label") or missing[0].get("value"))[:50]
            }
        else:
            digests = {str(o["image"]) for o in options}
            known = set(
                BrandImage.objects.filter(digest__in=digests).values_list("digest", flat=True)
            )
            unknown = [o for o in options if str(o["image"]) not in known]
            if unknown:
                errors["options"] = _("The picture of “%(label)s” was not uploaded here.") % {
                    "label": str(unknown[0].get("label") or unknown[0].get("value"))[:50]
                }
    if kind == QuestionType.HIDDEN:
        if spec.get("key") in RESERVED_PARAMS:
            errors["key"] = _("“%(key)s” is a parameter the survey link uses itself; choose "
                              "another key.") % {"key": spec.get("key")}  # fmt: skip
        if spec.get("required"):
            errors["required"] = _("A hidden field cannot be required: it comes from the link, "
                                   "not from the respondent.")  # fmt: skip
        if spec.get("show_if"):
            errors["show_if"] = _("A hidden field is never shown, so it has no display logic.")
    return errors
