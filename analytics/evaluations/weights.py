"""The admin's forms for scorecard weights: a weight that would leave the overall index, or a
dimension, with nothing to weigh is refused with a message that says what would happen
(every weight may be on any positive scale; the scorecard normalises them)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from analytics.metrics.scorecard import STANDARD_INDICATORS, Dimension
from analytics.models import DimensionWeight, ScorecardTarget
from analytics.workspace.words import DIMENSIONS, label

DEFAULT_WEIGHT = 1.0  # a dimension or indicator without a row weighs 1


def dimension_weights_after(dimension: str, weight: float) -> dict[str, float]:
    """Every dimension's weight once `dimension` weighs `weight` (rows, else the default)."""
    weights = dict.fromkeys((d.value for d in Dimension), DEFAULT_WEIGHT)
    weights.update(dict(DimensionWeight.objects.values_list("dimension", "weight")))
    weights[dimension] = weight
    return weights


def indicator_weights_after(code: str, weight: float) -> dict[str, float]:
    """The weights of the indicators of `code`'s dimension once `code` weighs `weight`."""
    dimension = STANDARD_INDICATORS[code][0]
    members = [c for c, (d, _direction) in STANDARD_INDICATORS.items() if d is dimension]
    weights = dict.fromkeys(members, DEFAULT_WEIGHT)
    weights.update(dict(ScorecardTarget.objects.filter(code__in=members).values_list(
        "code", "weight")))  # fmt: skip
    weights[code] = weight
    return weights


class DimensionWeightForm(forms.ModelForm):
    class Meta:
        model = DimensionWeight
        fields = ["dimension", "weight"]

    def clean(self):
        data = super().clean()
        dimension, weight = data.get("dimension"), data.get("weight")
        if dimension is None or weight is None:
            return data
        if sum(dimension_weights_after(dimension, weight).values()) <= 0:
            self.add_error("weight", _(
                "With this weight all four dimensions would weigh 0, so there would be no "
                "overall index. Give at least one dimension a weight above 0 (weights are "
                "relative: 1, 1, 2, 1 gives the third twice the say of each other)."))  # fmt: skip
        return data


class ScorecardTargetForm(forms.ModelForm):
    class Meta:
        model = ScorecardTarget
        fields = ["code", "target", "tolerance", "weight"]

    def clean(self):
        data = super().clean()
        code, weight = data.get("code"), data.get("weight")
        if code is None or weight is None:
            return data
        if sum(indicator_weights_after(code, weight).values()) <= 0:
            dimension = STANDARD_INDICATORS[code][0].value
            self.add_error("weight", _(
                "With this weight every indicator of %(dimension)s would weigh 0, so the "
                "dimension would have no index and would drop out of the overall index. Give "
                "%(indicator)s or another indicator of %(dimension)s a weight above 0."
            ) % {"dimension": DIMENSIONS[dimension], "indicator": label(code)})  # fmt: skip
        return data
