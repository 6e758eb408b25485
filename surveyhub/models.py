from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran the heartbeat task; /healthz reads it."""

    worker = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker


class ApiToken(models.Model):
    """A user's API key for `Authorization: Token <key>`, stored only as its SHA-256.

    The key is shown once when created; a copy of the database opens no API account.
    One token per user: creating a new one replaces (rotates) the old.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_token",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    # The first characters of the key, so its owner can tell which key this is.
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.prefix}…)"


class LockoutScope(models.TextChoices):
    USERNAME = "username", _("Username")
    IP = "ip", _("IP address")


class LoginLockout(models.Model):
    """Too many failed log-ins (or API keys) for one username or from one address.

    Counting happens in the cache; a row is written when a limit is reached and is the
    lock itself until `locked_until`. Deleting the row lifts the lock.
    """

    scope = models.CharField(_("scope"), max_length=16, choices=LockoutScope.choices)
    value = models.CharField(_("username or address"), max_length=150)
    failures = models.PositiveIntegerField(_("failed attempts"))
    locked_at = models.DateTimeField(_("locked at"))
    locked_until = models.DateTimeField(_("locked until"), db_index=True)

    class Meta:
        verbose_name = _("login lockout")
        verbose_name_plural = _("login lockouts")
        constraints = [
            models.UniqueConstraint(fields=["scope", "value"], name="unique_login_lockout")
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.value}"
