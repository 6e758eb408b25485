"""NPS / CSAT by gender, age band, city and member level (one grouped query each), and the
customer directory's demographic filters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from analytics.demographics.bands import AGE_BANDS, birth_years
from analytics.evaluations.scorecard import summary_json
from analytics.metric_queries.filters import MetricFilters, completed_responses
from analytics.metric_queries.survey_metrics import MetricSummary
from analytics.metrics.ces import ces
from analytics.metrics.csat import csat
from analytics.metrics.nps import nps
from analytics.models import CustomerProfile, Gender
from surveys.scoring.expressions import nps_group_counts
from surveys.scoring.rules import CES_SCALE, CSAT_SCALE

BREAKDOWNS = ("gender", "age_band", "city", "member_level")
AGE_BAND_LABELS = {
    "under_25": _("Under 25"),
    "25_34": _("25–34"),
    "35_44": _("35–44"),
    "45_54": _("45–54"),
    "55_plus": _("55 and over"),
}
UNKNOWN_LABEL = _("Not given")
CHOICES_SHOWN = 200


def _year() -> int:
    return dt.date.today().year


def age_band_expression(field: str = "birth_year") -> Case:
    """The age band code of `field` (a birth year) in SQL, "" when unknown."""
    year = _year()
    whens = []
    for code, _low, _high in AGE_BANDS:
        earliest, latest = birth_years(code, year=year)
        q = Q(**{f"{field}__isnull": False})
        if earliest is not None:
            q &= Q(**{f"{field}__gte": earliest})
        if latest is not None:
            q &= Q(**{f"{field}__lte": latest})
        whens.append(When(q, then=Value(code)))
    return Case(*whens, default=Value(""), output_field=CharField())


def label_of(by: str, key: str) -> str:
    """How a breakdown key is shown: the gender or band in words, a city or level as given."""
    if not key:
        return str(UNKNOWN_LABEL)
    if by == "gender":
        return str(dict(Gender.choices).get(key, key))
    if by == "age_band":
        return str(AGE_BAND_LABELS.get(key, key))
    return key


def demographic_breakdown(*, by: str, filters: MetricFilters = MetricFilters()) -> list[dict]:
    """NPS, CSAT and CES of the completed responses per value of `by`, customers without the
    attribute (or without a customer) as "" (Not given)."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    responses = completed_responses(filters)
    if by == "age_band":
        responses = responses.annotate(group=age_band_expression("customer__profile__birth_year"))
    else:
        responses = responses.annotate(
            group=Coalesce(F(f"customer__profile__{by}"), Value(""), output_field=CharField())
        )
    counts = nps_group_counts()
    csat_scores = range(CSAT_SCALE[0], CSAT_SCALE[1] + 1)
    ces_scores = range(CES_SCALE[0], CES_SCALE[1] + 1)
    counts |= {f"csat_{s}": Count("pk", filter=Q(csat_score=s)) for s in csat_scores}
    counts |= {f"ces_{s}": Count("pk", filter=Q(ces_score=s)) for s in ces_scores}
    rows = responses.values("group").annotate(**counts).order_by("group")
    result = []
    for row in rows:
        summary = MetricSummary(
            nps=nps(promoters=row["promoters"], passives=row["passives"],
                    detractors=row["detractors"]),
            csat=csat({s: row[f"csat_{s}"] for s in csat_scores}),
            ces=ces({s: row[f"ces_{s}"] for s in ces_scores}),
        )  # fmt: skip
        result.append({"key": row["group"], "label": label_of(by, row["group"]),
                       **summary_json(summary)})  # fmt: skip
    return result


# Directory filters -------------------------------------------------------------------------


def with_profile(customers: QuerySet, **lookup) -> QuerySet:
    return customers.filter(pk__in=CustomerProfile.objects.filter(**lookup).values("customer_id"))


def with_age_band(customers: QuerySet, code: str) -> QuerySet:
    if code not in AGE_BAND_LABELS:
        return customers.none()
    earliest, latest = birth_years(code, year=_year())
    lookup = {}
    if earliest is not None:
        lookup["birth_year__gte"] = earliest
    if latest is not None:
        lookup["birth_year__lte"] = latest
    return with_profile(customers, **lookup)


def values_of(field: str) -> list[tuple[str, str]]:
    """The distinct stored values of a text attribute, as choices (at most 200)."""
    values = (
        CustomerProfile.objects.exclude(**{field: ""})
        .values_list(field, flat=True)
        .distinct()
        .order_by(field)[:CHOICES_SHOWN]
    )
    return [(value, value) for value in values]
