"""Audience filters for distributions, and the registry higher apps add theirs to.

An audience is a JSON object of filters, e.g. {"tags": ["VIP"], "region": ["上海"]};
every filter narrows the directory (they combine with AND). `surveys` registers the
built-in filters below in SurveysConfig.ready(); `analytics` registers
"purchased_within_days", "rfm_segment", "value_tier" in its own ready() — `surveys`
never imports it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveyhub.api.errors import DomainError
from surveys.models import Customer, Language, Response, ResponseStatus, Survey
from surveys.scoring.expressions import nps_group_q
from surveys.scoring.rules import NPS_GROUPS


class AudienceError(DomainError):
    """The audience filters are not valid; `errors` lists one translated message per problem
    (the API lists them under `audience`)."""

    field = "audience"

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors  # type: ignore[assignment]

    def field_errors(self) -> dict[str, list[str]]:
        return {self.field: [str(message) for message in self.errors]}


@dataclass(frozen=True)
class AudienceFilter:
    """A named filter. `apply(queryset, value)` narrows customers; `clean(value)` returns the
    normalised value or raises ValueError with a translated message saying what was expected."""

    key: str
    label: Any  # a lazy translatable string
    apply: Callable[[QuerySet, Any], QuerySet]
    help_text: Any = ""
    clean: Callable[[Any], Any] | None = None
    # [(value, label)…] for the staff form's checkboxes (None: the form finds them elsewhere).
    choices: Callable[[], list[tuple[str, Any]]] | None = None


_FILTERS: dict[str, AudienceFilter] = {}


def register_audience_filter(audience_filter: AudienceFilter) -> None:
    _FILTERS[audience_filter.key] = audience_filter


def unregister_audience_filter(key: str) -> None:
    """Remove a filter (tests register temporary ones)."""
    _FILTERS.pop(key, None)


def audience_filters() -> dict[str, AudienceFilter]:
    return dict(_FILTERS)


def audience_clean(filters: Any) -> dict[str, Any]:
    """Validate and normalise audience filters; raise AudienceError listing every problem."""
    if not isinstance(filters, Mapping):
        raise AudienceError(
            [_('The audience must be an object of filters, e.g. {"tags": ["VIP"]}.')]
        )
    if not filters:
        raise AudienceError(
            [_('Choose at least one audience filter; use {"all": true} to invite every customer.')]
        )
    registry = audience_filters()
    errors: list[str] = []
    cleaned: dict[str, Any] = {}
    for key, value in filters.items():
        audience_filter = registry.get(key)
        if audience_filter is None:
            errors.append(
                _("Unknown audience filter: %(key)s (available: %(keys)s)")
                % {"key": key, "keys": ", ".join(sorted(registry))}
            )
            continue
        try:
            cleaned[key] = audience_filter.clean(value) if audience_filter.clean else value
        except ValueError as exc:
            errors.append(f"{audience_filter.label}: {exc}")
    if errors:
        raise AudienceError(errors)
    return cleaned


def audience_build(*, survey: Survey, filters: Mapping[str, Any]) -> QuerySet[Customer]:
    """The customers the filters select (merged duplicates excluded), ordered by id.

    `survey` is the survey being distributed; no built-in filter needs it yet.
    """
    cleaned = audience_clean(filters)
    registry = audience_filters()
    customers = Customer.objects.filter(merged_into__isnull=True)
    for key, value in cleaned.items():
        customers = registry[key].apply(customers, value)
    # Filters may join many-valued relations; select by id so every customer appears once.
    return Customer.objects.filter(pk__in=customers.values("pk")).order_by("pk")


# Built-in filters ------------------------------------------------------------------------

MAX_ID = 2**63 - 1


def _string_list(value: Any, *, max_items: int = 1000) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(_("expected a non-empty list of texts."))
    items = [str(v).strip() for v in value if isinstance(v, str | int) and str(v).strip()]
    if len(items) != len(value):
        raise ValueError(_("expected a non-empty list of texts."))
    if len(items) > max_items:
        raise ValueError(_("at most %(n)d values.") % {"n": max_items})
    return items


def _id_list(value: Any) -> list[int]:
    if not isinstance(value, list | tuple) or not value:
        raise ValueError(_("expected a non-empty list of customer ids (whole numbers)."))
    ids = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | str) or not str(v).isdigit():
            raise ValueError(_("expected a non-empty list of customer ids (whole numbers)."))
        if int(v) > MAX_ID:  # would overflow the database's integer column
            raise ValueError(_("expected a non-empty list of customer ids (whole numbers)."))
        ids.append(int(v))
    if len(ids) > 10000:
        raise ValueError(_("at most %(n)d values.") % {"n": 10000})
    return ids


def _clean_all(value: Any) -> bool:
    if value is not True:
        raise ValueError(_("expected true."))
    return True


def _clean_language(value: Any) -> list[str]:
    languages = _string_list(value)
    unknown = [v for v in languages if v not in Language.values]
    if unknown:
        raise ValueError(
            _("unknown language %(value)s; expected one of: %(choices)s.")
            % {"value": ", ".join(unknown), "choices": ", ".join(Language.values)}
        )
    return languages


NPS_GROUP_LABELS = {
    "promoter": gettext_lazy("Promoters (9–10)"),
    "passive": gettext_lazy("Passives (7–8)"),
    "detractor": gettext_lazy("Detractors (0–6)"),
}


def _clean_nps_groups(value: Any) -> list[str]:
    groups = _string_list(value)
    allowed = [group.value for group in NPS_GROUPS]
    unknown = [v for v in groups if v not in allowed]
    if unknown:
        raise ValueError(
            _("unknown value %(value)s; expected one of: %(choices)s.")
            % {"value": ", ".join(unknown), "choices": ", ".join(allowed)}
        )
    return list(dict.fromkeys(groups))


def _with_last_nps_group(customers: QuerySet, groups: list[str]) -> QuerySet:
    """Customers whose latest completed answer with an NPS score falls in one of `groups`."""
    latest = (
        Response.objects.filter(
            customer=OuterRef("pk"), status=ResponseStatus.COMPLETED, nps_score__isnull=False
        )
        .order_by("-completed_at", "-id")
        .values("nps_score")[:1]
    )
    condition = nps_group_q("last_nps", groups[0])
    for group in groups[1:]:
        condition |= nps_group_q("last_nps", group)
    return customers.annotate(last_nps=Subquery(latest)).filter(condition)


def register_builtin_filters() -> None:
    """Called from SurveysConfig.ready()."""
    for audience_filter in (
        AudienceFilter(
            key="all",
            label=gettext_lazy("Every customer"),
            apply=lambda qs, value: qs,
            clean=_clean_all,
        ),
        AudienceFilter(
            key="tags",
            label=gettext_lazy("Tags"),
            help_text=gettext_lazy("Customers with any of these tags."),
            apply=lambda qs, value: qs.filter(tags__name__in=value),
            clean=_string_list,
        ),
        AudienceFilter(
            key="region",
            label=gettext_lazy("Region"),
            help_text=gettext_lazy("Customers in any of these regions."),
            apply=lambda qs, value: qs.filter(region__in=value),
            clean=_string_list,
        ),
        AudienceFilter(
            key="customer_ids",
            label=gettext_lazy("Customer ids"),
            apply=lambda qs, value: qs.filter(pk__in=value),
            clean=_id_list,
        ),
        AudienceFilter(
            key="external_ids",
            label=gettext_lazy("External ids"),
            apply=lambda qs, value: qs.filter(external_id__in=value),
            clean=lambda value: _string_list(value, max_items=10000),
        ),
        AudienceFilter(
            key="language",
            label=gettext_lazy("Language"),
            apply=lambda qs, value: qs.filter(language__in=value),
            clean=_clean_language,
            choices=lambda: [(code, label) for code, label in Language.choices],
        ),
        AudienceFilter(
            key="nps_group",
            label=gettext_lazy("NPS group of the last answer"),
            help_text=gettext_lazy("By the customer's latest answer to a 0–10 recommend question."),
            apply=_with_last_nps_group,
            clean=_clean_nps_groups,
            choices=lambda: [(group.value, NPS_GROUP_LABELS[group.value]) for group in NPS_GROUPS],
        ),
    ):
        register_audience_filter(audience_filter)
