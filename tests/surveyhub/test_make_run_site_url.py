"""One public address (issue #18): `make run` tells the product the address it serves, so
the links, QR codes and emails of the demo open the demo — on any port it is asked for."""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _commands(*variables: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.fail("GNU make is needed: the README's two commands are make targets")
    # -n prints the recipes (set-up included) without running any of them.
    printed = subprocess.run(
        ["make", "-n", "run", *variables], cwd=REPO_ROOT,
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return [line for line in printed.splitlines() if "manage.py" in line]


def _django_commands(lines: list[str]) -> list[str]:
    return [line for line in lines if "compilemessages" not in line]


def test_the_served_port_is_the_site_url_of_every_demo_command():
    lines = _django_commands(_commands("HOST=127.0.0.1:8011"))
    assert [line.split("manage.py ")[1].split()[0] for line in lines] == [
        "migrate", "seed_demo", "runserver",
    ]  # fmt: skip
    assert all("SURVEYHUB_SITE_URL=http://127.0.0.1:8011 " in line for line in lines), lines
    assert lines[-1].endswith("runserver 127.0.0.1:8011")


def test_a_site_url_for_phones_on_the_network_is_passed_through():
    lines = _django_commands(_commands("HOST=0.0.0.0:8011", "SITE_URL=http://192.168.1.5:8011"))
    assert all("SURVEYHUB_SITE_URL=http://192.168.1.5:8011 " in line for line in lines), lines
    assert lines[-1].endswith("runserver 0.0.0.0:8011")


def test_the_default_is_the_address_the_readme_names():
    lines = _django_commands(_commands())
    assert all("SURVEYHUB_SITE_URL=http://127.0.0.1:8000 " in line for line in lines), lines
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "http://127.0.0.1:8000" in readme
