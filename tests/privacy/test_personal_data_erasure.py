"""Erasure: the person is unfindable everywhere, the metrics do not move, and they are not
contacted again."""

import json
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import connection
from django.utils import timezone, translation

from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.purchase_metrics import rfm_report
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.models import ImportJob, Purchase
from feedback.models import CaseEvent, CaseNote, CaseReply, FeedbackItem
from surveyhub.security.roles import Role
from surveys.customers.queries import customers_directory
from surveys.models import (
    Answer,
    ContactSuppression,
    Customer,
    Distribution,
    PersonalDataAccess,
)
from surveys.privacy.personal_data import (
    ERASED_TEXT,
    PersonalDataError,
    PersonalDataHandler,
    personal_data_erase,
    register_personal_data,
    unregister_personal_data,
)
from tests.factories import CustomerFactory, UserFactory
from tests.privacy.conftest import COMMENT, EMAIL, EXTERNAL_ID, NAME, PHONE
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


def _dashboard_numbers():
    today = timezone.localdate()
    summary = metric_summary(MetricFilters())
    return {
        "nps": (summary.nps.value, summary.nps.n, summary.nps.promoters, summary.nps.detractors),
        "rfm": [
            (r["code"], r["customers"], r["revenue"], r["nps"].n) for r in rfm_report(as_of=today)
        ],
        "region": metric_summary(MetricFilters(region="上海")).nps.n,
    }  # fmt: skip


