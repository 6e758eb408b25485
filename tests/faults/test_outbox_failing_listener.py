"""A listener of `response_submitted` that keeps failing for one response: the outbox sweep
goes on past it (the other responses get their feedback and cases), re-drives it with
exponential backoff, gives up after the limit, then shows it to Admins (the outbox page,
/healthz, an email) until one of them re-drives it. Runs on SQLite and, with DATABASE_URL,
on PostgreSQL: the real receivers, the real database, a real failing receiver."""

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from feedback.models import FeedbackItem
from feedback.models.cases import Case
from surveyhub.security.roles import Role
from surveys.models import Response
from surveys.responding.outbox import response_announce, responses_unannounced
from surveys.responding.tasks import sweep_unannounced_responses
from surveys.signals import response_submitted
from tests.factories import UserFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db


class Breakage:
    """What the failing receiver does: raise `error` for answers containing "BOOM"."""

    def __init__(self):
        self.error: Exception | None = RuntimeError("CRM is down")
        self.calls: list[int] = []


@pytest.fixture
def breakage(settings):
    settings.SURVEYHUB_ANNOUNCE_RETRY_SECONDS = 30
    settings.SURVEYHUB_ANNOUNCE_MAX_ATTEMPTS = 3
    state = Breakage()

    def crm_sync(sender, *, response_id: int, **kwargs) -> None:
        state.calls.append(response_id)
        texts = Response.objects.get(pk=response_id).answers.values_list("text", flat=True)
        if state.error is not None and any("BOOM" in (t or "") for t in texts):
            raise state.error

    response_submitted.connect(crm_sync, dispatch_uid="tests.breakage")
    yield state
    response_submitted.disconnect(dispatch_uid="tests.breakage")


def _detractors(*comments: str) -> list[Response]:
    """Completed, not yet announced responses (oldest first), as a broker-mode submit leaves
    them: this test's transaction never commits, so no on-commit announcement runs."""
    survey = published_survey(consent_text="")
    responses = [submitted_response(survey=survey, data={"nps": 2, "comment": c}) for c in comments]
    start = timezone.now() - dt.timedelta(minutes=10)
    for i, response in enumerate(responses):
        Response.objects.filter(pk=response.pk).update(completed_at=start + dt.timedelta(seconds=i))
    return responses


