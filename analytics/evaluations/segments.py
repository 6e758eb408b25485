"""The eight RFM segments' names in the request's language.

`analytics.metrics.rfm` is pure and names segments by code (with the usual Chinese name);
what people read goes through these translatable labels.
"""

from django.utils.translation import gettext_lazy as _

from analytics.metrics.rfm import SEGMENTS

SEGMENT_LABELS = {
    "important_value": _("Important value customers"),
    "important_develop": _("Important customers to develop"),
    "important_keep": _("Important customers to keep"),
    "important_retain": _("Important customers to win back"),
    "general_value": _("General value customers"),
    "general_develop": _("General customers to develop"),
    "general_keep": _("General customers to keep"),
    "general_retain": _("General customers to win back"),
}
assert set(SEGMENT_LABELS) == {s.code for s in SEGMENTS}


def segment_label(code: str) -> str:
    """The segment's name in the active language; the code itself when unknown."""
    label = SEGMENT_LABELS.get(code)
    return str(label) if label is not None else code


def segment_choices() -> list[tuple[str, str]]:
    return [(s.code, segment_label(s.code)) for s in SEGMENTS]
