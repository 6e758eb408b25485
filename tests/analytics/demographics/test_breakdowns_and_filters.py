"""NPS / CSAT broken down by gender, age band, city and member level in the API, and the
customer directory's filters by the same attributes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from analytics.models import CustomerProfile
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import CustomerFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = dt.date.today().year


@pytest.fixture
def answers(db):
    survey = published_survey(consent_text="")
    people = [
        # name, gender, age, city, level, nps, csat
        ("王芳🌸", "female", 30, "上海", "金卡", 10, 5),
        ("李娜", "female", 33, "上海", "金卡", 9, 4),
        ("陳大文", "male", 50, "香港", "普通", 3, 2),
        ("张伟", "male", 20, "北京", "普通", 8, 3),
    ]
    for name, gender, age, city, level, nps, csat in people:
        customer = CustomerFactory(name=name)
        CustomerProfile.objects.create(customer=customer, gender=gender, birth_year=YEAR - age,
                                       city=city, member_level=level)  # fmt: skip
        Response.objects.create(
            survey=survey, version=survey.current_version, customer=customer, channel="link",
            status=ResponseStatus.COMPLETED, nps_score=nps, csat_score=csat,
            completed_at=dt.datetime(2026, 5, 1, 10, tzinfo=SHANGHAI),
        )  # fmt: skip
    Response.objects.create(
        survey=survey, version=survey.current_version, channel="link", nps_score=0,
        status=ResponseStatus.COMPLETED, completed_at=dt.datetime(2026, 5, 2, tzinfo=SHANGHAI),
    )  # fmt: skip


def _get(client, query, role=Role.MANAGER, lang="zh-hans"):
    _token, key = api_token_create(user=UserFactory(role=role))
    return client.get(f"/api/v1/analytics/demographics/{query}",
                      HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


def _by_key(body):
    return {row["key"]: row for row in body["results"]}


def test_nps_and_csat_by_gender(client, answers):
    rows = _by_key(_get(client, "?by=gender").json())

    assert rows["female"]["label"] == "女"
    assert (rows["female"]["nps"]["value"], rows["female"]["nps"]["n"]) == (100.0, 2)
    assert rows["female"]["csat"]["value"] == 100.0
    assert (rows["male"]["nps"]["value"], rows["male"]["csat"]["value"]) == (-50.0, 0.0)
    assert (rows[""]["label"], rows[""]["nps"]["n"]) == ("未提供", 1)  # the anonymous answer


def test_nps_by_age_band_city_and_member_level(client, answers):
    bands = _by_key(_get(client, "?by=age_band", lang="en").json())
    cities = _by_key(_get(client, "?by=city").json())
    levels = _by_key(_get(client, "?by=member_level&from=2026-05-01&to=2026-05-01").json())

    assert (bands["25_34"]["label"], bands["25_34"]["nps"]["n"]) == ("25–34", 2)
    assert bands["under_25"]["nps"]["passives"] == 1
    assert bands["45_54"]["nps"]["detractors"] == 1
    assert (cities["上海"]["nps"]["value"], cities["香港"]["nps"]["value"]) == (100.0, -100.0)
    assert levels["金卡"]["nps"]["n"] == 2 and "" not in levels  # the 2 May answer is outside


def test_an_unknown_breakdown_is_a_400_naming_by(client, answers):
    reply = _get(client, "?by=星座")
    assert reply.status_code == 400
    assert "by" in reply.json()["errors"]


def test_agents_may_not_read_breakdowns(client, answers):
    assert _get(client, "?by=gender", role=Role.AGENT).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gender=female", {"王芳🌸", "李娜"}),
        ("age_band=25_34", {"王芳🌸", "李娜"}),
        ("age_band=under_25", {"张伟"}),
        ("city=香港", {"陳大文"}),
        ("member_level=普通&gender=male", {"陳大文", "张伟"}),
    ],
)
def test_the_directory_filters_by_demographics(client, answers, query, expected):
    client.force_login(UserFactory(role=Role.MANAGER))

    page = client.get(f"/staff/customers/?{query}").content.decode()

    names = {"王芳🌸", "李娜", "陳大文", "张伟"}
    assert {name for name in names if name in page} == expected


def test_the_directory_offers_the_filters_in_words(client, answers):
    client.force_login(UserFactory(role=Role.MANAGER))

    page = client.get("/staff/customers/").content.decode()

    assert "年龄段" in page and "25–34 岁" in page and "会员等级" in page and "香港" in page