def _retry_due_now(response: Response) -> None:
    Response.objects.filter(pk=response.pk).update(
        announce_retry_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_the_sweep_goes_past_a_failing_response_and_the_others_get_their_cases(breakage):
    failing, second, third = _detractors("BOOM 物流太慢", "客服态度差", "包装破了")

    assert sweep_unannounced_responses() == 2

    for ok in (second, third):
        ok.refresh_from_db()
        assert ok.announced_at is not None
        assert Case.objects.filter(response=ok).exists()
        assert FeedbackItem.objects.filter(response=ok).exists()
    failing.refresh_from_db()
    assert failing.announced_at is None
    assert failing.announce_attempts == 1
    assert "RuntimeError: CRM is down" in failing.announce_error
    assert "crm_sync" in failing.announce_error


def test_a_failed_response_is_retried_with_exponential_backoff(breakage):
    (failing,) = _detractors("BOOM")
    before = timezone.now()
    sweep_unannounced_responses()
    failing.refresh_from_db()
    first_delay = failing.announce_retry_at - before
    assert dt.timedelta(seconds=29) < first_delay <= dt.timedelta(seconds=31)

    # Not due yet: the next sweeps leave it alone.
    assert responses_unannounced() == []
    sweep_unannounced_responses()
    failing.refresh_from_db()
    assert failing.announce_attempts == 1

    _retry_due_now(failing)
    before = timezone.now()
    sweep_unannounced_responses()
    failing.refresh_from_db()
    assert failing.announce_attempts == 2
    second_delay = failing.announce_retry_at - before
    assert dt.timedelta(seconds=59) < second_delay <= dt.timedelta(seconds=61)


def test_a_response_that_recovers_is_announced_and_gets_its_case(breakage):
    (failing,) = _detractors("BOOM 退货太麻烦")
    sweep_unannounced_responses()
    breakage.error = None  # the CRM is back
    _retry_due_now(failing)

    assert sweep_unannounced_responses() == 1

    failing.refresh_from_db()
    assert failing.announced_at is not None
    assert failing.announce_error == ""
    assert Case.objects.filter(response=failing).count() == 1  # listeners ran twice: one case


def test_after_the_limit_it_is_given_up_shown_to_admins_and_they_are_emailed(
    breakage, client, mailoutbox
):
    admin = UserFactory(username="it-admin", email="it@example.cn", role=Role.ADMIN)
    UserFactory(username="agent-1", email="agent@example.cn", role=Role.AGENT)
    (failing,) = _detractors("BOOM")
    for _attempt in range(3):
        _retry_due_now(failing)
        sweep_unannounced_responses()
    failing.refresh_from_db()

    assert failing.announce_attempts == 3
    assert failing.announce_failed_at is not None
    assert failing.announce_retry_at is None
    _retry_due_now(failing)
    assert responses_unannounced() == []  # no longer swept: an Admin decides
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["it@example.cn"]
    assert f"#{failing.pk}" in mailoutbox[0].body
    assert "/staff/outbox/" in mailoutbox[0].body

    assert client.get("/healthz").json()["responses_failed_to_announce"] == 1
    client.force_login(admin)
    assert 'id="outbox-link"' in client.get("/admin/").content.decode()
    page = client.get("/staff/outbox/")
    assert page.status_code == 200
    assert f'id="failed-{failing.pk}"' in page.content.decode()
    assert "CRM is down" in page.content.decode()


def test_an_admin_re_drives_a_failed_response_once_the_cause_is_fixed(breakage, client):
    admin = UserFactory(username="it-admin", role=Role.ADMIN)
    (failing,) = _detractors("BOOM 想退款")
    Response.objects.filter(pk=failing.pk).update(
        announce_attempts=3, announce_failed_at=timezone.now(), announce_error="x"
    )
    client.force_login(admin)

    # Still broken: the re-drive tries, fails, and starts a fresh round of retries.
    client.post("/staff/outbox/redrive/", {"response": failing.pk})
    failing.refresh_from_db()
    assert (failing.announced_at, failing.announce_failed_at) == (None, None)
    assert failing.announce_attempts == 1
    assert failing.announce_retry_at is not None

    breakage.error = None
    Response.objects.filter(pk=failing.pk).update(announce_failed_at=timezone.now())
    reply = client.post("/staff/outbox/redrive/", follow=True)

    assert reply.status_code == 200
    failing.refresh_from_db()
    assert failing.announced_at is not None
    assert Case.objects.filter(response=failing).count() == 1
    assert 'id="outbox-empty"' in reply.content.decode()
    assert client.get("/healthz").json()["responses_failed_to_announce"] == 0


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AGENT])
def test_only_admins_see_and_re_drive_the_outbox(breakage, client, role):
    (failing,) = _detractors("BOOM")
    Response.objects.filter(pk=failing.pk).update(announce_failed_at=timezone.now())
    client.force_login(UserFactory(role=role))

    assert client.get("/staff/outbox/").status_code == 403
    assert client.post("/staff/outbox/redrive/").status_code == 403
    failing.refresh_from_db()
    assert failing.announce_failed_at is not None
    assert breakage.calls == []


def test_a_locked_database_in_a_listener_is_retried_next_sweep_and_never_given_up(breakage):
    breakage.error = OperationalError("database is locked")
    (failing,) = _detractors("BOOM")
    for _sweep in range(5):  # more than the limit of 3
        assert response_announce(response_id=failing.pk) is False
    failing.refresh_from_db()

    assert failing.announce_attempts == 0
    assert failing.announce_failed_at is None
    assert failing.announce_retry_at <= timezone.now()
    assert responses_unannounced() == [failing.pk]
    assert "database is locked" in failing.announce_error


def test_the_outbox_page_shows_an_error_text_as_text(client):
    admin = UserFactory(username="it-admin-2", role=Role.ADMIN)
    (failing,) = _detractors("<script>alert(1)</script> 退款")
    Response.objects.filter(pk=failing.pk).update(
        announce_attempts=3, announce_failed_at=timezone.now(),
        announce_error='ValueError: "><img src=x onerror=alert(1)> 坏了',
    )  # fmt: skip
    client.force_login(admin)
    page = client.get("/staff/outbox/").content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; 坏了" in page
