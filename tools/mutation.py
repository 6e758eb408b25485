"""Mutation testing of the rules that matter, group by group (`make mutation`).

Runs mutmut 3 once per group in its own scratch folder, `mutants/<group>/`, never in the
working tree: the folder links to the project's top-level folders, carries a pyproject.toml
with that group's `[tool.mutmut]` section, and mutmut copies everything it needs into
`mutants/<group>/mutants/` before mutating the copy. Each group runs only its own test
folders; mutmut then runs, for each mutant, only the tests that called the mutated function.

At the end it prints the score per group (killed / all mutants; a mutant that no test
reaches counts as survived) and every surviving mutant with its diff, also written to
`mutants/report.txt`. The scratch copies are removed unless `--keep` is given (then
`cd mutants/<group> && ../../.venv/bin/mutmut show NAME` works).

    python tools/mutation.py                 # every group
    python tools/mutation.py metrics nlp     # some groups
    python tools/mutation.py --list          # the groups, their modules and tests
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "mutants"
# What the copy needs to import and run the project and its tests.
LINKED = ["analytics", "feedback", "surveys", "surveyhub", "templates", "locale", "tests"]
COPIED_FILES = ["manage.py"]
SOURCE_PACKAGES = ["analytics", "feedback", "surveys", "surveyhub"]


@dataclass
class Group:
    name: str
    kind: str  # "pure" (target 85%) or "service" (target 75%)
    modules: list[str]  # globs of the files to mutate, relative to the repository
    tests: list[str]  # test files or folders that may run
    env: dict[str, str] = field(default_factory=dict)
    children: int = 2  # mutants tested at once (the machine has 2 cores)
    pytest_args: list[str] = field(default_factory=list)  # added to every pytest run
    # Seconds added to each mutant's measured test time before mutmut's x15 (its wall-clock
    # timeout): a group whose tests need a database pays its setup per mutant, which the
    # measured time leaves out; with mutmut's 1 s a loaded machine "times out" (= kills)
    # mutants that merely waited for migrations.
    timeout_constant: float = 1.0

    @property
    def target(self) -> float:
        return 0.85 if self.kind == "pure" else 0.75


# The real services for a group whose code has a production-only path (the Redis counters of
# the rate limits): PostgreSQL + broker so that the tests marked `services` run (and fail
# instead of skipping, REQUIRE_SERVICES=1), Redis as the cache. Each variable can be set in the
# environment of `make mutation` instead (MUTATION_DATABASE_URL, MUTATION_BROKER_URL,
# MUTATION_CACHE_URL). Such a group runs one mutant at a time: two at once would share the
# Redis counters (and `cache.clear()`) and the one test database, and kill mutants falsely.
SERVICES_ENV = {
    "DATABASE_URL": os.environ.get(
        "MUTATION_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/surveyhub_mut"
    ),
    "CELERY_BROKER_URL": os.environ.get("MUTATION_BROKER_URL", "redis://127.0.0.1:6379/13"),
    "CACHE_URL": os.environ.get("MUTATION_CACHE_URL", "redis://127.0.0.1:6379/14"),
    "REQUIRE_SERVICES": "1",
}
# With one mutant at a time the test database can be kept between mutants (else each mutant
# pays a fresh PostgreSQL database and its migrations).
SERVICES_PYTEST_ARGS = ["--reuse-db"]
# PostgreSQL only (the `services` tests, which also need a broker, skip): for a group whose
# tests need a database, kept between mutants, instead of SQLite's fresh in-memory one with
# all migrations for every mutant (≈ 20 s each on a loaded machine).
DATABASE_ENV = {"DATABASE_URL": SERVICES_ENV["DATABASE_URL"]}

# The submit's own tests (not the designer API, branding, or the embedded-default concurrency
# walk, which starts a server for ≈ 15 s per mutant), on PostgreSQL + Redis so that the
# single-statement insert of rows.py runs; one mutant at a time.
SUBMIT_TESTS = [
    "tests/surveys/api/test_public_submit.py",
    "tests/surveys/api/test_public_submit_after_an_edit.py",
    "tests/surveys/api/test_public_submit_fallback.py",
    "tests/surveys/api/test_public_submit_postgres.py",
    "tests/surveys/respond/test_answer_rules.py",
    "tests/surveys/respond/test_database_locked_retry.py",
    "tests/surveys/respond/test_invitation_flow.py",
    "tests/surveys/respond/test_link_flow.py",
    "tests/surveys/respond/test_more_question_types.py",
    "tests/surveys/respond/test_respondent_query_counts.py",
    "tests/surveys/respond/test_small_fixes.py",
]

GROUPS = [
    Group(
        "metrics",
        "pure",
        ["analytics/metrics/*.py", "surveys/scoring/rules.py"],
        ["tests/analytics/metrics", "tests/surveys/test_score_rules.py"],
    ),
    Group("clv", "pure", ["analytics/clv/*.py"], ["tests/analytics/clv"]),
    Group(
        "nlp",
        "pure",
        [
            "feedback/nlp/sentiment.py",
            "feedback/nlp/aspects.py",
            "feedback/nlp/normalize.py",
        ],
        ["tests/feedback/nlp"],
    ),
    Group(
        "sla",
        "pure",
        ["feedback/cases/sla.py"],
        [
            "tests/feedback/cases/test_case_sla.py",
            "tests/feedback/cases/test_sla_boundaries.py",
            "tests/feedback/cases/test_sla_due_across_holidays.py",
        ],
    ),
    Group(
        "submit",
        "service",
        ["surveys/responding/services.py"],
        SUBMIT_TESTS,
        env=SERVICES_ENV,
        children=1,
        pytest_args=SERVICES_PYTEST_ARGS,
        timeout_constant=5.0,
    ),
    Group(
        "submit-answers",
        "service",
        ["surveys/responding/rows.py", "surveys/responding/answers.py"],
        SUBMIT_TESTS,
        env=SERVICES_ENV,
        children=1,
        pytest_args=SERVICES_PYTEST_ARGS,
        timeout_constant=5.0,
    ),
    Group(
        "contact-cap",
        "service",
        ["surveys/distribution/contact_cap.py", "surveys/distribution/invitations.py"],
        ["tests/surveys/distribution"],
        env=DATABASE_ENV,
        children=1,
        pytest_args=SERVICES_PYTEST_ARGS,
        timeout_constant=5.0,
    ),
    Group(
        "case-rules",
        "service",
        ["feedback/cases/rules.py", "feedback/cases/priority.py"],
        [
            "tests/feedback/cases/test_case_rules.py",
            "tests/feedback/cases/test_negative_feedback_opens_case.py",
            "tests/feedback/cases/test_case_rule_boundaries.py",
        ],
    ),
    Group(
        "ratelimit",
        "service",
        ["surveyhub/security/ratelimit.py"],
        [
            "tests/security/test_rate_limits.py",
            "tests/security/test_rate_limits_redis.py",
            "tests/surveyhub/test_login_throttle.py",
            "tests/security/test_rate_limit_boundaries.py",
            "tests/security/test_rate_limit_refusal_page.py",
        ],
        env=SERVICES_ENV,
        children=1,
        pytest_args=SERVICES_PYTEST_ARGS,
        timeout_constant=5.0,
    ),
]

KILLED = {"killed", "timeout", "caught by type check"}


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def prepare(group: Group) -> Path:
    """The group's scratch folder: links to the project, its own mutmut configuration."""
    work = SCRATCH / group.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in LINKED:
        (work / name).symlink_to(ROOT / name, target_is_directory=True)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, work / name)
    # Tests read sample data from shared/ beside the repository, i.e. beside the copy.
    if (ROOT.parent / "shared").is_dir():
        (work / "shared").symlink_to(ROOT.parent / "shared", target_is_directory=True)
    tests = [t for t in group.tests if (ROOT / t).exists()]
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config += f"""

[tool.mutmut]
source_paths = {toml_list(SOURCE_PACKAGES)}
only_mutate = {toml_list(group.modules)}
also_copy = {toml_list([n for n in LINKED if n not in SOURCE_PACKAGES] + COPIED_FILES)}
pytest_add_cli_args_test_selection = {toml_list(tests)}
pytest_add_cli_args = {toml_list(["-p", "no:cacheprovider", "-W", "ignore", *group.pytest_args])}
use_git_change_detection = false
track_dependencies = false
# mutmut's timeouts: (tests' time + timeout_constant) x 15 s of wall clock, twice that of CPU.
# Shorter ones count a mutant whose tests merely build a test database on a loaded machine as
# a (false) kill.
timeout_constant = {group.timeout_constant}
"""
    (work / "pyproject.toml").write_text(config, encoding="utf-8")
    return work


