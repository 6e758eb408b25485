"""The mutations that once left the whole suite green (issue "Tests that bite"), each made on
purpose in a scratch copy of the project and run against the test named to catch it.

    python tools/named_mutations.py            # all; exits non-zero if one is not caught
    python tools/named_mutations.py --list

A mutation counts as caught when its named tests fail (pytest exit code 1) on the mutated
copy; the unmutated copy is checked first, and those same tests must pass there. Each runs on
the real services when the test needs them (DATABASE_URL / CELERY_BROKER_URL / CACHE_URL from
the environment, as `.ci/run` sets them; REQUIRE_SERVICES=1 and REQUIRE_BROWSER=1 so that
nothing skips). `make mutation` runs this before mutmut's groups.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["analytics", "feedback", "surveys", "surveyhub", "templates", "locale", "tests"]
COPIED_FILES = ["manage.py", "pyproject.toml"]
LINKED = ["node_modules", "var"]


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str  # the file changed, relative to the repository
    old: str  # text that must occur exactly once
    new: str
    tests: tuple[str, ...]  # the tests named to catch it


MUTATIONS = [
    Mutation(
        "NPS 8 counted as a promoter in the Python rule (the submit's answer, Response.nps_group)",
        "surveys/scoring/rules.py",
        "    if score >= NPS_PROMOTER_MIN:\n",
        "    if score >= NPS_PROMOTER_MIN - 1:\n",
        ("tests/analytics/test_nps_boundaries_everywhere.py",),
    ),
    Mutation(
        "NPS 8 counted as a promoter in the database expression (matrix, topic impact, "
        "nps_group_of_customers, evaluations)",
        "surveys/scoring/rules.py",
        "        return NPS_PROMOTER_MIN, NPS_SCALE[1]\n",
        "        return NPS_PROMOTER_MIN - 1, NPS_SCALE[1]\n",
        ("tests/analytics/test_nps_boundaries_everywhere.py",),
    ),
    Mutation(
        "NPS 7 counted as a detractor",
        "surveys/scoring/rules.py",
        "NPS_PASSIVE_MIN = 7",
        "NPS_PASSIVE_MIN = 8",
        ("tests/analytics/test_nps_boundaries_everywhere.py",),
    ),
    Mutation(
        "CSAT 3 counted in the top-2-box",
        "surveys/scoring/rules.py",
        "CSAT_SATISFIED_MIN = 4",
        "CSAT_SATISFIED_MIN = 3",
        ("tests/analytics/test_csat_ces_boundaries_everywhere.py",),
    ),
    Mutation(
        "The contact cap one day shorter (29 days instead of 30)",
        "surveys/distribution/contact_cap.py",
        "timedelta(days=settings.SURVEYHUB_CONTACT_CAP_DAYS)",
        "timedelta(days=settings.SURVEYHUB_CONTACT_CAP_DAYS - 1)",
        ("tests/surveys/distribution/test_contact_cap_boundaries.py",),
    ),
    Mutation(
        "The contact cap one day longer (31 days instead of 30)",
        "surveys/distribution/contact_cap.py",
        "timedelta(days=settings.SURVEYHUB_CONTACT_CAP_DAYS)",
        "timedelta(days=settings.SURVEYHUB_CONTACT_CAP_DAYS + 1)",
        ("tests/surveys/distribution/test_contact_cap_boundaries.py",),
    ),
    Mutation(
        "The PostgreSQL single-statement insert of the public submit raises",
        "surveys/responding/rows.py",
        "        cursor.execute(sql, values + answer_values)\n",
        "        raise RuntimeError('mutant')\n",
        ("tests/surveys/api/test_public_submit.py",),
    ),
    Mutation(
        "`|safe` on the distribution list (the page once missing from the XSS list)",
        "surveys/templates/surveys/distribution/list.html",
        "{% blocktranslate with title=survey.title %}",
        "{% blocktranslate with title=survey.title|safe %}",
        ("tests/security/test_xss.py",),
    ),
    Mutation(
        "An unescaped customer name on the customer 360 page, seen in Chromium (the CSP "
        "blocks inline scripts, so only the DOM check can see it)",
        "surveys/templates/surveys/customers/detail.html",
        "{% block heading %}{{ customer }}{% endblock %}",
        "{% block heading %}{{ customer|safe }}{% endblock %}",
        ("tests/security/test_xss_browser.py::test_staff_pages_with_payload_data_run_no_script",),
    ),
]


def scratch_copy() -> Path:
    work = Path(tempfile.mkdtemp(prefix="named-mutations-"))
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        shutil.copytree(ROOT / name, work / name, ignore=ignore)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, work / name)
    for name in LINKED:
        if (ROOT / name).exists():
            (work / name).symlink_to(ROOT / name, target_is_directory=True)
    if (ROOT.parent / "shared").is_dir():
        (work / "shared").symlink_to(ROOT.parent / "shared", target_is_directory=True)
    return work


def run_tests(work: Path, tests: tuple[str, ...], python: str) -> int:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "REQUIRE_BROWSER": "1"}
    env.setdefault("REQUIRE_SERVICES", "1")
    command = [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    return done.returncode


def check(mutation: Mutation, work: Path, python: str) -> tuple[bool, str]:
    target = work / mutation.path
    original = target.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        return False, f"the text to mutate occurs {original.count(mutation.old)} times"
    if (code := run_tests(work, mutation.tests, python)) != 0:
        return False, f"the named tests fail without the mutation (exit {code})"
    target.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    try:
        code = run_tests(work, mutation.tests, python)
    finally:
        target.write_text(original, encoding="utf-8")
    if code == 1:
        return True, "caught"
    return False, "survived" if code == 0 else f"pytest exit {code} (not a test failure)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("-k", default="", help="only the mutations whose name contains this")
    parser.add_argument("--python", default=str(Path(sys.executable).absolute()))
    args = parser.parse_args(argv)
    if args.list:
        for m in MUTATIONS:
            print(f"{m.name}\n    {m.path}: {m.old.strip()!r} -> {m.new.strip()!r}")
            print(f"    caught by {', '.join(m.tests)}")
        return 0
    chosen = [m for m in MUTATIONS if args.k.lower() in m.name.lower()]
    work = scratch_copy()
    failed = 0
    try:
        for m in chosen:
            ok, why = check(m, work, args.python)
            failed += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {m.name}: {why} ({', '.join(m.tests)})", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(chosen) - failed}/{len(chosen)} named mutations caught")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
