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
