"""What referrals and the demographic profile hold about a person, for the export and erasure
of surveys.privacy.personal_data. Erasure deletes the profile (gender, birth year, city and
member level describe the person, and no total counts them); referral codes and referrals stay
and move to the anonymous key with everything else, so referral rates do not change."""

from __future__ import annotations

from analytics.models import CustomerProfile, Referral, ReferralCode
from surveys.privacy.personal_data import PersonalDataHandler, iso, register_personal_data


def referrals_export(ids: list[int]) -> dict:
    profiles = CustomerProfile.objects.filter(customer__in=ids)
    referred_by = Referral.objects.filter(referred__in=ids).select_related("code")
    return {
        "profile": [
            {"gender": p.gender, "birth_year": p.birth_year, "city": p.city,
             "member_level": p.member_level}
            for p in profiles
        ],
        "referral_codes": [
            {"code": c.code, "created_at": iso(c.created_at), "visits": c.visits,
             "referred_customers": c.referrals.count()}
            for c in ReferralCode.objects.filter(customer__in=ids)
        ],
        "referred_by_code": [
            {"code": r.code.code, "source": r.source, "at": iso(r.created_at)}
            for r in referred_by
        ],
    }  # fmt: skip


def profile_erase(ids: list[int]) -> int:
    deleted, _by_model = CustomerProfile.objects.filter(customer__in=ids).delete()
    return deleted


def register_referral_personal_data() -> None:
    register_personal_data(
        PersonalDataHandler(key="referrals", order=70, export=referrals_export, erase=profile_erase)
    )
