"""Invitation counts per distribution: sent, delivered, opened, started, completed, skipped."""

import pytest
from django.utils import timezone

from surveys.distribution.queries import counts_of, distribution_counts, distributions_with_counts
from surveys.models import Response, ResponseStatus
from tests.surveys.distribution.helpers import email_distribution, send_now

pytestmark = pytest.mark.django_db


def respond(invitation, *, completed):
    survey = invitation.distribution.survey
    Response.objects.create(
        survey=survey, version=survey.current_version, customer=invitation.customer,
        invitation=invitation, channel="email",
        status=ResponseStatus.COMPLETED if completed else ResponseStatus.IN_PROGRESS,
        completed_at=timezone.now() if completed else None,
    )  # fmt: skip


def test_counts_follow_opens_starts_and_completions_in_one_query(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries
):
    names = ["唐嫣", "胡歌", "刘诗诗", "霍建华"]
    people = [customer(n, f"user{i}@example.cn") for i, n in enumerate(names)]
    people.append(customer("邓超", "deng.chao@example.cn", unsubscribed=True))
    distribution = email_distribution(survey, people)
    send_now(distribution, django_capture_on_commit_callbacks)
    invitations = list(distribution.invitations.order_by("pk"))
    invitations[0].opened_at = invitations[1].opened_at = timezone.now()
    for invitation in invitations[:2]:
        invitation.save()
    respond(invitations[0], completed=True)
    respond(invitations[1], completed=False)

    with django_assert_num_queries(1):
        counts = distribution_counts(distribution)

    assert counts == {
        "invited": 4, "sent": 4, "delivered": 4, "bounced": 0, "failed": 0, "pending": 0,
        "opened": 2, "started": 2, "completed": 1, "skipped_unsubscribed": 1,
        "skipped_frequency_cap": 0, "skipped_other": 0,
    }  # fmt: skip
    (annotated,) = distributions_with_counts()
    assert counts_of(annotated) == counts
