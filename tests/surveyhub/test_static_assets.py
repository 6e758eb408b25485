"""Front-end files come from our own server: Chart.js from the npm lock file, no CDN."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from tests.support import REPO_ROOT


def test_chart_js_is_pinned_in_package_json_and_the_lock_file():
    package = json.loads((REPO_ROOT / "package.json").read_text())
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text())
    pinned = package["dependencies"]["chart.js"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin an exact version"
    assert lock["packages"]["node_modules/chart.js"]["version"] == pinned


def test_chart_js_is_found_by_staticfiles():
    assert finders.find("vendor/chart.js/chart.umd.min.js"), "run `make setup` (npm ci)"


@pytest.mark.django_db
def test_chart_js_is_served_by_django(client):
    response = client.get("/static/vendor/chart.js/chart.umd.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Chart" in body


def test_no_template_loads_anything_from_another_host():
    external = re.compile(r"""<(script|link|img|iframe)[^>]+(src|href)=["'](https?:)?//""", re.I)
    offenders = [
        str(path.relative_to(REPO_ROOT))
        for path in REPO_ROOT.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "node_modules" not in path.parts
        and external.search(path.read_text(encoding="utf-8"))
    ]  # fmt: skip
    assert offenders == []
