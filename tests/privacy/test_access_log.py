"""The access log: staff reading, listing, exporting or erasing personal data leaves an
entry (who, when, what, from where); Admins read it in the admin and nobody edits it."""

import pytest

from feedback.models import FeedbackItem
from surveyhub.security.roles import Role
from surveys.models import PersonalDataAccess
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entries(**filters):
    return list(
        PersonalDataAccess.objects.filter(**filters)
        .order_by("pk")
        .values_list("action", "channel", "resource", "customer_id")
    )


def test_reading_a_customer_through_the_api_is_logged_with_who_and_where(client, person):
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)

    client.get(f"/api/v1/customers/{person.customer.pk}/", REMOTE_ADDR="10.1.2.3")

    entry = PersonalDataAccess.objects.get(action="view")
    assert (entry.user, entry.username, entry.channel, entry.resource) == (
        manager, manager.username, "api", "customer",
    )  # fmt: skip
    assert (entry.customer_id, entry.ip_address) == (person.customer.pk, "10.1.2.3")


@pytest.mark.parametrize(
    ("forwarded", "logged"), [("198.51.100.7, 203.0.113.9", "203.0.113.9"), ("garbage", None)]
)
def test_behind_a_trusted_proxy_the_forwarded_client_is_logged(
    client, person, settings, forwarded, logged
):
    """The address nginx forwarded, not nginx's own; one that is no address is not stored."""
    settings.SURVEYHUB_TRUSTED_PROXIES = 1
    client.force_login(UserFactory(role=Role.MANAGER))

    client.get(
        f"/api/v1/customers/{person.customer.pk}/",
        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded,
    )  # fmt: skip

    assert PersonalDataAccess.objects.get(action="view").ip_address == logged


def test_listing_customers_is_logged_with_how_many_were_shown(client, person):
    client.force_login(UserFactory(role=Role.MANAGER))

    client.get("/api/v1/customers/")
    client.get("/staff/customers/?q=王")
    client.get("/admin/surveys/customer/?q=王")

    rows = PersonalDataAccess.objects.filter(action="list").order_by("pk")
    assert [(e.channel, e.count) for e in rows] == [("api", 2), ("page", 1), ("admin", 1)]
    assert all("王" not in e.path for e in rows)  # a search for a name is not copied here


def test_the_360_page_the_admin_page_and_the_response_api_are_logged(client, person):
    client.force_login(UserFactory(role=Role.ADMIN))

    client.get(f"/staff/customers/{person.customer.pk}/")
    client.get(f"/admin/surveys/customer/{person.customer.pk}/change/")
    client.get(f"/api/v1/responses/{person.response.pk}/")

    pk = person.customer.pk
    assert entries(action="view") == [
        ("view", "page", "customer", pk),
        ("view", "admin", "customer", pk),
        ("view", "api", "response", pk),
    ]


def test_case_and_feedback_pages_showing_the_customer_are_logged(client, person):
    client.force_login(UserFactory(role=Role.AGENT))
    item = FeedbackItem.objects.filter(customer=person.customer).first()

    assert client.get(f"/staff/cases/{person.case.pk}/").status_code == 200
    assert client.get(f"/api/v1/cases/{person.case.pk}/").status_code == 200
    assert client.get(f"/staff/feedback/{item.pk}/").status_code == 200

    assert [(channel, resource) for _a, channel, resource, _c in entries(action="view")] == [
        ("page", "case"), ("api", "case"), ("page", "feedback"),
    ]  # fmt: skip


def test_admins_read_the_log_in_the_admin_filtered_but_cannot_change_it(client, person):
    client.force_login(UserFactory(role=Role.ADMIN))
    client.get(f"/api/v1/customers/{person.customer.pk}/")
    entry = PersonalDataAccess.objects.get()

    listing = client.get("/admin/surveys/personaldataaccess/?action__exact=view")
    assert listing.status_code == 200
    assert "api" in listing.content.decode()
    assert client.get(f"/admin/surveys/personaldataaccess/{entry.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/surveys/personaldataaccess/{entry.pk}/change/", {}).status_code == 403
    )
    assert client.get("/admin/surveys/personaldataaccess/add/").status_code == 403
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_managers_cannot_read_the_log(client):
    client.force_login(UserFactory(role=Role.MANAGER))

    assert client.get("/admin/surveys/personaldataaccess/").status_code == 403


def test_the_feedback_api_and_the_responses_list_are_logged(client, person):
    client.force_login(UserFactory(role=Role.MANAGER))
    item = FeedbackItem.objects.filter(customer=person.customer).first()

    client.get(f"/api/v1/feedback/{item.pk}/")
    client.get("/api/v1/responses/")

    assert entries() == [
        ("view", "api", "feedback", person.customer.pk),
        ("list", "api", "responses", None),
    ]
    assert PersonalDataAccess.objects.get(action="list").count == 2  # both known customers


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dashboard_exports_hold_aggregates_only_so_they_need_no_entry(client, person, fmt):
    import io

    from tests.privacy.conftest import COMMENT, EMAIL, EXTERNAL_ID, NAME

    client.force_login(UserFactory(role=Role.MANAGER))

    response = client.get(f"/admin/dashboard/export.{fmt}")

    assert response.status_code == 200
    body = response.content
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body))
        body = "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        ).encode()
    text = body.decode("utf-8-sig")
    assert "NPS" in text  # the export has content
    assert not any(needle in text for needle in (NAME, EMAIL, EXTERNAL_ID, COMMENT, "李四"))
    assert not PersonalDataAccess.objects.exists()


def test_the_customer_values_export_command_is_logged(person, tmp_path):
    import datetime as dt

    from django.core.management import call_command

    from analytics.models import ClvRun, CustomerValue

    run = ClvRun.objects.create(as_of=dt.date(2026, 6, 30), r=1, alpha=1, a=1, b=1,
                                bgnbd_log_likelihood=0, n_customers=1)  # fmt: skip
    CustomerValue.objects.create(
        run=run, customer=person.customer, frequency=2, recency=1, T=2, monetary=100,
        recency_days=10, orders=3, spend="518.50", r_score=5, f_score=5, m_score=5,
        rfm_segment="important_value", p_alive=0.9, expected_orders_1y=2, clv="300.00",
        value_tier="high",
    )  # fmt: skip

    call_command("export_customer_values", str(tmp_path / "values.csv"))

    assert entries() == [("export", "shell", "customer_values", None)]
