"""One JSON parser for the whole API (surveyhub/api/parsers.py): a body nested too deep, a
number that overflows, NaN, a duplicate key or bytes that are not UTF-8 answer 400 in the
one error shape — on the public submit and on the staff endpoints alike, never a 500
(issue 22: a 2 KB body nested 1,000 levels deep was a RecursionError)."""

import json

import pytest
from django.test import Client

from surveyhub.api.parsers import MAX_DEPTH, JSONRefused, loads, nesting_depth
from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from tests.factories import UserFactory, one_of_each_resource

pytestmark = pytest.mark.django_db

ANSWERS = '{"answers": {"nps": 3, "comment": "太慢了"}, "consent": true, "extra": '


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


BODIES = {
    "nested 1,000 levels (2 KB)": nested(1_000),
    "nested 100,000 levels": nested(100_000),
    "deep inside a valid body": ANSWERS + '{"a": ' * 1_000 + "1" + "}" * 1_000 + "}",
    "1e999": ANSWERS + "1e999}",
    "-1e999": '{"answers": {"nps": -1e999}, "consent": true}',
    "a 10,000-digit integer": ANSWERS + "9" * 10_000 + "}",
    "a 100-digit integer": '{"answers": {"nps": ' + "1" * 100 + "}}",
    "NaN": ANSWERS + "NaN}",
    "Infinity": '{"answers": {"nps": Infinity}}',
    "duplicate keys": '{"answers": {"nps": 3}, "answers": {"nps": 10}, "consent": true}',
    "duplicate nested keys": '{"answers": {"nps": 3, "nps": 10}, "consent": true}',
    "invalid UTF-8": b'{"answers": {"comment": "\xff\xfe\xc3"}}',
    "truncated": '{"answers": {"nps": 3',
}


def body_bytes(body) -> bytes:
    return body if isinstance(body, bytes) else body.encode()


def assert_one_shape_400(reply):
    assert reply.status_code == 400, reply.content[:300]
    payload = reply.json()
    assert set(payload) <= {"detail", "errors"}
    assert isinstance(payload["detail"], str) and payload["detail"].strip()


@pytest.fixture
def world():
    return one_of_each_resource(slug="parser-nps", external_id="parser-1", order_id="PARSER-1")


@pytest.fixture
def staff():
    admin = UserFactory(username="parser-admin", role=Role.ADMIN)
    _token, key = api_token_create(user=admin)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.parametrize("name", list(BODIES))
def test_the_public_submit_answers_400_in_the_one_shape(client, world, name):
    reply = client.post(
        f"/api/v1/public/surveys/{world.survey.slug}/responses/", body_bytes(BODIES[name]),
        content_type="application/json", HTTP_X_DEVICE_ID="parser-device-1",
    )  # fmt: skip
    assert_one_shape_400(reply)


@pytest.mark.parametrize("name", list(BODIES))
@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/customers/"), ("post", "/api/v1/surveys/"),
     ("patch", "/api/v1/cases/{case}/"), ("post", "/api/v1/cases/{case}/notes/"),
     ("put", "/api/v1/customers/{customer}/")],
)  # fmt: skip
def test_staff_endpoints_answer_400_in_the_one_shape(staff, world, method, path, name):
    url = path.format(case=world.case.pk, customer=world.customer.pk)
    reply = getattr(staff, method)(url, body_bytes(BODIES[name]), content_type="application/json")
    assert_one_shape_400(reply)


def test_the_messages_say_what_is_wrong_in_the_requests_language(staff, world):
    cases = {
        nested(1_000): ("nested more than 32 levels", "32"),
        '{"a": 1e999}': ("too large", "1e999"),
        '{"a": 1, "a": 2}': ("appears twice", "“a”"),
        '{"a": NaN}': ("NaN is not a JSON value", "NaN"),
    }
    for body, (english, in_both) in cases.items():
        reply = staff.post(
            "/api/v1/customers/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert english in reply.json()["detail"]
        chinese = staff.post("/api/v1/customers/", body, content_type="application/json")
        detail = chinese.json()["detail"]
        assert in_both in detail and english not in detail


def test_a_valid_body_nested_to_the_limit_is_still_accepted(client, world):
    # An answer can be no deeper than a few levels; the limit only refuses absurd nesting.
    body = {"answers": {"nps": 3, "comment": "还行"}, "consent": True}
    reply = client.post(
        f"/api/v1/public/surveys/{world.survey.slug}/responses/", json.dumps(body),
        content_type="application/json", HTTP_X_DEVICE_ID="parser-device-ok",
    )  # fmt: skip
    assert reply.status_code == 201, reply.content


def test_nesting_is_counted_outside_strings_only():
    assert nesting_depth('{"a": "[[[[{{{{", "b": ["\\"[[["]}') == 2
    assert nesting_depth(nested(MAX_DEPTH)) == MAX_DEPTH
    assert loads(nested(MAX_DEPTH)) is not None
    assert loads('{"text": "' + "[" * 10_000 + '"}') == {"text": "[" * 10_000}
    with pytest.raises(JSONRefused):
        loads(nested(MAX_DEPTH + 1))


def test_an_unterminated_string_full_of_escapes_is_scanned_quickly():
    import time

    text = '"' + '\\"' * 200_000
    started = time.perf_counter()
    with pytest.raises(JSONRefused):
        loads(text)
    assert time.perf_counter() - started < 2


def test_ordinary_json_is_read_as_before():
    text = '{"a": [1, 2.5, -3, 1e10, null, true, "x"], "b": {"c": "😡"}, "n": ' + "9" * 64 + "}"
    assert loads(text) == json.loads(text)
    assert loads(text.encode()) == json.loads(text)
