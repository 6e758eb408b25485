"""Demo data for `seed_demo`: every step is idempotent, so seeding twice changes nothing.

Each app contributes a step; the order follows the data flow (directory →
purchases → surveys and responses → analysis → cases → evaluations).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.module_loading import import_string

from surveyhub.security.roles import Role, sync_roles

DEMO_USERS = [
    ("admin", Role.ADMIN, True),
    ("manager", Role.MANAGER, False),
    ("designer", Role.DESIGNER, False),
    ("agent", Role.AGENT, False),
]

# Dotted paths of step functions `step(*, log: Callable[[str], None]) -> None`, in order.
DEMO_STEPS = [
    "surveyhub.demo.seed_users",
    "analytics.demo.seed_customers",
    "analytics.demo.seed_purchases",
    "surveys.demo.seed_surveys",
    "surveys.distribution.demo.seed",
    "feedback.demo.seed",
    "feedback.cases.demo.seed",  # before evaluations: the scorecard reads case metrics
    "analytics.evaluations.demo.seed",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str | None
    role: Role


def demo_password(username: str) -> str:
    return f"{username}-demo-2026"


def seed_users(*, log: Callable[[str], None]) -> list[DemoLogin]:
    """One staff user per role. Known passwords only in demo mode; otherwise none usable."""
    sync_roles()
    logins = []
    user_model = get_user_model()
    for username, role, is_superuser in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "is_staff": True,
                "is_superuser": is_superuser,
                "email": f"{username}@example.com",
            },
        )
        if created:
            if settings.DEMO_MODE:
                user.set_password(demo_password(username))
            else:
                user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=role.value))
        password = demo_password(username) if settings.DEMO_MODE else None
        logins.append(DemoLogin(username, password, role))
    if settings.DEMO_MODE:
        log("Demo logins (demo mode only):")
        for login in logins:
            log(f"  {login.role.label:<16} {login.username} / {login.password}")
    else:
        log("Demo users created without usable passwords (set SURVEYHUB_DEMO=1 to print logins).")
    return logins


def seed_all(*, log: Callable[[str], None]) -> None:
    for dotted in DEMO_STEPS:
        step = import_string(dotted)
        with transaction.atomic():
            step(log=log)
