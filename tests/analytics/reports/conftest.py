"""Report fixtures: the workspace's two quarters plus cases opened in Q2, a topic named like a
formula, and managers with email addresses."""

import pytest

from feedback.models import FeedbackTopic, Topic
from feedback.models.cases import Case, CaseStatus
from surveyhub.security.roles import Role
from surveys.models import Response
from tests.analytics.workspace.conftest import (  # noqa: F401 (fixtures)
    _media_root,
    local,
    manager,
    two_quarters,
)
from tests.factories import CustomerFactory, UserFactory, survey_feedback_item


@pytest.fixture
def quarter(two_quarters):  # noqa: F811
    """Q2 of `two_quarters` with 29 cases opened in it (20 resolved, 9 new) and a topic
    named '=HYPERLINK(…)' on a detractor's feedback."""
    for i in range(29):
        Case.objects.create(
            customer=CustomerFactory(), created_at=local(2026, 4, 2 + i % 28),
            status=CaseStatus.RESOLVED if i < 20 else CaseStatus.NEW,
        )  # fmt: skip
    detractor = Response.objects.filter(nps_score=3).order_by("-completed_at").first()
    topic = Topic.objects.create(key="t-evil", name='=HYPERLINK("http://x.example","点我")')
    FeedbackTopic.objects.create(item=survey_feedback_item(detractor), topic=topic, weight=1.0)
    return two_quarters


@pytest.fixture
def managers(db):
    return [
        UserFactory(role=Role.MANAGER, email="wang.mgr@example.cn"),
        UserFactory(role=Role.MANAGER, email="li.mgr@example.cn"),
        UserFactory(role=Role.AGENT, email="agent@example.cn"),
    ]
