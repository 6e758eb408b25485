"""Staff pages: a survey's distributions with counts, the create form, send, links and QR."""

import pytest

from surveys.models import CustomerTag, Distribution, DistributionStatus
from tests.factories import CustomerFactory, UserFactory
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(username="designer-page", role="问卷设计 Designer"))
    return client


def test_a_designer_creates_a_distribution_from_the_form(designer, survey):
    CustomerFactory(name="上海老客户", region="上海").tags.add(
        CustomerTag.objects.create(name="老客户")
    )
    reply = designer.post(
        f"/staff/distributions/survey/{survey.pk}/",
        {"name": "上海VIP回访", "channel": "email", "tags": "VIP，老客户", "region": "上海",
         "when": "review", "reminder_after_days": "3", "max_reminders": "1"},
    )  # fmt: skip

    distribution = Distribution.objects.get()
    assert reply.status_code == 302
    assert reply["Location"] == f"/staff/distributions/{distribution.pk}/"
    assert distribution.audience == {"tags": ["VIP", "老客户"], "region": ["上海"]}
    assert (distribution.reminder_after_days, distribution.max_reminders) == (3, 1)
    assert distribution.status == DistributionStatus.BUILDING
    detail = designer.get(reply["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "At most 1 reminder, 3 days apart" in detail.content.decode()


def test_the_form_shows_what_is_wrong_and_creates_nothing(designer, survey):
    reply = designer.post(
        f"/staff/distributions/survey/{survey.pk}/",
        {"channel": "email", "when": "now", "everyone": "on", "purchased_within_days": "0"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert reply.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in reply.content.decode()
    assert not Distribution.objects.exists()


def test_the_list_shows_each_distribution_with_its_counts_in_a_fixed_number_of_queries(
    designer, survey, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(4):
        send_now(
            email_distribution(survey, CustomerFactory.create_batch(2)),
            django_capture_on_commit_callbacks,
        )

    with django_assert_max_num_queries(12):
        reply = designer.get(f"/staff/distributions/survey/{survey.pk}/")

    assert reply.status_code == 200
    assert reply.content.decode().count("/staff/distributions/") >= 4


def test_the_send_button_sends_and_the_detail_shows_the_counts(
    designer, survey, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, CustomerFactory.create_batch(3))
    page = designer.get(f"/staff/distributions/{distribution.pk}/").content.decode()
    assert f'action="/staff/distributions/{distribution.pk}/send/"' in page

    with django_capture_on_commit_callbacks(execute=True):
        designer.post(f"/staff/distributions/{distribution.pk}/send/")
    reply = designer.get(f"/staff/distributions/{distribution.pk}/")

    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT
    assert len(mailoutbox) == 3
    assert "<td>3</td>" in reply.content.decode()


def test_sending_a_closed_surveys_distribution_shows_the_reason(designer, survey):
    from surveys.design.services import survey_close

    distribution = email_distribution(survey, CustomerFactory.create_batch(1))
    survey_close(survey=survey)

    reply = designer.post(
        f"/staff/distributions/{distribution.pk}/send/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "invitations can no longer be sent" in reply.content.decode()


def test_an_agent_cannot_see_distributions_and_a_manager_cannot_send(client, survey):
    distribution = email_distribution(survey, CustomerFactory.create_batch(1))
    client.force_login(UserFactory(username="agent-page", role="客服 Agent"))
    assert client.get(f"/staff/distributions/{distribution.pk}/").status_code == 403

    client.force_login(UserFactory(username="manager-page", role="经理 Manager"))
    assert client.get(f"/staff/distributions/{distribution.pk}/").status_code == 200
    assert client.post(f"/staff/distributions/{distribution.pk}/send/").status_code == 403
    assert (
        client.post(
            f"/staff/distributions/survey/{survey.pk}/", {"channel": "link", "max_reminders": "0"}
        ).status_code
        == 403
    )


def test_anonymous_visitors_are_sent_to_the_login_page(client, survey):
    reply = client.get(f"/staff/distributions/survey/{survey.pk}/")

    assert reply.status_code == 302
    assert "/accounts/login/" in reply["Location"]


def test_the_links_panel_shows_the_tagged_link_and_qr_images(designer, survey, settings):
    settings.SITE_URL = "https://survey.example.cn"

    page = designer.get(f"/staff/distributions/links/{survey.pk}/?c=wechat&store=SH01")

    html = page.content.decode()
    assert page.status_code == 200
    assert f"https://survey.example.cn/s/{survey.slug}/?c=wechat&amp;store=SH01" in html
    assert f"/s/{survey.slug}/qr.svg?c=wechat&amp;store=SH01" in html
    assert f"/s/{survey.slug}/qr.png?c=wechat&amp;store=SH01" in html
    bad = designer.get(f"/staff/distributions/links/{survey.pk}/?store=上海 一店")
    assert bad.status_code == 400


def test_the_detail_lists_each_invitations_status_in_a_fixed_number_of_queries(
    designer, survey, customer, mailoutbox, django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):  # fmt: skip
    people = [customer(f"顾客{i}", f"guke{i}@example.cn") for i in range(6)]
    people.append(customer("严冬", "yan.dong@example.cn", unsubscribed=True))
    distribution = email_distribution(survey, people)
    send_now(distribution, django_capture_on_commit_callbacks)

    with django_assert_max_num_queries(10):
        page = designer.get(f"/staff/distributions/{distribution.pk}/", HTTP_ACCEPT_LANGUAGE="en")

    html = page.content.decode()
    assert "yan.dong@example.cn" in html and "Skipped: Unsubscribed" in html
    assert html.count("guke") == 6
