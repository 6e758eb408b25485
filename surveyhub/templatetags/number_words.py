"""Template filters for numbers people read (`{% load number_words %}`), all through
`surveyhub.formatting`: `{{ amount|money }}`, `{{ amount|money:0 }}`, `{{ share|percent_of:1 }}`,
`{{ nps|points }}`, `{{ days|days }}`, `{{ n|count }}`, `{{ n|count:"customers" }}`."""

from __future__ import annotations

from django import template

from surveyhub import formatting

register = template.Library()


@register.filter
def money(value, decimals=2) -> str:
    return formatting.format_money(value, decimals=int(decimals))


@register.filter
def money_in(value, currency="") -> str:
    """An amount in its own currency: `{{ purchase.amount|money_in:purchase.currency }}`."""
    return formatting.format_money(value, currency=currency or None)


@register.filter
def percent_of(share, decimals=1) -> str:
    """A 0–1 share as a percentage (named apart from feedback_tags' `percent`)."""
    return formatting.format_percent(share, decimals=int(decimals))


@register.filter
def points(value, decimals=1) -> str:
    return formatting.format_points(value, decimals=int(decimals))


@register.filter
def days(value) -> str:
    return formatting.format_days(value)


@register.filter
def count(value, unit=None) -> str:
    return formatting.format_count(value, unit or None)
