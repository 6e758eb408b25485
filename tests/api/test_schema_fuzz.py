"""Schemathesis fuzzes every operation of /api/schema/ with an Admin's API token.

Zero server errors and zero schema violations: every response must have a documented status
code, content type and headers, and a body matching the documented schema — for valid input
(positive cases, half of them aimed at objects that exist) and for invalid input (negative
cases: wrong types, NUL bytes, out-of-range values…). It runs against the real app (WSGI,
in-process) on the test database, committing like production, with one object of every
resource in place. Hypothesis is derandomized with a bounded number of examples per
operation, so CI sees the same cases every run and the test stays well under a minute.
"""

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.api.conftest import CONFORMANCE_CHECKS

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

EXAMPLES_PER_OPERATION = 12
METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture
def world():
    """One object of each resource, made through the real services where they exist.

    Returns the path parameters that name them, per resource (the path's first segment).
    """
    from feedback.models import Topic
    from tests.factories import one_of_each_resource

    w = one_of_each_resource(slug="fuzz-survey", external_id="FUZZ-1", order_id="FUZZ-O-1")
    Topic.objects.create(key="price", name="价格")
    return {
        "surveys": {"id": w.survey.pk}, "responses": {"id": w.case.response_id},
        "customers": {"id": w.customer.pk}, "cases": {"id": w.case.pk},
        "feedback": {"id": w.item.pk}, "topics": {"id": w.topic.pk}, "imports": {"id": w.job.pk},
        "reports": {"id": w.report.pk}, "distributions": {"id": w.distribution.pk},
        "evaluations": {"period": w.period}, "public": {"slug": w.survey.slug},
    }  # fmt: skip


def test_every_api_operation_answers_as_its_schema_says(world, api_schema, admin_headers):
    schema = api_schema
    declared = [
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method in METHODS
        if method in item
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    # Deletions and merges last, so that they do not remove the objects the others read.
    operations.sort(key=lambda op: (op.method == "delete" or op.path.endswith("/merge/"),
                                    op.path, op.method))  # fmt: skip

    failures, tested = {}, []
    for operation in operations:
        known = world.get(operation.path.split("/")[3], {})
        failure = fuzz(operation, known, admin_headers)
        if failure:
            failures[operation.label] = failure
        tested.append(operation.label)

    assert sorted(tested) == sorted(declared) and len(tested) >= 60
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def fuzz(operation, known: dict, headers: dict) -> str | None:
    """Run the examples of one operation; the first failure as text, or None."""
    path_names = {p.name for p in operation.path_parameters}
    strategies = [
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    ]
    if known and set(known) == path_names:
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known))

    @given(case=st.one_of(*strategies))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
        suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
    )  # fmt: skip
    def run(case):
        case.call_and_validate(headers=headers, checks=CONFORMANCE_CHECKS)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup is the latter
        # The checks' own message says what failed and how to reproduce it (curl).
        return str(exc)[:3000]
    return None


# Bodies no generator from the schema makes (issue 22: a 2 KB body nested 1,000 levels deep
# was a 500 on every endpoint that reads JSON): each must be a documented 4xx in the one shape.
HOSTILE_BODIES = {
    "nested 1,000 levels": b"[" * 1_000 + b"]" * 1_000,
    "nested 100,000 levels": b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "1e999": b'{"name": 1e999, "text": 1e999, "title": 1e999}',
    "a 10,000-digit integer": b'{"amount": ' + b"9" * 10_000 + b"}",
    "duplicate keys": b'{"name": "a", "name": "b", "text": "a", "text": "b"}',
    "NaN": b'{"name": NaN}',
    "invalid UTF-8": b'{"name": "\xff\xfe"}',
}


def test_every_operation_that_reads_json_refuses_hostile_bodies(world, api_schema, admin_headers):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=admin_headers["Authorization"])
    failures, tested = [], 0
    for path, item in api_schema.raw_schema["paths"].items():
        known = world.get(path.split("/")[3], {})
        url = path
        for name, value in {"id": 1, "period": "2026Q2", "slug": "x", **known}.items():
            url = url.replace("{" + name + "}", str(value))
        for method in ("post", "put", "patch"):
            body = item.get(method, {}).get("requestBody", {}).get("content", {})
            if "application/json" not in body:
                continue
            tested += 1
            documented = set(item[method]["responses"])
            for kind, raw in HOSTILE_BODIES.items():
                reply = getattr(client, method)(
                    url, raw, content_type="application/json", HTTP_X_DEVICE_ID=f"fuzz-{tested:04d}"
                )
                payload = reply.json() if reply["Content-Type"] == "application/json" else {}
                if (
                    not 400 <= reply.status_code < 500
                    or str(reply.status_code) not in documented
                    or not str(payload.get("detail", "")).strip()
                    or not set(payload) <= {"detail", "errors"}
                ):
                    failures.append(f"{method.upper()} {path} {kind}: {reply.status_code}")
    assert tested >= 20
    assert not failures, "\n".join(failures)
