"""Acting on customers ticked on the churn warning list: tag them (a segment the directory and
the audience builder can pick) and invite them to a survey (the builder opens with them
chosen by name)."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.models import ClvRun, CustomerValue
from surveyhub.security.roles import Role
from surveys.customers.services import CustomerError, customers_tag_add
from surveys.models import Customer, CustomerTag, Distribution
from tests.factories import CustomerFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db

TAG = "挽回-2026Q4"


@pytest.fixture
def at_risk():
    """A CLV run with five customers in the high churn band, 甲 the most at stake."""
    run = ClvRun.objects.create(as_of=dt.date(2026, 6, 30), r=1, alpha=1, a=1, b=1,
                                bgnbd_log_likelihood=0, n_customers=5)  # fmt: skip
    customers = [CustomerFactory(name=name) for name in ("甲", "乙", "丙", "丁", "戊")]
    CustomerValue.objects.bulk_create(
        CustomerValue(
            run=run, customer=c, frequency=1, recency=1, T=10, monetary=1, recency_days=200,
            orders=2, spend=Decimal("100"), r_score=1, f_score=2, m_score=3,
            rfm_segment="important_retain", p_alive=0.9, expected_orders_1y=1,
            clv=Decimal("500"), value_tier="high", churn_risk=0.8, churn_band="high",
            value_at_stake=Decimal(500 - 10 * n), lifecycle_stage="declining",
        )
        for n, c in enumerate(customers)
    )  # fmt: skip
    return customers


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", role=Role.ADMIN))
    return client


def _tagged(tag=TAG) -> set[str]:
    return set(Customer.objects.filter(tags__name=tag).values_list("name", flat=True))


def test_tagging_the_ticked_customers_adds_the_tag_once_and_says_how_many(at_risk, admin_client):
    first, second = at_risk[0], at_risk[1]
    page = admin_client.get("/staff/customers/at-risk/").content.decode()
    assert 'form="chosen" name="customer"' in page and "加入细分（标签）" in page

    reply = admin_client.post(
        "/staff/customers/at-risk/tag/",
        {"customer": [first.pk, second.pk], "tag": f"  {TAG} ", "band": "high", "page": "1"},
        follow=True,
    )

    assert reply.redirect_chain[0][0] == "/staff/customers/at-risk/?band=high&page=1"
    assert _tagged() == {"甲", "乙"}
    assert "已为 2 位客户加上标签“挽回-2026Q4”" in reply.content.decode()
    # Again with the whole page: the three others get it, the two are not doubled.
    reply = admin_client.post(
        "/staff/customers/at-risk/tag/",
        {"all_on_page": "1", "page_customer": [c.pk for c in at_risk], "tag": TAG},
        follow=True,
    )
    assert _tagged() == {"甲", "乙", "丙", "丁", "戊"}
    assert Customer.tags.through.objects.count() == 5
    text = reply.content.decode()
    assert "已为 3 位客户加上标签" in text and "2 位已有该标签" in text
    # The tag is a segment the directory filters by.
    directory = admin_client.get("/staff/customers/", {"tags": TAG}).content.decode()
    assert all(c.name in directory for c in at_risk)


def test_tagging_refuses_no_tag_no_customer_and_those_who_may_not(at_risk, admin_client, client):
    reply = admin_client.post(
        "/staff/customers/at-risk/tag/", {"customer": [at_risk[0].pk], "tag": "  "}, follow=True
    )
    assert "请给标签起个名字" in reply.content.decode() and not CustomerTag.objects.exists()
    reply = admin_client.post("/staff/customers/at-risk/tag/", {"tag": TAG}, follow=True)
    assert "请先勾选要加标签的客户" in reply.content.decode() and not CustomerTag.objects.exists()
    with pytest.raises(CustomerError):
        customers_tag_add(customer_ids=[at_risk[0].pk], name="x" * 65)

    manager = UserFactory(username="manager", role=Role.MANAGER)
    client.force_login(manager)
    page = client.get("/staff/customers/at-risk/").content.decode()
    assert "加入细分（标签）" not in page and 'form="chosen"' not in page
    reply = client.post("/staff/customers/at-risk/tag/", {"customer": [at_risk[0].pk], "tag": TAG})
    assert reply.status_code == 403 and not _tagged()


def test_erased_and_merged_customers_are_not_tagged(at_risk):
    erased = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Customer.objects.filter(pk=at_risk[0].pk).update(erased_at=erased)
    Customer.objects.filter(pk=at_risk[1].pk).update(merged_into=at_risk[2])

    added, already = customers_tag_add(customer_ids=[c.pk for c in at_risk[:3]], name=TAG)

    assert (added, already) == (1, 0) and _tagged() == {"丙"}


def test_inviting_the_ticked_customers_opens_the_builder_with_them_chosen(at_risk, admin_client):
    survey = published_survey(consent_text="")
    page = admin_client.get("/staff/customers/at-risk/").content.decode()
    assert "在发放页中选定" in page

    reply = admin_client.post(
        "/staff/customers/at-risk/invite-chosen/",
        {"customer": [at_risk[1].pk, at_risk[3].pk], "survey": survey.pk, "band": "high"},
    )

    expected = f"/staff/distributions/survey/{survey.pk}/?customer_ids={at_risk[1].pk}"
    assert reply.status_code == 302 and reply.url == expected + f"&customer_ids={at_risk[3].pk}"
    builder = admin_client.get(reply.url).content.decode()
    assert "选定的客户" in builder
    for customer in (at_risk[1], at_risk[3]):
        box = builder.split(f'name="customer_ids" value="{customer.pk}"')[1].split(">")[0]
        assert "checked" in box
    assert at_risk[0].name + "</label>" not in builder
    # Creating the distribution keeps exactly the chosen customers as its audience.
    reply = admin_client.post(
        f"/staff/distributions/survey/{survey.pk}/",
        {"customer_ids": [at_risk[1].pk, at_risk[3].pk], "channel": "email", "when": "review"},
    )
    assert reply.status_code == 302
    distribution = Distribution.objects.get(survey=survey)
    assert sorted(distribution.audience["customer_ids"]) == sorted([at_risk[1].pk, at_risk[3].pk])


def test_inviting_with_nobody_ticked_or_no_survey_goes_back_with_a_word(at_risk, admin_client):
    survey = published_survey(consent_text="")
    reply = admin_client.post(
        "/staff/customers/at-risk/invite-chosen/", {"survey": survey.pk}, follow=True
    )
    assert "请先勾选要邀请的客户" in reply.content.decode()
    reply = admin_client.post(
        "/staff/customers/at-risk/invite-chosen/", {"customer": [at_risk[0].pk], "survey": "x"},
        follow=True,
    )  # fmt: skip
    assert "请选择一份进行中的问卷" in reply.content.decode()
    assert not Distribution.objects.exists()
