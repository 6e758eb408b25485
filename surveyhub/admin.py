from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveyhub.admin_mixins import NoAddOrChange
from surveyhub.models import ApiToken, LoginLockout, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker", "seen_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(NoAddOrChange, admin.ModelAdmin):
    """Admins see every user's API token (never the key) and revoke one by deleting it.

    Keys are created only by their owner, on the “My API token” page, so nobody else ever
    sees one."""

    list_display = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]
    exclude = ["key_hash"]


@admin.register(LoginLockout)
class LoginLockoutAdmin(NoAddOrChange, admin.ModelAdmin):
    """Locked usernames and addresses; deleting a row lifts the lock."""

    list_display = ["scope", "value", "failures", "locked_at", "locked_until", "in_force"]
    list_filter = ["scope"]
    search_fields = ["value"]
    ordering = ["-locked_until"]

    @admin.display(boolean=True, description=_("in force"))
    def in_force(self, lock: LoginLockout) -> bool:
        return lock.locked_until > timezone.now()
