"""Extra filters of the customer directory page that higher apps register (as the panels of
the 360 page): `analytics` adds RFM segment, value tier, lifecycle stage, churn-risk band and
NPS group from its hooks. Each is a choice field of the filter form; `surveys` never imports
the app that registered it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class DirectoryFilter:
    """`choices()` → [(value, label)…]; `apply(customers, value)` narrows the directory."""

    key: str
    label: Any  # a lazy translatable string
    choices: Callable[[], list[tuple[str, Any]]]
    apply: Callable[[QuerySet, str], QuerySet]
    order: int = 100


_FILTERS: dict[str, DirectoryFilter] = {}


def register_directory_filter(directory_filter: DirectoryFilter) -> None:
    _FILTERS[directory_filter.key] = directory_filter


def directory_filters() -> list[DirectoryFilter]:
    return sorted(_FILTERS.values(), key=lambda f: (f.order, f.key))


def directory_filters_apply(customers: QuerySet, values: dict[str, str]) -> QuerySet:
    """Narrow `customers` by every registered filter with a (valid) value in `values`."""
    for directory_filter in directory_filters():
        value = values.get(directory_filter.key)
        if value:
            customers = directory_filter.apply(customers, value)
    return customers
