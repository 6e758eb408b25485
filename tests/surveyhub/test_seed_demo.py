import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _counts():
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"auth", "surveys", "feedback", "analytics"}
    }


def test_seed_demo_twice_creates_nothing_twice(settings, capsys):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert get_user_model().objects.filter(is_staff=True).count() == 4


def test_seed_demo_prints_logins_only_in_demo_mode(settings, capsys):
    settings.DEMO_MODE = False
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "manager-demo-2026" not in out
    assert not get_user_model().objects.get(username="manager").has_usable_password()


def test_seed_demo_in_demo_mode_prints_a_login_per_role(settings, capsys):
    settings.DEMO_MODE = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ("admin", "manager", "designer", "agent"):
        assert f"{username} / {username}-demo-2026" in out
