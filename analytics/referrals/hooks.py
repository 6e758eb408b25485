"""Referrals and demographics in the lower apps' registries (called from analytics/hooks.py):
the thank-you page's referral offer, the customer 360 "Referrals and profile" panel, and the
customer directory's filters by gender, age band, city and member level."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy, pgettext_lazy

from analytics.demographics.bands import age_band
from analytics.demographics.queries import (
    AGE_BAND_LABELS,
    values_of,
    with_age_band,
    with_profile,
)
from analytics.models import CustomerProfile, Gender
from analytics.referrals.personal_data import register_referral_personal_data
from analytics.referrals.queries import customer_referrals
from analytics.referrals.thanks import referral_thanks
from surveys.customers.directory_filters import DirectoryFilter, register_directory_filter
from surveys.customers.panels import CustomerPanel, PanelContent, register_customer_panel
from surveys.responding.thanks_hooks import ThanksHook, register_thanks_hook


def referrals_panel(customer, request) -> PanelContent:
    profile = CustomerProfile.objects.filter(customer=customer).first()
    band = age_band(profile.birth_year, year=dt.date.today().year) if profile else ""
    return PanelContent(
        template="analytics/referrals/panel.html",
        context={
            "referrals": customer_referrals(customer.pk),
            "profile": profile,
            "age_band": AGE_BAND_LABELS.get(band, ""),
        },
    )


def _choices(pairs):
    return lambda: [(code, str(label)) for code, label in pairs()]


def register_referral_hooks() -> None:
    register_thanks_hook(ThanksHook(key="referral", render=referral_thanks, order=10))
    register_customer_panel(
        CustomerPanel(
            key="referrals", title=pgettext_lazy("customer", "Referrals and profile"),
            render=referrals_panel, order=18, permission="analytics.view_referral",
        )
    )  # fmt: skip
    filters = [
        DirectoryFilter(
            key="gender", label=gettext_lazy("Gender"), order=60,
            choices=_choices(lambda: Gender.choices),
            apply=lambda qs, v: with_profile(qs, gender=v),
        ),
        DirectoryFilter(
            key="age_band", label=gettext_lazy("Age band"), order=61,
            choices=_choices(lambda: AGE_BAND_LABELS.items()), apply=with_age_band,
        ),
        DirectoryFilter(
            key="city", label=gettext_lazy("City"), order=62,
            choices=lambda: values_of("city"), apply=lambda qs, v: with_profile(qs, city=v),
        ),
        DirectoryFilter(
            key="member_level", label=gettext_lazy("Member level"), order=63,
            choices=lambda: values_of("member_level"),
            apply=lambda qs, v: with_profile(qs, member_level=v),
        ),
    ]  # fmt: skip
    for directory_filter in filters:
        register_directory_filter(directory_filter)
    register_referral_personal_data()  # export and erasure of one person (PIPL / GDPR)
