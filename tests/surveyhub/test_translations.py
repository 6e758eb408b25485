"""Every catalogue is complete (zh-Hans) and in step with the source code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO_ROOT

CATALOGUES = [
    *sorted(REPO_ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
    REPO_ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_message_has_a_chinese_translation(po, gettext_tools):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not re.search(r"(untranslated|fuzzy)", result.stderr), result.stderr


@pytest.mark.slow
def test_catalogues_contain_every_string_in_the_source(tmp_path, gettext_tools):
    copy = tmp_path / "src"
    shutil.copytree(
        REPO_ROOT, copy,
        ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "var", "tests", "bench",
                                      "staticfiles", "*.mo", "__pycache__", "*.sqlite3*"),
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "manage.py", "update_translations", "--root", str(copy)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for po in CATALOGUES:
        fresh = copy / po.relative_to(REPO_ROOT)
        compare = subprocess.run(
            ["msgcmp", "--use-untranslated", str(po), str(fresh)], capture_output=True, text=True
        )
        assert compare.returncode == 0, (
            f"{po.relative_to(REPO_ROOT)} is missing strings; run `make messages`:\n"
            + compare.stderr
        )


def test_compiled_catalogues_exist_so_pages_show_chinese():
    for po in CATALOGUES:
        assert Path(po).with_suffix(".mo").exists(), f"{po} not compiled; run `make setup`"
