"""The layout's rules hold on the real tree, and the checks would notice a break (tested on a
small made-up tree, since a test that cannot fail proves nothing)."""

from pathlib import Path

import pytest

from tests.architecture import import_rules as rules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tree() -> rules.Tree:
    return rules.read_tree(ROOT)


def test_the_tree_is_read_whole(tree):
    assert len(tree.modules) > 200
    assert "feedback.cases.events" in tree.modules
    assert "surveys.models" in tree.imports["feedback.cases.opening"]


def test_apps_import_only_downward(tree):
    assert rules.upward_imports(tree) == []


def test_no_app_imports_the_wiring(tree):
    assert rules.wiring_imports(tree) == []


def test_pure_packages_import_no_django(tree):
    assert rules.impure_imports(tree) == []


def test_no_import_circles_between_modules(tree):
    assert rules.cycles(tree) == []


def test_no_module_over_450_lines(tree):
    assert rules.long_modules(tree) == []


def test_no_app_root_holds_more_than_16_modules(tree):
    assert rules.crowded_roots(tree) == []


# The checks themselves, on a made-up project -------------------------------------------------


def _write(root: Path, files: dict[str, str]) -> rules.Tree:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for app in rules.LAYERS:
        (root / app).mkdir(exist_ok=True)
        (root / app / "__init__.py").touch()
    return rules.read_tree(root)


def test_an_upward_import_is_reported_with_its_place(tmp_path):
    tree = _write(
        tmp_path,
        {
            "analytics/report.py": "X = 1\n",
            "surveys/design.py": "def f():\n    from analytics.report import X\n    return X\n",
        },
    )
    assert rules.upward_imports(tree) == [
        "surveys/design.py:2 surveys.design imports analytics.report"
    ]


def test_the_wiring_may_import_apps_but_apps_may_not_import_the_wiring(tmp_path):
    tree = _write(
        tmp_path,
        {
            "surveyhub/urls.py": "import analytics.views\n",
            "analytics/views.py": "from surveyhub import celery\n",
            "surveyhub/celery.py": "",
        },
    )
    assert rules.upward_imports(tree) == []
    assert rules.wiring_imports(tree) == [
        "analytics/views.py:1 analytics.views imports surveyhub.celery"
    ]


def test_django_reached_through_another_module_makes_a_pure_package_impure(tmp_path):
    tree = _write(
        tmp_path,
        {
            "analytics/metrics/__init__.py": "",
            "analytics/metrics/nps.py": "from analytics.helpers import x\n",
            "analytics/helpers.py": "from django.db import models\nx = 1\n",
        },
    )
    assert rules.impure_imports(tree) == [
        "analytics/helpers.py:1 analytics.metrics.nps reaches django (through analytics.helpers)"
    ]


def test_a_circle_through_a_function_local_import_is_a_circle(tmp_path):
    tree = _write(
        tmp_path,
        {
            "feedback/a.py": "from feedback.b import g\n",
            "feedback/b.py": "def g():\n    from feedback.c import h\n",
            "feedback/c.py": "from feedback import a\n",
            "feedback/d.py": "from feedback.a import g\n",
        },
    )
    assert rules.cycles(tree) == [["feedback.a", "feedback.b", "feedback.c"]]


def test_long_modules_and_crowded_roots_are_reported(tmp_path):
    files = {f"surveys/m{i}.py": "" for i in range(17)}
    files["feedback/big.py"] = "x = 1\n" * 451
    tree = _write(tmp_path, files)
    assert rules.long_modules(tree) == ["feedback/big.py: 451 lines"]
    assert rules.crowded_roots(tree) == ["surveys/: 17 modules"]
