"""A person's export holds their demographic profile and referrals; erasing them deletes the
profile, while their referrals move to the anonymous key so the referral rate stays."""

import pytest

from analytics.models import CustomerProfile, Referral, ReferralCode, ReferralSource
from analytics.referrals.queries import referral_summary
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def promoter(db):
    person = CustomerFactory(name="隱私測試人🙂", email="p@example.cn")
    CustomerProfile.objects.create(customer=person, gender="female", birth_year=1991,
                                   city="台北", member_level="金卡")  # fmt: skip
    survey = published_survey(consent_text="")
    Response.objects.create(
        survey=survey, version=survey.current_version, customer=person, channel="link",
        status=ResponseStatus.COMPLETED, nps_score=10,
    )  # fmt: skip
    code = ReferralCode.objects.create(code="PRIV2345", customer=person)
    Referral.objects.create(code=code, referred=CustomerFactory(), source=ReferralSource.LINK)
    return person


def test_the_export_holds_the_profile_and_the_referrals(client, promoter):
    client.force_login(UserFactory(role=Role.MANAGER))

    data = client.get(f"/api/v1/customers/{promoter.pk}/personal-data/").json()

    assert data["referrals"]["profile"] == [
        {"gender": "female", "birth_year": 1991, "city": "台北", "member_level": "金卡"}
    ]
    assert data["referrals"]["referral_codes"][0]["code"] == "PRIV2345"
    assert data["referrals"]["referral_codes"][0]["referred_customers"] == 1


def test_erasure_deletes_the_profile_and_keeps_the_referral_rate(client, promoter):
    client.force_login(UserFactory(role=Role.ADMIN))
    before = referral_summary()

    assert client.delete(f"/api/v1/customers/{promoter.pk}/personal-data/").status_code == 200

    assert not CustomerProfile.objects.exists()
    assert not ReferralCode.objects.filter(customer=promoter).exists()
    after = referral_summary()
    assert (after.promoters, after.referring_promoters) == (before.promoters, 1)
