"""Unsubscribes, consent and the global contact-frequency cap are enforced and counted."""

import pytest

from surveys.distribution.queries import distribution_counts
from surveys.models import InvitationStatus
from tests.surveys.distribution.helpers import email_distribution, invited_before, send_now

pytestmark = pytest.mark.django_db


def test_unsubscribed_unconsenting_and_addressless_customers_are_skipped_and_counted(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    wang = customer("王芳", "wang.fang@example.cn")
    unsubscribed = customer("李强", "li.qiang@example.cn", unsubscribed=True)
    no_consent = customer("张敏", "zhang.min@example.cn", consent=False)
    no_email = customer("刘伟", "")
    distribution = email_distribution(survey, [wang, unsubscribed, no_consent, no_email])

    send_now(distribution, django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["wang.fang@example.cn"]]
    reasons = dict(distribution.invitations.values_list("customer__name", "skip_reason"))
    assert reasons == {"王芳": "", "李强": "unsubscribed", "张敏": "no_consent", "刘伟": "no_email"}
    counts = distribution_counts(distribution)
    assert counts["invited"] == 1
    assert counts["sent"] == counts["delivered"] == 1
    assert counts["skipped_unsubscribed"] == 1
    assert counts["skipped_other"] == 2


def test_a_customer_invited_10_days_ago_by_another_survey_is_skipped_for_the_cap(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    recent = customer("陈晨", "chen.chen@example.cn")
    invited_before(recent, days=10)
    fresh = customer("周婷", "zhou.ting@example.cn")
    distribution = email_distribution(survey, [recent, fresh])

    send_now(distribution, django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["zhou.ting@example.cn"]]
    skipped = distribution.invitations.get(customer=recent)
    assert (skipped.status, skipped.skip_reason) == (InvitationStatus.SKIPPED, "frequency_cap")
    assert distribution_counts(distribution)["skipped_frequency_cap"] == 1


def test_a_customer_invited_31_days_ago_is_invited_again(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    earlier = customer("郑爽", "zheng.shuang@example.cn")
    invited_before(earlier, days=31)

    send_now(email_distribution(survey, [earlier]), django_capture_on_commit_callbacks)

    assert [m.to for m in mailoutbox] == [["zheng.shuang@example.cn"]]


def test_the_cap_follows_the_contact_cap_setting(
    survey, customer, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SURVEYHUB_CONTACT_CAP_DAYS = 7
    earlier = customer("冯刚", "feng.gang@example.cn")
    invited_before(earlier, days=10)

    send_now(email_distribution(survey, [earlier]), django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1


def test_two_distributions_sent_the_same_day_invite_a_customer_only_once(
    customer, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import published_survey

    gao = customer("高远", "gao.yuan@example.cn")
    first = email_distribution(published_survey(consent_text=""), [gao])
    second = email_distribution(published_survey(consent_text=""), [gao])

    send_now(first, django_capture_on_commit_callbacks)
    send_now(second, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert second.invitations.get().skip_reason == "frequency_cap"


def test_a_customer_who_unsubscribes_before_the_batch_runs_gets_nothing(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    from surveys.distribution.invitations import distribution_send
    from surveys.distribution.tasks import send_distribution_batch

    xu = customer("徐静", "xu.jing@example.cn")
    distribution = email_distribution(survey, [xu])
    distribution_send(distribution=distribution)  # batches not run yet
    xu.unsubscribed = True
    xu.save()

    send_distribution_batch.apply(args=(distribution.pk,))

    assert mailoutbox == []
    assert distribution.invitations.get().skip_reason == "unsubscribed"