def run_group(group: Group, python: str) -> dict:
    work = prepare(group)
    env = {
        **os.environ,
        "SURVEYHUB_MEDIA_ROOT": str(work / "media"),
        "PYTHONDONTWRITEBYTECODE": "1",
        **group.env,
    }
    env.pop("PYTHONPATH", None)
    started = time.monotonic()
    # Niced so that the machine stays usable; MUTATION_NICE=0 on a machine kept for it.
    niceness = os.environ.get("MUTATION_NICE", "10")
    command = ["nice", "-n", niceness, python, "-m", "mutmut", "run", "--max-children"]
    command.append(str(group.children))
    log = work / "mutmut.log"
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.call(command, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    found = collect(work, python)
    statuses = {name: status for name, (status, _) in found.items()}
    diffs = {name: diff for name, (status, diff) in found.items() if status not in KILLED}
    survivors = list(diffs)
    killed = len(statuses) - len(survivors)
    return {
        "group": group,
        "code": code,
        "seconds": seconds,
        "total": len(statuses),
        "killed": killed,
        "statuses": statuses,
        "diffs": diffs,
        "log": log,
    }


COLLECT = """
import json, pathlib
from mutmut.mutation.diff_apply import get_diff_for_mutant
from mutmut.stats import status_by_exit_code
KILLED = set(json.loads(KILLED_JSON))
out = {}
for meta in sorted(pathlib.Path("mutants").rglob("*.py.meta")):
    source = str(meta.relative_to("mutants"))[: -len(".meta")]
    for key, code in json.loads(meta.read_text())["exit_code_by_key"].items():
        status = status_by_exit_code[code]
        diff = "" if status in KILLED else get_diff_for_mutant(key, path=source)
        out[key] = [status, diff]
print(json.dumps(out))
"""


def collect(work: Path, python: str) -> dict[str, list[str]]:
    """Every mutant of the group: [status, diff if it was not killed], from mutmut's files."""
    script = COLLECT.replace("KILLED_JSON", repr(json.dumps(sorted(KILLED))))
    done = subprocess.run(
        [python, "-c", script], cwd=work, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return {}
    return json.loads(done.stdout or "{}")


def report(results: list[dict]) -> str:
    lines = ["", "Mutation score per group (killed / mutants; no-test and timeout counted):"]
    for r in results:
        g = r["group"]
        score = r["killed"] / r["total"] if r["total"] else 0.0
        mark = "ok " if r["total"] and score >= g.target else "LOW"
        lines.append(
            f"  {mark} {g.name:<12} {g.kind:<8} {r['killed']:>4}/{r['total']:<4} "
            f"{score:6.1%}  (target {g.target:.0%}, {r['seconds']:.0f}s"
            + (f", mutmut exit {r['code']}" if r["code"] else "")
            + ")"
        )
    for kind in ("pure", "service"):
        rows = [r for r in results if r["group"].kind == kind]
        if rows:
            killed, total = sum(r["killed"] for r in rows), sum(r["total"] for r in rows)
            lines.append(f"  all {kind}: {killed}/{total} {killed / max(total, 1):.1%}")
    lines += ["", "Surviving mutants:"]
    for r in results:
        for name, status in sorted(r["statuses"].items()):
            if status in KILLED:
                continue
            lines.append(f"  [{r['group'].name}] {name}: {status}")
    lines += ["", "Diffs of the surviving mutants:"]
    for r in results:
        for name, diff in sorted(r["diffs"].items()):
            lines += [f"--- [{r['group'].name}] {name}", diff, ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("groups", nargs="*", help="groups to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the groups and exit")
    parser.add_argument("--keep", action="store_true", help="keep mutants/<group>/ for inspection")
    parser.add_argument("--python", default=str(Path(sys.executable).absolute()))
    args = parser.parse_args(argv)
    by_name = {g.name: g for g in GROUPS}
    if args.list:
        for g in GROUPS:
            print(f"{g.name} ({g.kind}): {' '.join(g.modules)}\n    tests: {' '.join(g.tests)}")
        return 0
    unknown = [name for name in args.groups if name not in by_name]
    if unknown:
        parser.error(f"unknown group(s) {unknown}; known: {sorted(by_name)}")
    chosen = [by_name[name] for name in args.groups] or GROUPS
    SCRATCH.mkdir(exist_ok=True)
    results = []
    started = time.monotonic()
    for group in chosen:
        print(f"== {group.name}: mutating {' '.join(group.modules)}", flush=True)
        result = run_group(group, args.python)
        print(
            f"   {result['killed']}/{result['total']} killed in {result['seconds']:.0f}s"
            f" (log: {result['log'].relative_to(ROOT)})",
            flush=True,
        )
        if not result["total"]:
            print(result["log"].read_text(encoding="utf-8")[-3000:], flush=True)
        results.append(result)
        # Each group's own report as soon as it is done (a long run can be stopped midway).
        (SCRATCH / f"report-{group.name}.txt").write_text(report([result]), encoding="utf-8")
    text = report(results) + f"\nTotal time: {time.monotonic() - started:.0f}s\n"
    print(text)
    (SCRATCH / "report.txt").write_text(text, encoding="utf-8")
    if not args.keep:
        for group in chosen:
            shutil.rmtree(SCRATCH / group.name, ignore_errors=True)
    low = [
        r
        for r in results
        if not r["total"] or r["killed"] / r["total"] < r["group"].target or r["code"]
    ]
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
