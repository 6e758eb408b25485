"""Brute-force protection for staff log-in and API keys.

Failed attempts are counted in the cache per username (any log-in form) and per client
address (log-in forms and unknown API keys together), in a fixed window. When a count
reaches its limit a `LoginLockout` row is written; it *is* the lock until `locked_until`,
so a lock holds in every process, shows in the admin and is lifted by deleting the row
(admin or `manage.py login_lockouts --clear`). A successful log-in resets its username's
count; the address count is not reset, so one valid account cannot be used to keep
guessing the passwords of others.

Usernames are locked whether or not they exist, so a lock message reveals no account.
If the cache is down, counting is skipped (logged) but existing locks still hold.
"""

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.models import LockoutScope, LoginLockout
from surveyhub.security.ratelimit import cache_count, client_ip

logger = logging.getLogger(__name__)

EXPIRED_LOCKS_KEPT = timedelta(days=30)


@dataclass(frozen=True)
class Limits:
    per_username: int
    per_ip: int
    window: timedelta
    lockout: timedelta


def limits() -> Limits:
    return Limits(
        per_username=settings.SURVEYHUB_LOGIN_FAILURES_PER_USERNAME,
        per_ip=settings.SURVEYHUB_LOGIN_FAILURES_PER_IP,
        window=timedelta(minutes=settings.SURVEYHUB_LOGIN_FAILURE_WINDOW_MINUTES),
        lockout=timedelta(minutes=settings.SURVEYHUB_LOGIN_LOCKOUT_MINUTES),
    )


def normalise_username(username: str | None) -> str:
    # Case-folded: "Admin" and "admin" share one count, so case games gain nothing.
    return (username or "").strip().casefold()[:150]


def _counter_key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()
    return f"surveyhub:login-failures:{scope}:{digest}"


def active_lockout(*, username: str | None = None, ip: str | None = None) -> LoginLockout | None:
    """The lock in force for this username or address (the one lasting longest), if any."""
    wanted = Q(pk__in=[])
    if normalise_username(username):
        wanted |= Q(scope=LockoutScope.USERNAME, value=normalise_username(username))
    if ip:
        wanted |= Q(scope=LockoutScope.IP, value=ip)
    return (
        LoginLockout.objects.filter(wanted, locked_until__gt=timezone.now())
        .order_by("-locked_until")
        .first()
    )


def _count_failure(scope: str, value: str, window: timedelta) -> int | None:
    try:
        return cache_count(_counter_key(scope, value), int(window.total_seconds()))
    except Exception:
        logger.warning("Cache unavailable: a failed log-in for %s was not counted.", scope)
        return None


def _reset_count(scope: str, value: str) -> None:
    try:
        cache.delete(_counter_key(scope, value))
    except Exception:
        logger.warning("Cache unavailable: a %s failure count was not reset.", scope)


def _lock(scope: str, value: str, failures: int, lockout: timedelta) -> LoginLockout:
    now = timezone.now()
    # Expired locks stay a while as a record for Admins, then go (the table stays small).
    LoginLockout.objects.filter(locked_until__lt=now - EXPIRED_LOCKS_KEPT).delete()
    fields = {"failures": failures, "locked_at": now, "locked_until": now + lockout}
    try:
        with transaction.atomic():
            lock, _created = LoginLockout.objects.update_or_create(
                scope=scope, value=value, defaults=fields
            )
    except IntegrityError:  # another process locked it at the same moment
        lock = LoginLockout.objects.get(scope=scope, value=value)
    _reset_count(scope, value)  # after the lock, the next window starts from zero
    logger.warning("Locked out %s %r after %s failed attempts.", scope, value, failures)
    return lock


def login_failure_record(*, username: str | None, ip: str | None) -> LoginLockout | None:
    """Count one failed attempt; returns the lock it triggered, if any."""
    rules = limits()
    triggered = None
    checks = [(LockoutScope.USERNAME, normalise_username(username), rules.per_username)]
    checks.append((LockoutScope.IP, ip or "", rules.per_ip))
    for scope, value, limit in checks:
        if not value:
            continue
        count = _count_failure(scope, value, rules.window)
        if count is not None and count >= limit:
            triggered = _lock(scope, value, count, rules.lockout)
    return triggered


def login_success_record(*, username: str | None) -> None:
    """A correct password: that username starts counting from zero again."""
    if normalise_username(username):
        _reset_count(LockoutScope.USERNAME, normalise_username(username))


def lockouts_clear(*, username: str | None = None, ip: str | None = None) -> int:
    """Lift the locks (and forget the counts) of a username and/or address; returns how many."""
    cleared = 0
    for scope, value in ((LockoutScope.USERNAME, normalise_username(username)),
                         (LockoutScope.IP, ip or "")):  # fmt: skip
        if value:
            cleared += LoginLockout.objects.filter(scope=scope, value=value).delete()[0]
            _reset_count(scope, value)
    return cleared


def seconds_left(lock: LoginLockout) -> int:
    return max(1, math.ceil((lock.locked_until - timezone.now()).total_seconds()))


def lockout_message(lock: LoginLockout) -> str:
    until = timezone.localtime(lock.locked_until).strftime("%H:%M")
    if lock.scope == LockoutScope.USERNAME:
        text = _("Too many failed log-in attempts for this account. Try again after %(time)s.")
    else:
        text = _("Too many failed attempts from your network. Try again after %(time)s.")
    return text % {"time": until}


class ThrottledModelBackend(ModelBackend):
    """Django's backend, refusing while a lock holds and counting every failure.

    Every log-in form (the staff one, the admin's, any later one) authenticates through
    here, so none of them can be used to guess passwords without limit.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        ip = client_ip(request) if request is not None else None
        if active_lockout(username=username, ip=ip):
            raise PermissionDenied  # authenticate() then stops and reports a failure
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username, ip=ip)
        else:
            login_success_record(username=username)
        return user


class ThrottledLoginFormMixin:
    """Says clearly when the account or the network is locked, instead of "wrong password"."""

    def clean(self):
        username = self.cleaned_data.get("username")
        ip = client_ip(self.request) if self.request is not None else None
        lock = active_lockout(username=username, ip=ip)
        if lock is None:
            try:
                return super().clean()
            except forms.ValidationError:
                lock = active_lockout(username=username, ip=ip)  # did this failure lock it?
                if lock is None:
                    raise
        self.locked_out = lock
        raise forms.ValidationError(lockout_message(lock), code="locked_out")


class ThrottledAuthenticationForm(ThrottledLoginFormMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginFormMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    """The staff log-in page: a locked-out attempt is answered with 429 Too Many Requests."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        lock = getattr(form, "locked_out", None)
        if lock is not None:
            response.status_code = 429
            response["Retry-After"] = str(seconds_left(lock))
        return response