def _everything_as_text() -> str:
    """Every row of every table that can hold a person's data, as one string."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith(("surveys_", "feedback_", "analytics_", "django_admin_log")):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.append(json.dumps(cursor.fetchall(), default=str, ensure_ascii=False))
    return "\n".join(chunks)


def test_after_erasure_the_person_is_found_nowhere_and_the_metrics_are_unchanged(person):
    # Staff typed the person's external ID into an audience; an import rejected their email.
    Distribution.objects.create(
        survey=person.response.survey, audience={"external_ids": [EXTERNAL_ID, "C-OTHER"]}
    )
    ImportJob.objects.create(
        kind="customers", errors=[{"row": 3, "column": "email", "value": EMAIL, "message": "x"}]
    )
    admin = UserFactory(role=Role.ADMIN)
    LogEntry.objects.log_actions(admin.pk, [person.customer], CHANGE, change_message="电话")
    before = _dashboard_numbers()

    result = personal_data_erase(customer=person.customer, by=admin)

    after = _dashboard_numbers()
    # Region is cleared (it helps single a person out): only the regional cut loses them.
    assert after["region"] == before["region"] - 1
    assert {**after, "region": None} == {**before, "region": None}
    for needle in (NAME, EMAIL, "xiaoming", PHONE, "13912345678", EXTERNAL_ID, "1990-05-01"):
        assert needle not in _everything_as_text(), needle
        assert not customers_directory(search=needle, include_merged=True).exists()
    assert sum(result["records"].values()) > 0
    placeholder = Customer.objects.get(pk=person.customer.pk)
    assert placeholder.pseudonym.startswith("anon-") and placeholder.erased_at
    assert (placeholder.unsubscribed, placeholder.consent) == (True, False)
    # Scores, labels and purchases stay; the words go.
    assert Answer.objects.get(response=person.response, question_key="comment").text == ERASED_TEXT
    assert Answer.objects.get(response=person.response, question_key="nps").number == 3
    # Nothing is left on the old row: it all moved to a new anonymous key.
    assert placeholder.purchases.count() == 0 and placeholder.responses.count() == 0
    key = Customer.objects.filter(purchases__isnull=False, erased_at__isnull=False).distinct().get()
    assert key.pk != placeholder.pk and key.purchases.count() == 3
    assert (key.name, key.region, key.language, key.unsubscribed) == ("", "", "", True)
    assert CaseNote.objects.get(case=person.case).text == ERASED_TEXT
    assert CaseReply.objects.get(case=person.case).to_email == ""
    assert FeedbackItem.objects.filter(customer=placeholder).exclude(text=ERASED_TEXT).count() == 0
    # The other customer is untouched.
    other = Customer.objects.get(pk=person.other.pk)
    assert (other.name, other.email) == ("李四", "li.si@example.cn")
    assert FeedbackItem.objects.filter(response__customer=other, text="很好").exists()
    assert PersonalDataAccess.objects.filter(action="erase", customer_id=placeholder.pk).exists()


def test_the_invitation_link_of_an_erased_person_opens_nothing(client, person):
    from tests.surveys.distribution.helpers import token_of

    token = token_of(person.invitation)
    assert client.get(f"/i/{token}/").status_code == 200

    personal_data_erase(customer=person.customer)

    assert client.get(f"/i/{token}/").status_code == 404


def test_a_reimported_erased_person_is_never_invited_again(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    personal_data_erase(customer=person.customer)
    assert ContactSuppression.objects.filter(kind="email").count() == 1
    mailoutbox.clear()
    again = CustomerFactory(name=NAME, email=EMAIL.upper(), phone="")  # a later import
    newcomer = CustomerFactory(email="newcomer@example.cn")

    distribution = email_distribution(person.response.survey, [again, newcomer])
    send_now(distribution, django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["newcomer@example.cn"]]
    assert distribution.invitations.get(customer=again).skip_reason == "unsubscribed"


def test_erasure_is_all_or_nothing(person):
    def failing(ids):
        raise RuntimeError("disk full")

    register_personal_data(
        PersonalDataHandler(key="zz_failing", order=999, export=lambda ids: [], erase=failing)
    )
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            personal_data_erase(customer=person.customer)
    finally:
        unregister_personal_data("zz_failing")

    customer = Customer.objects.get(pk=person.customer.pk)
    assert (customer.name, customer.email, customer.erased_at) == (NAME, EMAIL, None)
    assert Answer.objects.get(response=person.response, question_key="comment").text == COMMENT
    assert not ContactSuppression.objects.exists()
    assert not PersonalDataAccess.objects.filter(action="erase").exists()


def test_erasing_twice_is_refused_with_a_clear_message(person):
    personal_data_erase(customer=person.customer)

    with translation.override("en"), pytest.raises(PersonalDataError, match="already erased"):
        personal_data_erase(customer=person.customer)


def test_merged_duplicates_of_the_person_are_erased_too(person):
    from surveys.customers.services import customer_merge

    duplicate = CustomerFactory(name="王小明（旧）", email="old.wang@example.cn", phone="")
    customer_merge(keep=person.customer, duplicate=duplicate)

    personal_data_erase(customer=person.customer)

    duplicate.refresh_from_db()
    assert (duplicate.name, duplicate.email, duplicate.erased_at is not None) == ("", "", True)


def test_erasing_a_merged_duplicate_erases_the_person_it_was_merged_into(person):
    from surveys.customers.services import customer_merge

    duplicate = CustomerFactory(name="王小明（旧）", email="old.wang@example.cn", phone="")
    customer_merge(keep=person.customer, duplicate=duplicate)

    personal_data_erase(customer=duplicate)

    assert Customer.objects.get(pk=person.customer.pk).name == ""


def test_case_events_lose_the_reply_address(person):
    assert CaseEvent.objects.filter(case=person.case, after__to=EMAIL).exists()

    personal_data_erase(customer=person.customer)

    assert not CaseEvent.objects.filter(case=person.case, after__to=EMAIL).exists()
    assert CaseEvent.objects.filter(case=person.case, kind="reply_queued").count() == 1


def test_old_purchases_keep_counting_in_revenue_after_erasure(person):
    since = timezone.now() - timedelta(days=500)
    revenue = sum(p.amount for p in Purchase.objects.filter(ordered_at__gte=since))
    theirs = sorted(person.customer.purchases.values_list("amount", flat=True))

    personal_data_erase(customer=person.customer)

    assert sum(p.amount for p in Purchase.objects.filter(ordered_at__gte=since)) == revenue
    key = Purchase.objects.filter(order_id__startswith="erased-").first().customer
    assert sorted(key.purchases.values_list("amount", flat=True)) == theirs
