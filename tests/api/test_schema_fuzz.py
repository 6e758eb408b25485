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
    from django.utils import timezone

    from analytics.models import EvaluationSnapshot, ImportJob, Purchase, Report
    from feedback.models import FeedbackItem, Topic
    from surveys.invitations import distribution_create
    from tests.factories import CustomerFactory, detractor_case, published_survey

    survey = published_survey(slug="fuzz-survey")
    customer = CustomerFactory(external_id="FUZZ-1")
    case = detractor_case(customer=customer, comment="等了半小时没人理😡", survey=survey)
    case = case[0] if isinstance(case, list) else case
    item = FeedbackItem.objects.create(text="包装破了", source="wechat", customer=customer)
    topic = Topic.objects.create(key="logistics", name="物流")
    Topic.objects.create(key="price", name="价格")
    Purchase.objects.create(
        customer=customer, order_id="FUZZ-O-1", ordered_at=timezone.now(), amount="120.00"
    )
    job = ImportJob.objects.create(kind="purchases", original_name="orders.csv")
    EvaluationSnapshot.objects.create(
        period="2026Q2", period_start="2026-04-01", period_end="2026-06-30", version=1,
        result={"index": 70.0, "indicators": []},
    )  # fmt: skip
    report = Report.objects.create(period="2026Q2", format="xlsx")
    distribution = distribution_create(survey=survey, channel="link", audience={}, name="二维码")
    return {
        "surveys": {"id": survey.pk}, "responses": {"id": case.response_id},
        "customers": {"id": customer.pk}, "cases": {"id": case.pk}, "feedback": {"id": item.pk},
        "topics": {"id": topic.pk}, "imports": {"id": job.pk}, "reports": {"id": report.pk},
        "distributions": {"id": distribution.pk}, "evaluations": {"period": "2026Q2"},
        "public": {"slug": survey.slug},
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
