"""Each API resource × each role: the exact status every role gets, from one readable table.

Requests authenticate the way clients do, with `Authorization: Token <key>`. "no role" is a
signed-in staff user in no role group; "anonymous" sends no credentials. Why each role may
or may not do something: surveyhub/roles.py (PRODUCT.md's people).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import (
    UserFactory,
    one_of_each_resource,
)

pytestmark = pytest.mark.django_db

ROLES = ["admin", "manager", "designer", "agent", "no role", "anonymous"]
ROLE_GROUPS = {
    "admin": Role.ADMIN, "manager": Role.MANAGER, "designer": Role.DESIGNER, "agent": Role.AGENT,
}  # fmt: skip

# fmt: off
#  call                               admin manager designer agent  no role anonymous
MATRIX = {
    "GET    /":                        (200, 200,    200,     200,   200,    401),
    "GET    customers/":               (200, 200,    200,     200,   403,    401),
    "GET    customers/{customer}/":    (200, 200,    200,     200,   403,    401),
    "POST   customers/":               (201, 403,    403,     403,   403,    401),
    "GET    customers/{customer}/personal-data/":    (200, 200, 403, 403, 403, 401),
    "DELETE customers/{customer}/personal-data/":    (200, 403, 403, 403, 403, 401),
    "GET    imports/":                 (200, 200,    403,     403,   403,    401),
    "GET    imports/{import}/":        (200, 200,    403,     403,   403,    401),
    "POST   imports/":                 (201, 403,    403,     403,   403,    401),
    "GET    purchases/":               (200, 200,    403,     200,   403,    401),
    "POST   purchases/":               (201, 403,    403,     403,   403,    401),
    "GET    surveys/":                 (200, 200,    200,     403,   403,    401),
    "GET    surveys/{survey}/":        (200, 200,    200,     403,   403,    401),
    "POST   surveys/":                 (201, 403,    201,     403,   403,    401),
    "POST   surveys/{survey}/close/":  (200, 403,    200,     403,   403,    401),
    "GET    surveys/{survey}/links/":  (200, 200,    200,     403,   403,    401),
    "GET    distributions/":           (200, 200,    200,     403,   403,    401),
    "GET    distributions/{dist}/":    (200, 200,    200,     403,   403,    401),
    "POST   distributions/":           (201, 403,    201,     403,   403,    401),
    "GET    responses/":               (200, 200,    403,     200,   403,    401),
    "GET    responses/{response}/":    (200, 200,    403,     200,   403,    401),
    "GET    feedback/":                (200, 200,    403,     200,   403,    401),
    "GET    feedback/{item}/":         (200, 200,    403,     200,   403,    401),
    "POST   feedback/":                (201, 403,    403,     403,   403,    401),
    "GET    topics/":                  (200, 200,    403,     200,   403,    401),
    "GET    topics/{topic}/":          (200, 200,    403,     200,   403,    401),
    "PATCH  topics/{topic}/":          (200, 200,    403,     403,   403,    401),
    "GET    cases/":                   (200, 200,    403,     200,   403,    401),
    "GET    cases/{case}/":            (200, 200,    403,     200,   403,    401),
    "PATCH  cases/{case}/":            (200, 200,    403,     200,   403,    401),
    "POST   cases/{case}/notes/":      (201, 201,    403,     201,   403,    401),
    "GET    metrics/summary/":         (200, 200,    403,     403,   403,    401),
    "GET    metrics/trend/":           (200, 200,    403,     403,   403,    401),
    "GET    analytics/rfm/":           (200, 200,    403,     403,   403,    401),
    "GET    analytics/clv/":           (200, 200,    403,     403,   403,    401),
    "GET    dashboard/matrix/":        (200, 200,    403,     403,   403,    401),
    "GET    evaluations/":             (200, 200,    403,     403,   403,    401),
    "GET    evaluations/{period}/":    (200, 200,    403,     403,   403,    401),
    "GET    reports/":                 (200, 200,    403,     403,   403,    401),
    "GET    reports/{report}/":        (200, 200,    403,     403,   403,    401),
    "POST   reports/":                 (202, 202,    403,     403,   403,    401),
    "POST   public/surveys/{slug}/responses/": (201, 201, 201,  201,   201,    201),
}
# fmt: on


def body_for(call: str, world: dict):
    """The request body of a write: valid, so only the permission decides the status."""
    bodies = {
        "POST   customers/": {"external_id": "NEW-1", "name": "新客户"},
        "POST   imports/": {
            "kind": "purchases",
            "dry_run": "true",
            "file": SimpleUploadedFile(
                "orders.csv", b"customer_id,order_id,ordered_at,amount\nC1,O1,2026-01-05,10\n"
            ),
        },
        "POST   purchases/": {
            "customer": world["customer"].external_id, "order_id": "NEW-ORDER",
            "ordered_at": "2026-05-01T10:00:00+08:00", "amount": "99.00",
        },
        "POST   surveys/": {
            "title": "门店服务评价", "title_en": "Store service", "slug": "matrix-new",
            "kind": "csat",
            "questions": [{"key": "csat", "type": "csat", "required": True, "text": "满意吗？"}],
        },
        "POST   distributions/": {"survey": world["survey"], "channel": "link", "name": "二维码"},
        "POST   feedback/": {"text": "配送太慢了", "source": "wechat"},
        "PATCH  topics/{topic}/": {"name": "物流速度"},
        "PATCH  cases/{case}/": {"status": "in_progress"},
        "POST   cases/{case}/notes/": {"text": "已电话联系客户"},
        "POST   reports/": {"period": "2026Q2"},
        "POST   public/surveys/{slug}/responses/": {"answers": {"nps": 9}},
    }  # fmt: skip
    return bodies.get(call)


@pytest.fixture
def world():
    """One object of each resource, made through the real services where they exist."""
    w = one_of_each_resource(
        slug="matrix-survey", external_id="C1", order_id="O-1", consent_text=""
    )
    return {
        "survey": w.survey.pk, "slug": w.survey.slug, "customer": w.customer, "case": w.case.pk,
        "response": w.case.response_id, "item": w.item.pk, "topic": w.topic.pk,
        "import": w.job.pk, "period": w.period, "report": w.report.pk,
        "dist": w.distribution.pk,
    }  # fmt: skip


def credentials(role: str) -> dict:
    if role == "anonymous":
        return {}
    user = UserFactory(username=f"matrix-{role.replace(' ', '-')}", role=ROLE_GROUPS.get(role))
    _token, key = api_token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def call_api(client, call: str, world: dict, auth: dict):
    method, template = call.split()
    ids = {name: getattr(value, "pk", value) for name, value in world.items()}
    path = "/api/v1/" + ("" if template == "/" else template.format(**ids))
    body = body_for(call, world)
    if method == "GET":
        return client.get(path, **auth)
    if method == "DELETE":
        return client.delete(path, **auth)
    if call == "POST   imports/":
        return client.post(path, body, **auth)  # multipart
    send = client.post if method == "POST" else client.patch
    return send(path, body or {}, content_type="application/json", **auth)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("call", list(MATRIX))
def test_each_role_gets_exactly_the_status_of_the_table(client, world, call, role):
    expected = MATRIX[call][ROLES.index(role)]

    reply = call_api(client, call, world, credentials(role))

    assert reply.status_code == expected, (call, role, reply.content[:300])


def test_the_matrix_covers_every_resource_of_api_md():
    resources = {call.split()[1].split("/")[0] for call in MATRIX}
    assert {
        "customers", "imports", "purchases", "surveys", "distributions", "responses",
        "feedback", "topics", "cases", "metrics", "analytics", "evaluations", "reports",
    } <= resources  # fmt: skip
