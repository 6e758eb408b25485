"""Every API error has one shape, on every endpoint group, in both languages.

    {"detail": "<one sentence>", "errors": {"<field>": ["<message>", …]}}

`detail` a non-empty string; `errors` only when fields are at fault (a dict of non-empty
lists of strings, nested input by dotted path), no other keys — in zh-Hans (the default) and
in English (`Accept-Language: en`). Each call below goes through HTTP the way clients call:
`Authorization: Token <key>`, JSON bodies (multipart for imports). The kinds: 400 invalid
input naming its fields, 400 a domain rule (a service's DomainError, with or without a
field), 400 a malformed body, 401, 403, 404, 405, 413, 415 and 429.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from surveyhub.api.tokens import api_token_create
from surveyhub.security import ratelimit
from surveyhub.security.roles import Role
from tests.factories import SurveyFactory, UserFactory, one_of_each_resource, published_survey

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")
# Han characters and CJK / full-width punctuation: in every Chinese message, in no English one.
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
MISSING = 999_999_999
CSV = b"order_id,customer_id,order_date,amount\nO1,C1,2026-01-05,10.00\n"
MB = 1024 * 1024


@dataclass(frozen=True)
class Raw:
    """A body sent as it is, with its content type."""

    data: bytes
    content_type: str


@dataclass(frozen=True)
class Call:
    group: str
    kind: str
    method: str
    path: str  # under /api/v1/; {name} filled in from the world
    status: int
    # The fields `errors` must name, exactly; empty: the error is of no field, no `errors`.
    fields: tuple[str, ...] = ()
    body: object = None  # dict (JSON), Raw, or callable(world) -> dict (multipart)
    role: str = "admin"  # admin, designer, agent, anonymous, bad token
    settings: dict = field(default_factory=dict)
    header: str | None = None  # a header the response must carry (Allow, Retry-After…)

    @property
    def id(self) -> str:
        return f"{self.group}: {self.kind}: {self.method} {self.path}"


def upload(name="orders.csv", content=CSV, **fields):
    def build(world):
        return {"kind": "purchases", **fields, "file": SimpleUploadedFile(name, content)}

    return build


def json_body(**values):
    """A JSON body with {name} placeholders filled in from the world."""

    def build(world):
        return {k: v.format(**world) if isinstance(v, str) else v for k, v in values.items()}

    return build


TEXT = Raw(b"name=x", "text/plain")
BROKEN_JSON = Raw(b'{"name": ', "application/json")
SUBMIT = "public/surveys/{slug}/responses/"
NEW_SURVEY = {"title": "Store", "slug": "store-new", "kind": "csat", "questions": []}

# fmt: off
CALLS = [
    # customers
    Call("customers", "400 validation", "POST", "customers/", 400, ("email",),
         {"external_id": "NEW-1", "email": "not-an-email"}),
    Call("customers", "400 domain", "POST", "customers/", 400, ("external_id",),
         json_body(external_id="{external_id}", name="x")),
    Call("customers", "400 domain", "POST", "customers/{customer}/merge/", 400, (),
         json_body(duplicate="{customer}")),
    Call("customers", "400 domain", "DELETE", "customers/{erased}/personal-data/", 400),
    Call("customers", "400 malformed", "POST", "customers/", 400, (), BROKEN_JSON),
    Call("customers", "401", "GET", "customers/", 401, role="anonymous", header="WWW-Authenticate"),
    Call("customers", "403", "GET", "customers/{customer}/personal-data/", 403, role="designer"),
    Call("customers", "404", "GET", f"customers/{MISSING}/", 404),
    Call("customers", "405", "PUT", "customers/{customer}/personal-data/", 405, header="Allow"),
    Call("customers", "415", "POST", "customers/", 415, (), TEXT),
    # imports (multipart)
    Call("imports", "400 validation", "POST", "imports/", 400, ("kind",), upload(kind="orders")),
    Call("imports", "400 validation", "POST", "imports/", 400, ("file",),
         lambda world: {"kind": "purchases"}),
    Call("imports", "400 domain", "POST", "imports/", 400, ("file",), upload(name="orders.pdf")),
    Call("imports", "400 domain", "POST", "imports/", 400, ("mapping",),
         upload(mapping='{"a": "price"}')),
    Call("imports", "401", "GET", "imports/", 401, role="anonymous"),
    Call("imports", "403", "GET", "imports/", 403, role="designer"),
    Call("imports", "404", "GET", f"imports/{MISSING}/", 404),
    Call("imports", "404", "GET", "imports/{import}/error-report/", 404),  # no report: JSON too
    Call("imports", "405", "DELETE", "imports/{import}/", 405),
    # Refused from its Content-Length by the upload middleware, before the view…
    Call("imports", "413", "POST", "imports/", 413, ("file",),
         upload(content=CSV + b"x" * (2 * MB + 100_000)),
         settings={"SURVEYHUB_IMPORT_MAX_UPLOAD_MB": 1}),
    # …and by the importer (a domain error with status 413) when within the form's slack.
    Call("imports", "413", "POST", "imports/", 413, ("file",),
         upload(content=CSV + b"x" * (MB + 100_000)),
         settings={"SURVEYHUB_IMPORT_MAX_UPLOAD_MB": 1}),
    Call("imports", "415", "POST", "imports/", 415, (), {"kind": "purchases"}),
    # purchases
    Call("purchases", "400 validation", "POST", "purchases/", 400, ("customer", "amount"),
         {"customer": "NOBODY", "order_id": "O-9", "ordered_at": "2026-01-05T00:00:00Z",
          "amount": "abc"}),
    Call("purchases", "400 validation", "GET", "purchases/?from=someday", 400, ("from",)),
    Call("purchases", "400 domain", "POST", "purchases/", 400, ("order_id",),
         json_body(customer="{external_id}", order_id="{order_id}",
                   ordered_at="2026-01-05T00:00:00Z", amount="1.00")),
    Call("purchases", "401", "GET", "purchases/", 401, role="anonymous"),
    Call("purchases", "403", "GET", "purchases/", 403, role="designer"),
    Call("purchases", "404", "GET", "purchases/?page=99", 404),
    Call("purchases", "404", "GET", "purchases/1/", 404),  # no such route: Django's 404 handler
    Call("purchases", "405", "DELETE", "purchases/", 405),
    Call("purchases", "415", "POST", "purchases/", 415, (), TEXT),
    # surveys
    Call("surveys", "400 validation", "POST", "surveys/", 400, ("questions.0.type",),
         {**NEW_SURVEY, "questions": [{"key": "q1", "type": "bogus", "text": "Q"}]}),
    Call("surveys", "400 domain", "POST", "surveys/", 400, ("slug",),
         json_body(**NEW_SURVEY | {"slug": "{slug}"})),
    Call("surveys", "400 domain", "POST", "surveys/{draft}/close/", 400),
    Call("surveys", "400 domain", "DELETE", "surveys/{survey}/", 400),  # it has responses
    Call("surveys", "400 malformed", "POST", "surveys/", 400, (), BROKEN_JSON),
    Call("surveys", "401", "GET", "surveys/", 401, role="anonymous"),
    Call("surveys", "403", "GET", "surveys/", 403, role="agent"),
    Call("surveys", "404", "GET", f"surveys/{MISSING}/", 404),
    Call("surveys", "404", "GET", "surveys/not-a-number/", 404),
    Call("surveys", "405", "GET", "surveys/{survey}/publish/", 405, header="Allow"),
    Call("surveys", "415", "POST", "surveys/", 415, (), TEXT),
    # distributions (and a survey's links)
    Call("distributions", "400 validation", "POST", "distributions/", 400, ("channel",),
         json_body(survey="{survey}", channel="fax")),
    Call("distributions", "400 validation", "GET", "distributions/?survey=x", 400, ("survey",)),
    Call("distributions", "400 domain", "POST", "distributions/", 400, ("audience",),
         json_body(survey="{survey}", channel="email", audience={"foo": 1})),
    Call("distributions", "400 domain", "POST", "distributions/{distribution}/send/", 400),
    Call("distributions", "400 domain", "GET", "surveys/{survey}/links/?c=carrier-pigeon", 400),
    Call("distributions", "401", "GET", "distributions/", 401, role="anonymous"),
    Call("distributions", "403", "GET", "distributions/", 403, role="agent"),
    Call("distributions", "404", "GET", f"distributions/{MISSING}/", 404),
    Call("distributions", "404", "GET", f"surveys/{MISSING}/links/", 404),
    Call("distributions", "405", "DELETE", "distributions/{distribution}/", 405),
    Call("distributions", "415", "POST", "distributions/", 415, (), TEXT),
    # responses
    Call("responses", "400 validation", "GET", "responses/?from=someday", 400, ("from",)),
    Call("responses", "401", "GET", "responses/", 401, role="anonymous"),
    Call("responses", "403", "GET", "responses/", 403, role="designer"),
    Call("responses", "404", "GET", f"responses/{MISSING}/", 404),
    Call("responses", "405", "POST", "responses/", 405),
    # feedback
    Call("feedback", "400 validation", "POST", "feedback/", 400, ("text", "source"),
         {"source": "fax"}),
    Call("feedback", "400 validation", "GET", "feedback/?sentiment=happy", 400, ("sentiment",)),
    Call("feedback", "400 domain", "POST", "feedback/", 400, ("text",), {"text": "   "}),
    Call("feedback", "401", "GET", "feedback/", 401, role="anonymous"),
    Call("feedback", "403", "GET", "feedback/", 403, role="designer"),
    Call("feedback", "404", "GET", f"feedback/{MISSING}/", 404),
    Call("feedback", "405", "DELETE", "feedback/{item}/", 405),
    Call("feedback", "415", "POST", "feedback/", 415, (), TEXT),
    # topics
    Call("topics", "400 validation", "POST", "topics/{topic}/merge/", 400, ("into",), {}),
    Call("topics", "400 domain", "POST", "topics/{topic}/merge/", 400, ("into",),
         json_body(into="{topic}")),
    Call("topics", "401", "GET", "topics/", 401, role="anonymous"),
    Call("topics", "403", "GET", "topics/", 403, role="designer"),
    Call("topics", "404", "GET", f"topics/{MISSING}/", 404),
    Call("topics", "405", "POST", "topics/", 405),
    Call("topics", "415", "PATCH", "topics/{topic}/", 415, (), TEXT),
    # cases
    Call("cases", "400 validation", "PATCH", "cases/{case}/", 400, ("status",),
         {"status": "bogus"}),
    Call("cases", "400 validation", "GET", "cases/?view=bogus&priority=P9", 400,
         ("view",)),
    Call("cases", "400 domain", "PATCH", "cases/{case}/", 400, ("status",),
         {"status": "assigned"}),
    Call("cases", "400 domain", "PATCH", "cases/{case}/", 400, (), {"status": "closed"}),
    Call("cases", "401", "GET", "cases/", 401, role="anonymous"),
    Call("cases", "403", "GET", "cases/", 403, role="designer"),
    Call("cases", "404", "GET", f"cases/{MISSING}/", 404),
    Call("cases", "405", "DELETE", "cases/{case}/", 405),
    Call("cases", "415", "POST", "cases/{case}/notes/", 415, (), TEXT),
    # metrics
    Call("metrics", "400 validation", "GET", "metrics/trend/?metric=revenue&interval=hour", 400,
         ("metric", "interval")),
    Call("metrics", "400 validation", "GET", "metrics/summary/?from=2026-05-02&to=2026-05-01",
         400, ("to",)),
    Call("metrics", "401", "GET", "metrics/summary/", 401, role="anonymous"),
    Call("metrics", "403", "GET", "metrics/summary/", 403, role="agent"),
    Call("metrics", "404", "GET", "metrics/nothing/", 404),
    Call("metrics", "405", "POST", "metrics/summary/", 405),
    # analytics (and the dashboard's JSON)
    Call("analytics", "400 validation", "GET", "analytics/rfm/?as_of=someday", 400, ("as_of",)),
    Call("analytics", "400 validation", "GET", "analytics/clv/?run=abc", 400, ("run",)),
    Call("analytics", "400 validation", "GET", "dashboard/service/?interval=year", 400,
         ("interval",)),
    Call("analytics", "401", "GET", "analytics/rfm/", 401, role="anonymous"),
    Call("analytics", "403", "GET", "analytics/clv/", 403, role="agent"),
    Call("analytics", "403", "GET", "dashboard/matrix/", 403, role="designer"),
    Call("analytics", "404", "GET", f"analytics/clv/?run={MISSING}", 404),
    Call("analytics", "405", "POST", "analytics/rfm/", 405),
    # evaluations
    Call("evaluations", "400 validation", "GET", "evaluations/{period}/?version=x", 400,
         ("version",)),
    Call("evaluations", "400 domain", "GET", "evaluations/2026-13/", 400, ("period",)),
    Call("evaluations", "401", "GET", "evaluations/", 401, role="anonymous"),
    Call("evaluations", "403", "GET", "evaluations/", 403, role="agent"),
    Call("evaluations", "404", "GET", "evaluations/2025Q1/", 404),
    Call("evaluations", "405", "POST", "evaluations/", 405),
    # reports
    Call("reports", "400 validation", "POST", "reports/", 400, ("period", "format"),
         {"format": "doc"}),
    Call("reports", "400 domain", "POST", "reports/", 400, ("period",), {"period": "2026Q5"}),
    Call("reports", "401", "GET", "reports/", 401, role="anonymous"),
    Call("reports", "403", "POST", "reports/", 403, (), {"period": "2026Q2"}, role="agent"),
    Call("reports", "404", "GET", f"reports/{MISSING}/", 404),
    Call("reports", "404", "GET", "reports/{report}/download/", 404),  # not generated yet
    Call("reports", "405", "DELETE", "reports/{report}/", 405),
    Call("reports", "415", "POST", "reports/", 415, (), TEXT),
    # public submit (no login: no 401/403)
    Call("public submit", "400 validation", "POST", SUBMIT, 400, ("answers",),
         {"answers": "nps=9"}, role="anonymous"),
    Call("public submit", "400 domain", "POST", SUBMIT, 400, ("answers.nps", "answers.colour"),
         {"answers": {"nps": 11, "colour": "red"}, "consent": True}, role="anonymous"),
    Call("public submit", "400 domain", "POST", "public/surveys/{closed}/responses/", 400, (),
         {"answers": {"nps": 9}, "consent": True}, role="anonymous"),
    Call("public submit", "400 malformed", "POST", SUBMIT, 400, (), BROKEN_JSON,
         role="anonymous"),
    Call("public submit", "404", "POST", "public/surveys/no-such-survey/responses/", 404, (),
         {"answers": {"nps": 9}}, role="anonymous"),
    Call("public submit", "405", "GET", SUBMIT, 405, role="anonymous"),
    Call("public submit", "415", "POST", SUBMIT, 415, (), TEXT, role="anonymous"),
    Call("public submit", "429", "POST", SUBMIT, 429, (), {"answers": {"nps": 9}, "consent": True},
         role="anonymous", settings={"SURVEYHUB_RATELIMIT_SUBMIT_PER_MINUTE": 1},
         header="Retry-After"),
    # refused before any view, on any group
    Call("any", "401", "GET", "customers/", 401, role="bad token", header="WWW-Authenticate"),
    Call("any", "429", "GET", "customers/", 429, role="locked out", header="Retry-After"),
    Call("any", "400 malformed", "GET", "customers/?q=%00", 400),  # NUL guard
    Call("any", "400 malformed", "PATCH", "topics/{topic}/", 400, (),
         Raw(b'{"name": "a\\u0000b"}', "application/json")),  # NUL guard, in the body
    Call("any", "404", "GET", "no-such-resource/", 404),
]
# fmt: on

GROUPS = [
    "customers", "imports", "purchases", "surveys", "distributions", "responses", "feedback",
    "topics", "cases", "metrics", "analytics", "evaluations", "reports", "public submit",
]  # fmt: skip
# Groups whose services refuse things (a DomainError); the others only read.
WITH_DOMAIN_ERRORS = {
    "customers", "imports", "purchases", "surveys", "distributions", "feedback", "topics",
    "cases", "evaluations", "reports", "public submit",
}  # fmt: skip
WITH_BODIES = {
    "customers", "imports", "purchases", "surveys", "distributions", "feedback", "topics",
    "cases", "reports", "public submit",
}  # fmt: skip


def test_every_group_has_every_kind_of_error():
    kinds: dict[str, set[str]] = {}
    for call in CALLS:
        kinds.setdefault(call.group, set()).add(call.kind)
    for group in GROUPS:
        wanted = {"400 validation", "404", "405"}
        wanted |= {"429"} if group == "public submit" else {"401", "403"}
        wanted |= {"400 domain"} if group in WITH_DOMAIN_ERRORS else set()
        wanted |= {"415"} if group in WITH_BODIES else set()
        wanted |= {"413"} if group == "imports" else set()
        assert wanted <= kinds[group], (group, wanted - kinds[group])


@pytest.fixture
def world(monkeypatch):
    """The objects the calls name, the way clients meet them."""
    from surveyhub.models import LoginLockout
    from surveys.design.services import survey_close
    from surveys.privacy.personal_data import personal_data_erase
    from tests.factories import CustomerFactory, submitted_response

    # The rate limiter's clock stands still at the start of a window.
    monkeypatch.setattr(ratelimit, "_clock", lambda: 1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "_cache_down_until", 0.0)
    w = one_of_each_resource(slug="shape", external_id="SHAPE-1", order_id="SHAPE-O-1")
    submitted_response(survey=w.survey, data={"nps": 9})
    erased = CustomerFactory()
    personal_data_erase(customer=erased)
    LoginLockout.objects.create(
        scope="ip", value="10.0.0.99", failures=20, locked_at=timezone.now(),
        locked_until=timezone.now() + timedelta(minutes=10),
    )  # fmt: skip
    return {
        "survey": w.survey.pk, "slug": w.survey.slug, "customer": w.customer.pk,
        "external_id": w.customer.external_id, "order_id": "SHAPE-O-1", "case": w.case.pk,
        "item": w.item.pk, "topic": w.topic.pk, "import": w.job.pk, "report": w.report.pk,
        "distribution": w.distribution.pk, "period": w.period, "erased": erased.pk,
        "draft": SurveyFactory(slug="shape-draft").pk,
        "closed": survey_close(survey=published_survey(slug="shape-closed")).slug,
    }  # fmt: skip


def credentials(role: str) -> dict:
    if role == "anonymous":  # an app: its device id counts for the public rate limit
        return {"HTTP_X_DEVICE_ID": "shape-device-1"}
    if role in ("bad token", "locked out"):
        address = "10.0.0.99" if role == "locked out" else "10.0.0.1"
        return {"HTTP_AUTHORIZATION": "Token not-a-key", "REMOTE_ADDR": address}
    roles = {"admin": Role.ADMIN, "designer": Role.DESIGNER, "agent": Role.AGENT}
    _token, key = api_token_create(user=UserFactory(username=f"shape-{role}", role=roles[role]))
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def send(call: Call, world: dict, language: str, auth: dict):
    client = Client()
    path = "/api/v1/" + call.path.format(**world)
    headers = {"HTTP_ACCEPT_LANGUAGE": language, **auth}
    body = call.body
    if isinstance(body, Raw):
        return client.generic(call.method, path, body.data, body.content_type, **headers)
    if body is None:
        return client.generic(call.method, path, **headers)
    if call.group == "imports" and callable(body):  # multipart
        return client.post(path, body(world), **headers)
    data = body(world) if callable(body) else body
    return client.generic(call.method, path, json.dumps(data), "application/json", **headers)


def assert_one_shape(body, *, fields: tuple[str, ...], language: str) -> None:
    assert isinstance(body, dict)
    assert set(body) <= {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"].strip(), body
    if fields:
        errors = body.get("errors")
        assert isinstance(errors, dict), body
        assert set(errors) == set(fields), body
        for messages in errors.values():
            assert isinstance(messages, list) and messages, body
            assert all(isinstance(m, str) and m.strip() for m in messages), body
    else:
        assert "errors" not in body, body
    texts = [body["detail"], *(m for ms in body.get("errors", {}).values() for m in ms)]
    for text in texts:
        if language == "zh-hans":
            assert CJK.search(text), f"not in Chinese: {text!r}"
        else:
            assert not CJK.search(text), f"not in English: {text!r}"


@pytest.mark.parametrize("call", CALLS, ids=lambda call: call.id)
def test_each_error_has_the_one_shape_in_both_languages(call, world, settings):
    for name, value in call.settings.items():
        setattr(settings, name, value)
    auth = credentials(call.role)
    if call.status == 429 and call.role == "anonymous":
        assert send(call, world, "zh-hans", auth).status_code == 201  # spends the budget
    for language in LANGUAGES:
        reply = send(call, world, language, auth)

        assert reply.status_code == call.status, reply.content
        assert reply["Content-Type"] == "application/json", reply.content
        if call.header:
            assert reply.has_header(call.header)
        assert_one_shape(reply.json(), fields=call.fields, language=language)


def test_the_fields_are_named_by_dotted_paths_and_both_languages_say_the_same(world):
    auth = credentials("admin")
    body = {
        **NEW_SURVEY,
        "questions": [
            {"key": "q1", "type": "nps", "text": "Q"},
            {"key": "q2", "type": "bogus", "text": ""},
        ],
    }
    call = Call("surveys", "400 validation", "POST", "surveys/", 400, body=body)
    zh, en = (send(call, world, language, auth).json() for language in LANGUAGES)

    assert set(zh["errors"]) == set(en["errors"]) == {"questions.1.type", "questions.1.text"}
    assert zh["detail"] != en["detail"]
    assert "questions.1.type" in en["detail"] and "questions.1.text" in en["detail"]


def test_a_domain_error_without_a_field_is_its_message_alone(world):
    call = Call("cases", "400 domain", "PATCH", "cases/{case}/", 400, body={"status": "closed"})
    reply = send(call, world, "en", credentials("admin"))

    assert reply.json() == {"detail": "Only a resolved case can be closed; resolve it first."}


def test_non_field_errors_are_folded_into_detail():
    from rest_framework import serializers

    from surveyhub.api.errors import api_exception_body

    error = serializers.ValidationError(
        {"non_field_errors": ["The dates overlap."], "items": [{}, {"price": ["Too high."]}]}
    )
    assert api_exception_body(error) == {
        "detail": "The dates overlap.",
        "errors": {"items.1.price": ["Too high."]},
    }


def test_a_domain_errors_own_errors_become_fields_and_the_rest_detail():
    from surveyhub.api.errors import domain_error_body
    from surveys.distribution.invitations import DistributionError

    error = DistributionError(
        "The distribution is not valid.",
        {"__all__": ["It overlaps another one."], "send_at": ["In the past."], "max": "Too many."},
    )
    assert domain_error_body(error) == {
        "detail": "The distribution is not valid. It overlaps another one.",
        "errors": {"send_at": ["In the past."], "max": ["Too many."]},
    }


def test_the_schema_documents_every_error_response_in_the_one_shape(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    error = schema["components"]["schemas"]["Error"]
    responses = {
        (path, method): operation["responses"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in ("get", "put", "post", "patch", "delete")
    }

    assert (error["required"], error["additionalProperties"]) == (["detail"], False)
    assert set(error["properties"]) == {"detail", "errors"}
    assert error["properties"]["errors"]["additionalProperties"]["items"] == {"type": "string"}
    for (path, method), answers in responses.items():
        for code, answer in answers.items():
            if code.startswith("4"):
                body = answer["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (path, method, code)
    upload = responses[("/api/v1/imports/", "post")]
    assert {"400", "401", "403", "413", "415"} <= set(upload)
