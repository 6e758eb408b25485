"""The builder's scripts come from our own server: SortableJS pinned in the npm lock file and
served by staticfiles, our own script beside it; the page has no inline script (strict CSP)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import published_survey
from tests.support import REPO_ROOT


def test_sortablejs_is_pinned_in_package_json_and_the_lock_file():
    package = json.loads((REPO_ROOT / "package.json").read_text())
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text())
    pinned = package["dependencies"]["sortablejs"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin an exact version"
    assert lock["packages"]["node_modules/sortablejs"]["version"] == pinned


def test_sortablejs_and_the_builder_script_are_found_by_staticfiles():
    assert finders.find("vendor/sortablejs/Sortable.min.js"), "run `make setup` (npm ci)"
    assert finders.find("surveys/builder.js") and finders.find("surveys/builder.css")


@pytest.mark.django_db
def test_the_builder_page_loads_them_from_our_origin_with_no_inline_script(designer):
    survey = published_survey(consent_text="")
    page = designer.get(f"/staff/surveys/{survey.pk}/")
    html = page.content.decode()
    assert '<script src="/static/vendor/sortablejs/Sortable.min.js" defer>' in html
    assert '<script src="/static/surveys/builder.js" defer>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert re.search(r"\bon[a-z]+=", html) is None  # no inline event handlers
    assert (
        "'unsafe-inline'"
        not in page["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
