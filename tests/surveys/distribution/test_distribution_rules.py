"""The rules of creating, sending and cancelling a distribution, each at its edge.

Through the services staff pages and the API call (`distribution_create`, `distribution_send`,
`distribution_cancel`): the schedule's bounds (reminders after 1..90 days, 0..5 reminders), the
messages a designer reads, who is skipped and why (in that order), the contact cap at 29/30/31
days with cancelled invitations and other surveys, and what cancelling does to the invitations.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from surveys.design.services import survey_close, survey_create
from surveys.distribution.invitations import (
    MAX_REMINDER_AFTER_DAYS,
    MAX_REMINDERS,
    DistributionError,
    distribution_cancel,
    distribution_create,
    distribution_send,
)
from surveys.distribution.tokens import hash_token, token_for
from surveys.models import (
    Distribution,
    DistributionStatus,
    Invitation,
    InvitationStatus,
    SkipReason,
)
from surveys.privacy.suppression import suppress_contact
from tests.factories import CustomerFactory, published_survey
from tests.surveys.distribution.helpers import email_distribution, invited_before

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _create(survey, **options):
    arguments = {"survey": survey, "channel": "email", "audience": {"all": True}, **options}
    return distribution_create(**arguments)


def _refusal(survey, **options) -> DistributionError:
    with pytest.raises(DistributionError) as error:
        _create(survey, **options)
    assert error.value.message == "The distribution is not valid."
    return error.value


# Creating ---------------------------------------------------------------------------------


def test_the_bounds_are_what_the_messages_say():
    assert (MAX_REMINDERS, MAX_REMINDER_AFTER_DAYS) == (5, 90)


@pytest.mark.parametrize("days", [1, 2, 89, 90])
def test_reminding_after_1_to_90_days_is_accepted(survey, days):
    distribution = _create(survey, reminder_after_days=days, max_reminders=1)

    distribution.refresh_from_db()
    assert (distribution.reminder_after_days, distribution.max_reminders) == (days, 1)


@pytest.mark.parametrize("days", [0, 91, -1])
def test_reminding_after_0_or_91_days_is_refused_saying_the_range(survey, days):
    error = _refusal(survey, reminder_after_days=days, max_reminders=1)

    assert error.errors == {"reminder_after_days": ["Remind after 1 to 90 days."]}
    assert not Distribution.objects.exists()


@pytest.mark.parametrize("count", [0, 1, 5])
def test_0_to_5_reminders_are_accepted(survey, count):
    distribution = _create(survey, reminder_after_days=3, max_reminders=count)

    distribution.refresh_from_db()
    assert distribution.max_reminders == count


@pytest.mark.parametrize("count", [-1, 6])
def test_more_than_5_or_fewer_than_0_reminders_are_refused_saying_the_range(survey, count):
    error = _refusal(survey, reminder_after_days=3, max_reminders=count)

    assert error.errors == {"max_reminders": ["Send 0 to 5 reminders."]}


def test_too_many_reminders_without_a_delay_names_only_the_count(survey):
    error = _refusal(survey, max_reminders=6)

    assert error.errors == {"max_reminders": ["Send 0 to 5 reminders."]}


def test_reminders_without_a_delay_are_refused_saying_what_to_do(survey):
    error = _refusal(survey, max_reminders=1)

    assert error.errors == {
        "reminder_after_days": [
            "Say after how many days to remind, or set the number of reminders to 0."
        ]
    }


def test_no_reminders_need_no_delay(survey):
    distribution = _create(survey, max_reminders=0)

    distribution.refresh_from_db()
    assert (distribution.reminder_after_days, distribution.max_reminders) == (None, 0)


def test_a_delay_without_reminders_is_kept(survey):
    distribution = _create(survey, reminder_after_days=7)

    distribution.refresh_from_db()
    assert (distribution.reminder_after_days, distribution.max_reminders) == (7, 0)


def test_a_sending_time_without_a_time_zone_is_refused(survey):
    naive = timezone.make_naive(timezone.now() + timedelta(days=1))

    error = _refusal(survey, send_at=naive)

    assert error.errors == {"send_at": ["Give the sending time with its time zone."]}


def test_every_broken_rule_is_reported_at_once(survey):
    naive = timezone.make_naive(timezone.now() + timedelta(days=1))

    error = _refusal(survey, send_at=naive, reminder_after_days=0, max_reminders=6)

    assert sorted(error.errors) == ["max_reminders", "reminder_after_days", "send_at"]


def test_an_unknown_channel_is_refused_listing_the_channels(survey):
    error = _refusal(survey, channel="fax")

    assert error.errors == {
        "channel": ["Unknown channel “fax”; expected one of: email, link, sms."]
    }


def test_a_closed_survey_takes_no_new_distribution(survey):
    survey_close(survey=survey)
    survey.refresh_from_db()

    error = _refusal(survey)

    assert error.errors == {
        "survey": ["This survey is closed; reopen it or choose another survey."]
    }


def test_a_link_distribution_with_an_audience_is_refused(survey):
    error = _refusal(survey, channel="link", audience={"all": True})

    assert error.errors == {
        "audience": ["A link distribution has no audience: anyone with the link can answer."]
    }


@pytest.mark.parametrize("audience", [None, {}])
def test_a_link_distribution_without_an_audience_is_created_with_an_empty_one(survey, audience):
    distribution = distribution_create(survey=survey, channel="link", audience=audience)

    distribution.refresh_from_db()
    assert (distribution.channel, distribution.audience) == ("link", {})
    assert distribution.status == DistributionStatus.DRAFT


def test_an_email_distribution_keeps_everything_it_was_given(survey):
    designer = get_user_model().objects.create_user("designer", password="x")
    send_at = timezone.now() + timedelta(days=2)
    customer = CustomerFactory()

    distribution = distribution_create(
        survey=survey,
        channel="email",
        audience={"customer_ids": [customer.pk]},
        send_at=send_at,
        reminder_after_days=4,
        max_reminders=2,
        name="  Spring wave  ",
        by=designer,
        follows_up_contact=True,
    )

    distribution.refresh_from_db()
    assert distribution.survey == survey
    assert distribution.audience == {"customer_ids": [customer.pk]}
    assert distribution.send_at == send_at
    assert (distribution.reminder_after_days, distribution.max_reminders) == (4, 2)
    assert distribution.name == "Spring wave"
    assert distribution.created_by == designer
    assert distribution.follows_up_contact is True
    assert distribution.status == DistributionStatus.DRAFT


def test_a_distribution_is_no_follow_up_unless_said(survey):
    distribution = _create(survey)

    distribution.refresh_from_db()
    assert distribution.follows_up_contact is False
    assert (distribution.name, distribution.created_by, distribution.send_at) == ("", None, None)


def test_a_name_longer_than_its_column_is_refused_naming_the_field(survey):
    error = _refusal(survey, name="名" * 201)

    assert list(error.errors) == ["name"]
    assert not Distribution.objects.exists()


# Sending ----------------------------------------------------------------------------------


def test_sending_marks_the_distribution_sending_and_queues_it(survey, customer):
    distribution = email_distribution(survey, [customer()])
    before = timezone.now()

    sent = distribution_send(distribution=distribution)

    sent.refresh_from_db()
    assert sent.status == DistributionStatus.SENDING
    assert before <= sent.queued_at <= timezone.now()
    (invitation,) = sent.invitations.all()
    assert invitation.status == InvitationStatus.PENDING
    assert invitation.skip_reason == ""


def test_a_distribution_whose_audience_is_all_skipped_is_sent_at_once(survey, customer):
    distribution = email_distribution(survey, [customer(unsubscribed=True)])

    sent = distribution_send(distribution=distribution)

    sent.refresh_from_db()
    assert sent.status == DistributionStatus.SENT
    assert sent.queued_at is not None


def test_each_invitation_carries_a_working_link_in_the_customers_language(survey, customer):
    english = customer(name="Ann Lee", email="ann@example.com", language="en")
    chinese = customer(name="李雷", email="li.lei@example.cn", language="zh-hans")
    distribution = email_distribution(survey, [english, chinese])

    distribution_send(distribution=distribution)

    invitations = {i.customer_id: i for i in Invitation.objects.filter(distribution=distribution)}
    assert invitations[english.pk].language == "en"
    assert invitations[chinese.pk].language == "zh-hans"
    for invitation in invitations.values():
        assert invitation.token_hash == hash_token(token_for(invitation.token_seed))
    assert invitations[english.pk].token_seed != invitations[chinese.pk].token_seed


def test_a_cancelled_distribution_cannot_be_sent(survey, customer):
    distribution = email_distribution(survey, [customer()])
    distribution_cancel(distribution=distribution)

    with pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    assert error.value.message == "This distribution was cancelled; create a new one."
    assert not Invitation.objects.exists()


def test_a_link_distribution_says_how_to_share_it(survey):
    distribution = distribution_create(survey=survey, channel="link", audience={})

    with pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    assert error.value.message == (
        "A link distribution sends nothing: share the survey's link or QR code."
    )
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.DRAFT


def test_a_closed_survey_refuses_to_send_naming_it(survey, customer):
    distribution = email_distribution(survey, [customer()])
    survey_close(survey=survey)

    with pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    expected = f"The survey “{survey.title}” is closed; invitations can no longer be sent."
    assert error.value.message == expected
    assert error.value.errors == {"survey": [expected]}
    assert not Invitation.objects.exists()


def test_a_survey_past_its_closing_time_refuses_to_send(survey, customer):
    distribution = email_distribution(survey, [customer()])
    type(survey).objects.filter(pk=survey.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    assert "is closed; invitations can no longer be sent" in error.value.message


def test_a_survey_closing_later_still_sends(survey, customer):
    distribution = email_distribution(survey, [customer()])
    type(survey).objects.filter(pk=survey.pk).update(closes_at=timezone.now() + timedelta(hours=1))

    sent = distribution_send(distribution=distribution)

    assert sent.status == DistributionStatus.SENDING


def test_a_sending_time_just_past_sends_now(survey, customer):
    distribution = email_distribution(
        survey, [customer()], send_at=timezone.now() + timedelta(days=1)
    )
    Distribution.objects.filter(pk=distribution.pk).update(
        send_at=timezone.now() - timedelta(seconds=1)
    )

    sent = distribution_send(distribution=distribution)

    assert sent.status == DistributionStatus.SENDING
    assert sent.invitations.count() == 1


def test_a_future_sending_time_only_schedules(survey, customer):
    distribution = email_distribution(
        survey, [customer()], send_at=timezone.now() + timedelta(minutes=1)
    )

    scheduled = distribution_send(distribution=distribution)

    scheduled.refresh_from_db()
    assert scheduled.status == DistributionStatus.SCHEDULED
    assert scheduled.queued_at is None
    assert not Invitation.objects.exists()


def test_an_audience_no_longer_valid_when_sending_is_refused_with_its_first_problem(
    survey, customer
):
    distribution = email_distribution(survey, [customer()])
    # Saved by an earlier version, or a filter whose app is gone: found out only now.
    # (PostgreSQL's jsonb orders keys shorter first, so this order holds on both databases.)
    Distribution.objects.filter(pk=distribution.pk).update(audience={"mood": 2, "zodiac": 1})

    with pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    problems = error.value.errors["audience"]
    assert len(problems) == 2
    assert problems[0].startswith("Unknown audience filter: mood (available: ")
    assert problems[1].startswith("Unknown audience filter: zodiac (available: ")
    assert error.value.message == problems[0]
    assert list(error.value.errors) == ["audience"]
    assert not Invitation.objects.exists()
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.DRAFT


def test_sending_again_while_invitations_wait_queues_them_again(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    distribution = email_distribution(survey, [customer(), customer(email="b@example.cn")])
    distribution_send(distribution=distribution)  # its batch was lost: nothing went out
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        distribution_send(distribution=distribution)

    assert len(mailoutbox) == 2
    assert set(Invitation.objects.values_list("status", flat=True)) == {InvitationStatus.SENT}


def test_a_draft_survey_refuses_to_send_naming_it(customer):
    draft = survey_create(title="门店服务评价", slug="draft-rules", kind="nps")
    distribution = email_distribution(draft, [customer()])

    with pytest.raises(DistributionError) as error:
        distribution_send(distribution=distribution)

    expected = "The survey “门店服务评价” is a draft; publish it before sending invitations."
    assert error.value.message == expected
    assert error.value.errors == {"survey": [expected]}


def test_sending_again_creates_no_second_invitation(survey, customer):
    distribution = email_distribution(survey, [customer(), customer(email="b@example.cn")])
    distribution_send(distribution=distribution)

    again = distribution_send(distribution=distribution)

    assert again.status == DistributionStatus.SENDING
    assert Invitation.objects.filter(distribution=distribution).count() == 2


def _queries_to_send(survey, count: int) -> int:
    people = [
        CustomerFactory(email=f"q{count}-{n}@example.cn", phone=f"1390000{count:02d}{n:02d}")
        for n in range(count)
    ]
    distribution = email_distribution(survey, people)
    with CaptureQueriesContext(connection) as queries:
        distribution_send(distribution=distribution)
    assert Invitation.objects.filter(distribution=distribution).count() == count
    return len(queries)


def test_sending_reads_each_customer_once_whatever_the_audience_size(survey):
    # Every field the skip rules, the suppression list and the invitation read is loaded with
    # the audience: no query per customer.
    suppress_contact(email="erased@example.cn", phone="13911112222")

    assert _queries_to_send(survey, 2) == _queries_to_send(survey, 6)


# Who is skipped, and why ------------------------------------------------------------------


def _skip_reasons(survey, *customers, **options) -> dict[int, str]:
    distribution = email_distribution(survey, customers, **options)
    distribution_send(distribution=distribution)
    return {
        i.customer_id: i.skip_reason for i in Invitation.objects.filter(distribution=distribution)
    }


def test_the_first_reason_to_skip_is_recorded(survey, customer):
    unsubscribed = customer(
        email="u@example.cn", unsubscribed=True, consent=False
    )  # and no consent: unsubscribed wins
    no_consent = customer(email="c@example.cn", consent=False)
    no_email = customer(email="")
    capped = customer(email="capped@example.cn")
    invited_before(capped, days=1)
    capped_and_no_consent = customer(email="both@example.cn", consent=False)
    invited_before(capped_and_no_consent, days=1)

    reasons = _skip_reasons(
        survey, unsubscribed, no_consent, no_email, capped, capped_and_no_consent
    )

    assert reasons == {
        unsubscribed.pk: SkipReason.UNSUBSCRIBED,
        no_consent.pk: SkipReason.NO_CONSENT,
        no_email.pk: SkipReason.NO_EMAIL,
        capped.pk: SkipReason.FREQUENCY_CAP,
        capped_and_no_consent.pk: SkipReason.NO_CONSENT,
    }
    assert set(
        Invitation.objects.filter(customer__in=[unsubscribed, no_email]).values_list(
            "status", flat=True
        )
    ) == {InvitationStatus.SKIPPED}


def test_an_erased_person_reimported_is_skipped_as_unsubscribed(survey, customer):
    returning = customer(email="gone@example.cn")
    suppress_contact(email="gone@example.cn")

    reasons = _skip_reasons(survey, returning)

    assert reasons == {returning.pk: SkipReason.UNSUBSCRIBED}


def test_a_follow_up_ignores_the_cap_but_not_an_unsubscribe(survey, customer):
    capped = customer(email="capped@example.cn")
    invited_before(capped, days=1)
    unsubscribed = customer(email="u@example.cn", unsubscribed=True)

    reasons = _skip_reasons(survey, capped, unsubscribed, follows_up_contact=True)

    assert reasons == {capped.pk: "", unsubscribed.pk: SkipReason.UNSUBSCRIBED}


@pytest.mark.parametrize(
    ("days", "reason"),
    [(29, SkipReason.FREQUENCY_CAP), (30, SkipReason.FREQUENCY_CAP), (31, "")],
)
def test_the_cap_at_29_30_and_31_days_through_sending(survey, customer, settings, days, reason):
    settings.SURVEYHUB_CONTACT_CAP_DAYS = 30
    person = customer()
    # A minute less than `days`, so that "30 days" is still inside the cap when sending runs.
    invitation = invited_before(person, days=days)
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=invitation.sent_at + timedelta(minutes=1)
    )

    assert _skip_reasons(survey, person) == {person.pk: reason}


def test_a_contact_by_the_same_survey_counts_too(survey, customer):
    person = customer()
    invited_before(person, days=3, survey=survey)

    assert _skip_reasons(survey, person) == {person.pk: SkipReason.FREQUENCY_CAP}


def test_a_cancelled_invitation_is_no_contact(survey, customer):
    person = customer()
    other = email_distribution(published_survey(consent_text=""), [person])
    distribution_send(distribution=other)
    distribution_cancel(distribution=other)

    assert _skip_reasons(survey, person) == {person.pk: ""}


def test_an_invitation_pending_in_another_distribution_being_sent_counts(survey, customer):
    person = customer()
    other = email_distribution(published_survey(consent_text=""), [person])
    distribution_send(distribution=other)  # its batch has not run: the invitation is pending

    assert _skip_reasons(survey, person) == {person.pk: SkipReason.FREQUENCY_CAP}


def test_an_unsubscribed_customer_mailed_recently_is_skipped_as_unsubscribed(survey, customer):
    person = customer(unsubscribed=True)
    invited_before(person, days=1)

    assert _skip_reasons(survey, person) == {person.pk: SkipReason.UNSUBSCRIBED}


# Cancelling -------------------------------------------------------------------------------


def _sending(survey, *customers) -> Distribution:
    distribution = email_distribution(survey, customers)
    return distribution_send(distribution=distribution)


def test_cancelling_fails_the_unsent_invitations_with_the_reason(survey, customer):
    waiting = customer(email="w@example.cn")
    skipped = customer(email="s@example.cn", unsubscribed=True)
    mailed = customer(email="m@example.cn")
    distribution = _sending(survey, waiting, skipped, mailed)
    Invitation.objects.filter(customer=mailed).update(status=InvitationStatus.SENT)

    cancelled = distribution_cancel(distribution=distribution, reason="Wrong survey")

    assert cancelled.status == DistributionStatus.CANCELLED
    cancelled.refresh_from_db()
    assert cancelled.status == DistributionStatus.CANCELLED
    rows = {
        i.customer_id: (i.status, i.last_error)
        for i in Invitation.objects.filter(distribution=distribution)
    }
    assert rows == {
        waiting.pk: (InvitationStatus.FAILED, "Wrong survey"),
        skipped.pk: (InvitationStatus.SKIPPED, ""),
        mailed.pk: (InvitationStatus.SENT, ""),
    }


def test_cancelling_without_a_reason_says_cancelled(survey, customer):
    distribution = _sending(survey, customer())

    with translation.override("en"):
        distribution_cancel(distribution=distribution)

    assert Invitation.objects.get().last_error == "The distribution was cancelled."


def test_a_long_reason_is_cut_to_500_characters(survey, customer):
    distribution = _sending(survey, customer())

    distribution_cancel(distribution=distribution, reason="理由" * 300)

    assert Invitation.objects.get().last_error == ("理由" * 300)[:500]


def test_a_draft_or_scheduled_distribution_can_be_cancelled(survey, customer):
    draft = email_distribution(survey, [customer()])
    scheduled = distribution_send(
        distribution=email_distribution(
            survey, [customer()], send_at=timezone.now() + timedelta(days=1)
        )
    )

    for distribution in (draft, scheduled):
        distribution_cancel(distribution=distribution)
        distribution.refresh_from_db()
        assert distribution.status == DistributionStatus.CANCELLED


def test_a_sent_distribution_cannot_be_cancelled(survey, customer):
    distribution = _sending(survey, customer(unsubscribed=True))  # nothing to send: sent
    assert distribution.status == DistributionStatus.SENT

    with pytest.raises(DistributionError) as error, translation.override("en"):
        distribution_cancel(distribution=distribution, reason="too late")

    assert error.value.message == (
        "This distribution has already been sent in full; there is nothing to cancel."
    )
    distribution.refresh_from_db()
    assert distribution.status == DistributionStatus.SENT
