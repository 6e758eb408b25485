"""Audience filters for distributions, and the registry higher apps add theirs to.

`analytics` registers "purchased_within_days", "rfm_segment", "value_tier" in its
AppConfig.ready(); `surveys` never imports it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class AudienceFilter:
    key: str
    label: Any  # a lazy translatable string
    apply: Callable[[QuerySet, Any], QuerySet]
    help_text: Any = ""


_FILTERS: dict[str, AudienceFilter] = {}


def register_audience_filter(audience_filter: AudienceFilter) -> None:
    _FILTERS[audience_filter.key] = audience_filter


def audience_filters() -> dict[str, AudienceFilter]:
    return dict(_FILTERS)
