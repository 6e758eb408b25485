"""Server time of each survey-builder action on a 50-question survey (issue 18: ≤ 100 ms each).

In-process with Django's test client against PostgreSQL, as the builder's script calls them
(header ``X-Builder-Fragment: 1``: the reply is the piece of page it swaps in). Reference in
the same run: the respondent's first page of the same survey (``/s/<slug>/``), printed as the
ratio of each action to it. Actions, each a real change that the next run takes back so the
survey stays at 50 questions:

- add a question, delete it; edit a question's text; reorder (two questions swapped, the whole
  order posted); duplicate a question, undo it; save logic (an AND group of two conditions and
  a skip rule); render the question list fragment and a question's edit form; the whole
  builder page.

    .venv/bin/python bench/builder.py [--runs 30] [--questions 50] [--smoke]

``--smoke``: 3 runs of each after 1 warm-up. Exits non-zero when an action does not answer
with its fragment or leaves the survey with another number of questions. Time gets a verdict,
not an exit code (a shared machine's noise is not a regression).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("SURVEYHUB_BUILDER_BENCH_DB", "surveyhub_builder_bench")
TARGET_MS = 100
FRAGMENT = {"HTTP_X_BUILDER_FRAGMENT": "1"}
REASONS = [("物流配送", "Delivery"), ("产品质量", "Quality"), ("价格", "Price"),
           ("客服服务", "Service"), ("App/网站体验", "App")]  # fmt: skip


def questions(count: int) -> list[dict]:
    """A survey as a designer builds one: an NPS first, choices, texts, scales; every fifth
    question shown by logic on an earlier one, and a few skips forward."""
    specs = [{"key": "nps", "type": "nps", "required": True, "text": "您有多大可能推荐我们？"}]
    for n in range(2, count + 1):
        kind = ("single", "multiple", "long_text", "csat", "short_text")[n % 5]
        spec = {"key": f"q{n}", "type": kind, "text": f"第 {n} 题：您怎么看我们的服务？",
                "text_en": f"Question {n}"}  # fmt: skip
        if kind in {"single", "multiple"}:
            spec["options"] = [{"value": f"o{i}", "label": zh, "label_en": en}
                               for i, (zh, en) in enumerate(REASONS)]  # fmt: skip
        if n % 5 == 0:
            spec["show_if"] = {"match": "any", "conditions": [
                {"question": "nps", "op": "lte", "value": 6},
                {"question": f"q{n - 1}", "op": "answered"}]}  # fmt: skip
        if n % 12 == 0 and n + 3 <= count:
            spec["jumps"] = [{"when": {"op": "answered"}, "action": "skip", "to": f"q{n + 3}"}]
        specs.append(spec)
    return specs


def setup() -> None:
    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", *pg, DATABASE], check=True)
    os.environ.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        CACHE_URL=os.environ.get("SURVEYHUB_BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
        SURVEYHUB_RATELIMIT_IP_PER_MINUTE="100000000",
    )
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="3 runs after 1 warm-up")
    parser.add_argument("--profile", metavar="ACTION", help="cProfile one action's runs")
    parser.add_argument("--queries", action="store_true", help="print each action's SQL")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 3
    setup()
    from django.db import connection
    from django.test import Client

    from surveyhub.security.roles import Role
    from surveys.design.services import survey_create, survey_publish
    from tests.factories import UserFactory

    count = args.questions
    survey = survey_publish(survey=survey_create(
        title="五十题问卷", slug="builder-bench", kind="nps", questions=questions(count),
    ))  # fmt: skip
    staff = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    staff.force_login(UserFactory(role=Role.DESIGNER))
    respondent = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    base = f"/staff/surveys/{survey.pk}"
    edit_fields = {"type": "long_text", "option_order": "fixed"}
    state = {"turn": 0}

    def keys() -> list[str]:
        survey.refresh_from_db()
        return list(survey.current_version.questions.values_list("key", flat=True))

    order = keys()

    def add():
        reply = staff.post(f"{base}/questions/", {**edit_fields, "text": "新加的题目"}, **FRAGMENT)
        state["added"] = keys()[-1]
        return reply

    def delete():
        url = f"{base}/questions/{state.pop('added')}/action/"
        return staff.post(url, {"action": "delete"}, **FRAGMENT)

    def edit():
        state["turn"] += 1
        text = f"第 3 题（改 {state['turn']}）：还有什么建议？"
        return staff.post(f"{base}/questions/q3/", {**edit_fields, "text": text}, **FRAGMENT)

    def reorder():
        keys_now = keys()
        a, b = keys_now.index("q3"), keys_now.index("q4")
        keys_now[a], keys_now[b] = keys_now[b], keys_now[a]
        return staff.post(f"{base}/order/", {"order": keys_now}, **FRAGMENT)

    def duplicate():
        return staff.post(f"{base}/questions/q8/action/", {"action": "duplicate"}, **FRAGMENT)

    def undo():
        return staff.post(f"{base}/undo/", **FRAGMENT)

    def logic():
        state["turn"] += 1
        return staff.post(f"{base}/questions/q13/", {
            **edit_fields, "text": "第 13 题", "logic_match": "all",
            "logic_question": "nps", "logic_op": "lte", "logic_value": str(state["turn"] % 10),
            "logic_question_1": "q12", "logic_op_1": "answered",
            "jump_action": "skip", "jump_to": "q20", "jump_question": "__this__",
            "jump_op": "answered",
        }, **FRAGMENT)  # fmt: skip

    actions = {
        "reference: respondent page /s/<slug>/": lambda: respondent.get(f"/s/{survey.slug}/"),
        "add a question": add,
        "delete a question": delete,
        "edit a question": edit,
        "reorder (drag and drop)": reorder,
        "duplicate a question": duplicate,
        "undo": undo,
        "save logic (AND group + skip)": logic,
        "render the question list": lambda: staff.get(f"{base}/question-list/", **FRAGMENT),
        "render a question's edit form": lambda: staff.get(f"{base}/questions/q7/", **FRAGMENT),
        "whole builder page": lambda: staff.get(f"{base}/"),
    }
    swaps = {"add a question": "list", "delete a question": "list", "edit a question": "list",
             "reorder (drag and drop)": "list", "duplicate a question": "list", "undo": "list",
             "save logic (AND group + skip)": "list", "render the question list": "list",
             "render a question's edit form": "form"}  # fmt: skip
    timings: dict[str, list[float]] = {name: [] for name in actions}
    queries: dict[str, int] = {}
    for run in range(args.runs + 1):  # the first run warms caches and is not counted
        for name, action in actions.items():
            profiler = cProfile.Profile() if run and name == args.profile else None
            statements: list[str] = []
            start = time.perf_counter()
            with connection.execute_wrapper(
                lambda run_sql, sql, *rest, log=statements: log.append(sql) or run_sql(sql, *rest)
            ):
                reply = profiler.runcall(action) if profiler else action()
            elapsed = (time.perf_counter() - start) * 1000
            queries[name] = len(statements)
            if args.queries and run == 1:
                print(name, *(f"    {sql[:120]}" for sql in statements), sep="\n")
            if profiler:
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
            if reply.status_code != 200:
                sys.exit(f"{name}: answered {reply.status_code}")
            if name in swaps and reply.get("X-Builder-Swap") != swaps[name]:
                sys.exit(f"{name}: not the {swaps[name]} fragment")
            if b'class="note error"' in reply.content:
                sys.exit(f"{name}: refused: {reply.content.decode()[:300]}")
            if run:
                timings[name].append(elapsed)
    if len(keys()) != count or sorted(keys()) != sorted(order):
        sys.exit(f"the survey has {len(keys())} questions, not the {count} it began with")

    reference = statistics.median(timings["reference: respondent page /s/<slug>/"])
    print(f"builder actions on a {count}-question survey, median of {args.runs} runs")
    print(f"{'action':<38} {'median ms':>10} {'max ms':>8} {'x ref':>6} {'queries':>7}")
    slow = []
    for name, times in timings.items():
        median = statistics.median(times)
        print(
            f"{name:<38} {median:>10.1f} {max(times):>8.1f} {median / reference:>6.1f}"
            f" {queries[name]:>7}"
        )
        if not name.startswith("reference") and name != "whole builder page":
            slow += [name] if median > TARGET_MS else []
    verdict = "all within" if not slow else "over " + ", ".join(slow) + " —"
    print(f"verdict: {verdict} the {TARGET_MS} ms target (server time, in-process)")


if __name__ == "__main__":
    main()
