"""Rules of the suite itself, so that its tests can fail:

- skips hide nothing: a test gives up on a missing service or tool only through
  tests.support.unavailable(), which FAILS under REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 (CI),
  and CI installs every program the tests ask for;
- `pytest.raises` names the exception it expects (not Exception / BaseException, which any
  bug, a typo or a wrong setup also raises).
"""

import ast
import re
from pathlib import Path

import pytest

from tests.support import REPO_ROOT, require_postgresql, require_program, unavailable

TESTS = REPO_ROOT / "tests"
# pytest's ways of not running a test, or of not minding that it fails.
GIVING_UP = {"skip", "skipif", "importorskip", "xfail"}


def _calls_to_giving_up(tree: ast.AST) -> list[str]:
    found = []
    # `pytest.skip.Exception` (to expect a skip, as below) names the outcome, it skips nothing.
    naming = {id(n.value) for n in ast.walk(tree)
              if isinstance(n, ast.Attribute) and n.attr == "Exception"}  # fmt: skip
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in GIVING_UP and id(node) not in naming:
            found.append(f"line {node.lineno}: .{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module in {"pytest", "_pytest.outcomes"}:
            found += [f"line {node.lineno}: from pytest import {a.name}"
                      for a in node.names if a.name in GIVING_UP]  # fmt: skip
        if isinstance(node, ast.Attribute) and node.attr in {"SkipTest", "skipTest"}:
            found.append(f"line {node.lineno}: unittest {node.attr}")
    return found


def test_no_test_skips_except_through_the_one_helper():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        if path in {TESTS / "support.py", Path(__file__)}:  # unavailable() itself; examples
            continue
        found = _calls_to_giving_up(ast.parse(path.read_text(), filename=str(path)))
        if found:
            offenders[str(path.relative_to(REPO_ROOT))] = found
    assert not offenders, (
        "skip through tests.support.unavailable() / require_program() / "
        f"require_postgresql(), which fail under REQUIRE_SERVICES=1: {offenders}"
    )


def test_the_scan_sees_each_way_of_skipping():
    for source in ("pytest.skip('x')", "@pytest.mark.skipif(True, reason='x')\ndef f(): pass",
                   "pytest.importorskip('redis')", "from pytest import skip",
                   "@pytest.mark.xfail\ndef f(): pass", "self.skipTest('x')"):  # fmt: skip
        assert _calls_to_giving_up(ast.parse(source)), source
    assert not _calls_to_giving_up(ast.parse("require_program('redis-server', package='x')"))
    assert not _calls_to_giving_up(ast.parse("pytest.raises(pytest.skip.Exception)"))


def test_a_missing_program_fails_under_require_services(monkeypatch):
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    with pytest.raises(pytest.fail.Exception, match="required because REQUIRE_SERVICES=1"):
        require_program("surveyhub-no-such-program", package="no-such-package")


def test_a_missing_program_skips_on_a_laptop(monkeypatch):
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y no-such-package"):
        require_program("surveyhub-no-such-program", package="no-such-package")


def test_a_missing_browser_fails_under_require_browser(monkeypatch):
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="required because REQUIRE_BROWSER=1"):
        unavailable("needs Chromium", required_by="REQUIRE_BROWSER")
    monkeypatch.setenv("REQUIRE_BROWSER", "0")
    with pytest.raises(pytest.skip.Exception, match="needs Chromium"):
        unavailable("needs Chromium", required_by="REQUIRE_BROWSER")


def test_sqlite_fails_a_postgresql_test_under_require_services(monkeypatch):
    from django.db import connection

    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    monkeypatch.setattr(type(connection), "vendor", "sqlite", raising=False)
    with pytest.raises(pytest.fail.Exception, match="row locks: needs PostgreSQL"):
        require_postgresql("row locks")


def _required_programs() -> dict[str, str]:
    """program → Debian package, of every require_program(...) call in tests/."""
    programs = {}
    for path in set(TESTS.rglob("*.py")) - {Path(__file__)}:  # its made-up program
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "require_program"
                    and node.args and isinstance(node.args[0], ast.Constant)):  # fmt: skip
                package = next(k.value.value for k in node.keywords if k.arg == "package")
                programs[node.args[0].value] = package
    return programs


def test_ci_installs_every_program_the_tests_require():
    script = (REPO_ROOT / ".ci" / "run").read_text()
    programs = _required_programs()
    assert {"redis-server", "msgfmt"} <= set(programs), programs  # the scan finds the fixtures
    missing = {
        program: package
        for program, package in programs.items()
        if not re.search(
            rf"command -v {re.escape(program)} >/dev/null \|\| need\+=\({re.escape(package)}\)",
            script,
        )
    }
    assert not missing, f".ci/run does not install {missing} when it is missing"


BROAD = {"Exception", "BaseException"}


def _is_broad(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in BROAD
    # builtins.Exception, but not pytest.fail.Exception (a precise outcome of pytest)
    return (isinstance(node, ast.Attribute) and node.attr in BROAD
            and isinstance(node.value, ast.Name) and node.value.id == "builtins")  # fmt: skip


def _broad_raises(tree: ast.AST) -> list[str]:
    """`pytest.raises(Exception)`, `raises(BaseException)`, `raises((ValueError, Exception))`."""
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = (
            node.func.attr
            if isinstance(node.func, ast.Attribute)
            else getattr(node.func, "id", None)
        )
        if name != "raises":
            continue
        expected = node.args[0]
        names = expected.elts if isinstance(expected, ast.Tuple) else [expected]
        if any(_is_broad(n) for n in names):
            found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_pytest_raises_names_the_exception_it_expects():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__):  # the examples below
            continue
        found = _broad_raises(ast.parse(path.read_text(), filename=str(path)))
        if found:
            offenders[str(path.relative_to(REPO_ROOT))] = found
    assert not offenders, f"name the exception the code raises: {offenders}"


def test_the_scan_sees_each_broad_raises():
    for source in (
        "pytest.raises(Exception)",
        "pytest.raises(BaseException, match='x')",
        "raises((ValueError, Exception))",
        "pytest.raises(builtins.Exception)",
    ):
        assert _broad_raises(ast.parse(source)), source
    for source in (
        "pytest.raises(IntegrityError)",
        "pytest.raises((ValueError, TypeError))",
        "pytest.raises(pytest.fail.Exception)",
    ):
        assert not _broad_raises(ast.parse(source)), source
