"""Brute force on the staff log-in forms and on API keys is throttled (surveyhub/login_throttle)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from surveyhub.models import LoginLockout
from surveyhub.security.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "pw-for-tests-1"  # tests/factories.UserFactory
ACCOUNT_LOCKED = "Too many failed log-in attempts for this account"
NETWORK_LOCKED = "Too many failed attempts from your network"


def log_in(client, username, password, ip="10.0.0.1", url=LOGIN):
    return client.post(
        url, {"username": username, "password": password},
        REMOTE_ADDR=ip, HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip


def fail(client, username, times, ip="10.0.0.1", url=LOGIN):
    return [log_in(client, username, "wrong", ip=ip, url=url) for _ in range(times)]


@pytest.fixture
def agent():
    return UserFactory(username="agent1", role=Role.AGENT)


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_message(client, agent):
    replies = fail(client, "agent1", 5)

    assert [r.status_code for r in replies] == [200, 200, 200, 200, 429]
    assert ACCOUNT_LOCKED not in replies[3].content.decode()
    assert ACCOUNT_LOCKED in replies[4].content.decode()
    refused = log_in(client, "agent1", PASSWORD)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 14 * 60
    assert ACCOUNT_LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_from_another_address_and_for_another_spelling(client, agent):
    fail(client, "agent1", 5)

    assert log_in(client, "AGENT1", PASSWORD, ip="10.9.9.9").status_code == 429


def test_the_lock_message_is_translated(client, agent):
    fail(client, "agent1", 5)

    page = client.post(LOGIN, {"username": "agent1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")

    assert page.status_code == 429
    assert "此账号登录失败次数过多" in page.content.decode()  # zh-Hans, the default language


def test_a_successful_log_in_resets_the_count(client, agent):
    fail(client, "agent1", 4)
    assert log_in(client, "agent1", PASSWORD).status_code == 302
    client.logout()

    replies = fail(client, "agent1", 4)

    assert {r.status_code for r in replies} == {200}
    assert log_in(client, "agent1", PASSWORD).status_code == 302


def test_the_account_opens_again_after_the_lockout(client, agent):
    fail(client, "agent1", 5)
    LoginLockout.objects.update(locked_until=timezone.now() - timedelta(seconds=1))

    assert log_in(client, "agent1", PASSWORD).status_code == 302


def test_a_new_lock_clears_locks_expired_a_month_ago(client, agent):
    now = timezone.now()
    LoginLockout.objects.create(
        scope="ip", value="10.3.3.3", failures=20, locked_at=now - timedelta(days=40),
        locked_until=now - timedelta(days=31),
    )  # fmt: skip
    LoginLockout.objects.create(
        scope="ip", value="10.4.4.4", failures=20, locked_at=now - timedelta(days=3),
        locked_until=now - timedelta(days=2),
    )  # fmt: skip

    fail(client, "agent1", 5)

    assert sorted(LoginLockout.objects.values_list("value", flat=True)) == ["10.4.4.4", "agent1"]


def test_one_address_guessing_many_accounts_is_locked_at_its_own_limit(client, agent, settings):
    settings.SURVEYHUB_LOGIN_FAILURES_PER_IP = 8
    for n in range(4):
        fail(client, f"guess{n}", 2, ip="10.6.6.6")

    from_there = log_in(client, "agent1", PASSWORD, ip="10.6.6.6")
    from_elsewhere = log_in(client, "agent1", PASSWORD, ip="10.7.7.7")

    assert from_there.status_code == 429
    assert NETWORK_LOCKED in from_there.content.decode()
    assert from_elsewhere.status_code == 302


def test_the_admin_log_in_form_is_throttled_too(client, agent):
    replies = fail(client, "agent1", 5, url="/admin/login/")

    refused = log_in(client, "agent1", PASSWORD, url="/admin/login/")
    assert ACCOUNT_LOCKED in replies[-1].content.decode()
    assert ACCOUNT_LOCKED in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_usernames_are_locked_like_real_ones(client):
    # Otherwise the lock message would tell which accounts exist.
    replies = fail(client, "nobody-here", 5)

    assert ACCOUNT_LOCKED in replies[-1].content.decode()


def test_guessing_api_keys_locks_the_address(client, settings):
    settings.SURVEYHUB_LOGIN_FAILURES_PER_IP = 5
    from surveyhub.api.tokens import api_token_create

    _token, key = api_token_create(user=UserFactory(role=Role.DESIGNER))

    def call(key, ip):
        return client.get(
            "/api/v1/surveys/", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=ip,
            HTTP_ACCEPT_LANGUAGE="en",
        )  # fmt: skip

    guesses = [call(f"guess{n}", "10.5.5.5").status_code for n in range(5)]
    locked = call("guess5", "10.5.5.5")

    assert guesses == [401] * 5
    assert locked.status_code == 429
    assert NETWORK_LOCKED in locked.json()["detail"]
    assert int(locked["Retry-After"]) > 0
    assert call("guess6", "10.5.5.6").status_code == 401  # another address: still counting
    assert call(key, "10.5.5.5").status_code == 200  # only guesses are refused


def test_an_admin_sees_and_lifts_a_lockout_in_the_admin(client, agent):
    fail(client, "agent1", 5)
    lock = LoginLockout.objects.get(scope="username")
    client.force_login(UserFactory(role=Role.ADMIN))

    assert "agent1" in client.get("/admin/surveyhub/loginlockout/").content.decode()
    client.post(f"/admin/surveyhub/loginlockout/{lock.pk}/delete/", {"post": "yes"})
    client.logout()

    assert log_in(client, "agent1", PASSWORD).status_code == 302


def test_a_manager_cannot_see_the_lockouts(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    assert client.get("/admin/surveyhub/loginlockout/").status_code == 403


def test_the_command_lists_and_lifts_lockouts(client, agent, capsys):
    fail(client, "agent1", 5)

    call_command("login_lockouts")
    assert "username\tagent1\t5 failures" in capsys.readouterr().out
    call_command("login_lockouts", "--clear-username", "Agent1")
    assert "Lifted 1 lockout(s)." in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("login_lockouts", "--clear-username", "agent1")

    assert log_in(client, "agent1", PASSWORD).status_code == 302


@pytest.mark.services
def test_a_lock_holds_while_the_cache_is_down(client, agent, settings):
    fail(client, "agent1", 5)
    # Nothing listens on port 9: every cache call fails at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }  # Django's test signals rebuild the cache handler when CACHES changes

    locked = log_in(client, "agent1", PASSWORD)
    other = UserFactory(username="agent2", role=Role.AGENT)
    counted = [log_in(client, other.username, "wrong", ip="10.1.1.1").status_code for _ in range(6)]

    assert locked.status_code == 429
    assert counted == [200] * 6  # not counted, not crashed: failing open for the count only
