"""What the schema fuzz test found, each pinned with the input that broke it.

Every call goes through the app (WSGI) and its response is checked against /api/schema/:
no server error, and status code, content type, headers and body as documented.
"""

import json

import pytest

from analytics.evaluations.periods import PeriodError, period_parse
from analytics.models import ImportJob
from feedback.models import FeedbackItem, FeedbackTopic, Topic
from feedback.models.cases import CaseNote
from surveys.models import Answer
from tests.api.conftest import CONFORMANCE_CHECKS
from tests.factories import CustomerFactory, detractor_case, published_survey, submitted_response

pytestmark = pytest.mark.django_db


def call(api_schema, headers, method: str, path: str, **case):
    """One request through the schema's operation, validated; returns the response."""
    operation = api_schema[path][method]
    return operation.Case(**case).call_and_validate(headers=headers, checks=CONFORMANCE_CHECKS)


def content_type(reply) -> str:
    return reply.headers["content-type"][0]


def test_the_schema_documents_the_error_responses(api_schema):
    paths = api_schema.raw_schema["paths"]
    trend = paths["/api/v1/topics/{id}/trend/"]["get"]["responses"]
    submit = paths["/api/v1/public/surveys/{slug}/responses/"]["post"]["responses"]

    assert {"200", "401", "403", "404"} <= set(trend)
    assert "400" not in trend  # no input to validate in a plain read
    assert {"201", "400", "404", "429"} <= set(submit)
    assert "401" not in submit  # public: no credentials to refuse


def test_a_new_unassigned_case_conforms(api_schema, admin_headers):
    # assignee, team and resolution reason are null and outcome "" until someone acts.
    case = detractor_case(comment="等了半小时没人理")

    reply = call(api_schema, admin_headers, "GET", "/api/v1/cases/{id}/",
                 path_parameters={"id": case.pk})  # fmt: skip

    body = reply.json()
    assert (body["assignee"], body["team"], body["resolution_reason"], body["outcome"]) == (
        None, None, None, "",
    )  # fmt: skip
    listed = call(api_schema, admin_headers, "GET", "/api/v1/cases/")
    assert listed.json()["count"] == 1


def test_case_notes_are_a_plain_list_and_a_new_note_answers_201(api_schema, admin_headers):
    case = detractor_case()

    added = call(api_schema, admin_headers, "POST", "/api/v1/cases/{id}/notes/",
                 path_parameters={"id": case.pk}, body={"text": "已电话联系客户"},
                 media_type="application/json")  # fmt: skip
    notes = call(api_schema, admin_headers, "GET", "/api/v1/cases/{id}/notes/",
                 path_parameters={"id": case.pk})  # fmt: skip

    assert added.status_code == 201
    assert [note["text"] for note in notes.json()] == ["已电话联系客户"]
    assert CaseNote.objects.filter(case=case).count() == 1


def test_a_topic_trend_is_a_plain_list(api_schema, admin_headers):
    topic = Topic.objects.create(key="logistics", name="物流")
    item = FeedbackItem.objects.create(text="物流太慢", source="wechat", sentiment_score=0.2)
    FeedbackTopic.objects.create(item=item, topic=topic, weight=1.0)

    reply = call(api_schema, admin_headers, "GET", "/api/v1/topics/{id}/trend/",
                 path_parameters={"id": topic.pk})  # fmt: skip

    assert [row["count"] for row in reply.json()] == [1]


@pytest.mark.parametrize(
    "path", ["/api/v1/dashboard/sentiment-trend/", "/api/v1/dashboard/topics/",
             "/api/v1/metrics/trend/"],
)  # fmt: skip
def test_dashboard_series_are_lists(api_schema, admin_headers, path):
    reply = call(api_schema, admin_headers, "GET", path, query={"from": "2000-01-01",
                                                                "to": "2000-01-01"})  # fmt: skip

    assert reply.json() == []


@pytest.mark.parametrize("code", ["0000Q1", "9999Q4", "9999-12"])
def test_a_period_the_calendar_cannot_hold_is_a_400(api_schema, admin_headers, code):
    reply = call(api_schema, admin_headers, "GET", "/api/v1/evaluations/{period}/",
                 path_parameters={"period": code})  # fmt: skip

    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == ["period"]
    with pytest.raises(PeriodError):
        period_parse(code)


def test_a_response_without_an_nps_answer_conforms(api_schema, admin_headers):
    survey = published_survey("service_csat", slug="csat-fuzz")
    response = submitted_response(survey=survey, data={"csat": 4, "resolved": "yes"})

    one = call(api_schema, admin_headers, "GET", "/api/v1/responses/{id}/",
               path_parameters={"id": response.pk})  # fmt: skip

    assert (one.json()["nps_score"], one.json()["nps_group"]) == (None, None)


def test_a_customer_without_purchases_conforms(api_schema, admin_headers):
    customer = CustomerFactory()

    reply = call(api_schema, admin_headers, "GET", "/api/v1/customers/{id}/",
                 path_parameters={"id": customer.pk})  # fmt: skip

    assert reply.json()["id"] == customer.pk


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/customers/{id}/personal-data/"),
     ("DELETE", "/api/v1/customers/{id}/personal-data/"),
     ("POST", "/api/v1/customers/{id}/merge/")],
)  # fmt: skip
def test_a_malformed_customer_id_is_a_404(api_schema, admin_headers, method, path):
    CustomerFactory()

    reply = call(api_schema, admin_headers, method, path, path_parameters={"id": "null"})

    assert (reply.status_code, content_type(reply)) == (404, "application/json")


def test_an_error_of_the_import_error_report_is_json(api_schema, admin_headers):
    job = ImportJob.objects.create(kind="purchases", original_name="orders.csv")

    missing = call(api_schema, admin_headers, "GET", "/api/v1/imports/{id}/error-report/",
                   path_parameters={"id": job.pk + 1})  # fmt: skip
    no_report = call(api_schema, admin_headers, "GET", "/api/v1/imports/{id}/error-report/",
                     path_parameters={"id": job.pk})  # fmt: skip

    for reply in (missing, no_report):
        assert (reply.status_code, content_type(reply)) == (404, "application/json")
        assert "detail" in reply.json()


def test_an_api_url_that_matches_no_route_answers_json_and_pages_keep_html(client, admin_headers):
    auth = {"HTTP_AUTHORIZATION": admin_headers["Authorization"]}

    api = client.post("/api/v1/cases/2.5/notes/", **auth)
    page = client.get("/no-such-page/")

    assert (api.status_code, api["Content-Type"], "detail" in api.json()) == (
        404, "application/json", True,
    )  # fmt: skip
    assert (page.status_code, page["Content-Type"].split(";")[0]) == (404, "text/html")


@pytest.mark.parametrize(
    ("method", "path", "field", "body"),
    [("PATCH", "/api/v1/surveys/{id}/", "opens_at", {"opens_at": "1360-02-13T12:05:20Z"}),
     ("PATCH", "/api/v1/surveys/{id}/", "closes_at", {"closes_at": "1969-12-31T23:00:00Z"}),
     ("POST", "/api/v1/purchases/", "ordered_at", None),
     ("POST", "/api/v1/feedback/", "created_at",
      {"text": "好", "created_at": "1899-01-01T00:00Z"})],
)  # fmt: skip
def test_a_date_time_the_api_could_not_write_back_is_a_400(
    api_schema, admin_headers, method, path, field, body
):
    survey = published_survey(slug="dates-fuzz")
    customer = CustomerFactory(external_id="D-1")
    if body is None:
        body = {"customer": customer.external_id, "order_id": "O-1",
                "ordered_at": "1360-02-13T12:05:20Z", "amount": "10.00"}  # fmt: skip

    reply = call(api_schema, admin_headers, method, path, body=body,
                 path_parameters={"id": survey.pk} if "{id}" in path else {},
                 media_type="application/json")  # fmt: skip

    assert reply.status_code == 400
    assert "1970" in reply.json()["errors"][field][0]
    survey.refresh_from_db()
    assert (survey.opens_at, survey.closes_at) == (None, None)


def test_a_normal_opening_date_still_works(api_schema, admin_headers):
    survey = published_survey(slug="dates-ok")

    reply = call(api_schema, admin_headers, "PATCH", "/api/v1/surveys/{id}/",
                 path_parameters={"id": survey.pk}, media_type="application/json",
                 body={"opens_at": "2026-12-01T09:00:00+08:00"})  # fmt: skip

    assert reply.json()["opens_at"] == "2026-12-01T09:00:00+08:00"


@pytest.mark.parametrize(
    "url",
    ["/api/v1/metrics/summary/?to=9999-12-31", "/api/v1/dashboard/nps-distribution/?to=9999-12-31",
     "/api/v1/analytics/rfm/?as_of=9999-12-31"],
)  # fmt: skip
def test_a_day_in_the_year_9999_is_a_400(client, admin_headers, url):
    reply = client.get(url, HTTP_AUTHORIZATION=admin_headers["Authorization"])

    assert reply.status_code == 400


@pytest.mark.parametrize(
    "url",
    ["/api/v1/customers/?region=%00", "/api/v1/dashboard/nps-distribution/?region=a%00b",
     "/api/v1/cases/?value_tier=%00"],
)  # fmt: skip
def test_a_nul_character_in_an_api_filter_is_a_400(client, admin_headers, url):
    reply = client.get(url, HTTP_AUTHORIZATION=admin_headers["Authorization"],
                       HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip

    assert (reply.status_code, reply["Content-Type"]) == (400, "application/json")
    assert "NUL" in reply.json()["detail"]


def test_a_nul_character_in_a_staff_page_filter_is_a_400(client, admin_headers):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nul-admin", role="管理员 Admin"))

    reply = client.get("/staff/customers/?q=%00")

    assert reply.status_code == 400


@pytest.mark.parametrize(
    ("path", "body"),
    [("/api/v1/surveys/", {"title": "t", "kind": "nps", "slug": "nul-1", "questions": [
        {"key": "q1", "type": "single", "text": "q", "options": [{"value": "a\x00", "label": "b"}]}
    ]}),
     ("/api/v1/customers/", {"external_id": "nul-1", "name": "n", "attributes": {"k": "a\x00"}})],
)  # fmt: skip
def test_a_nul_character_in_an_api_json_body_is_a_400_and_nothing_is_saved(
    client, admin_headers, path, body
):
    from surveys.models import Customer, Survey

    reply = client.post(path, json.dumps(body), content_type="application/json",
                        HTTP_AUTHORIZATION=admin_headers["Authorization"])  # fmt: skip

    assert reply.status_code == 400
    assert not Survey.objects.filter(slug="nul-1").exists()
    assert not Customer.objects.filter(external_id="nul-1").exists()


def test_an_escaped_backslash_before_u0000_is_ordinary_text(client, admin_headers):
    body = {"external_id": "bs-1", "name": "n", "attributes": {"path": "C:\\u0000"}}

    reply = client.post("/api/v1/customers/", json.dumps(body), content_type="application/json",
                        HTTP_AUTHORIZATION=admin_headers["Authorization"])  # fmt: skip

    assert reply.status_code == 201, reply.content


def test_a_respondents_answer_with_a_nul_character_is_still_saved(client):
    survey = published_survey(slug="nul-answers")
    body = {"answers": {"nps": 3, "comment": "太慢\x00了"}, "consent": True}

    reply = client.post(
        f"/api/v1/public/surveys/{survey.slug}/responses/", json.dumps(body),
        content_type="application/json", HTTP_X_DEVICE_ID="nul-device-1",
    )  # fmt: skip

    assert reply.status_code == 201
    assert Answer.objects.get(question_key="comment").text == "太慢了"


@pytest.mark.parametrize(
    "url",
    ["/api/v1/distributions/?survey=19393928022069518036313120440320",
     "/api/v1/responses/?survey=-19393928022069518036313120440320",
     "/api/v1/feedback/?topic=9223372036854775808"],
)  # fmt: skip
def test_an_id_filter_past_the_database_integers_is_a_400(client, admin_headers, url):
    # SQLite (the demo's database) cannot even compare such a number: it was a 500 there.
    reply = client.get(url, HTTP_AUTHORIZATION=admin_headers["Authorization"])

    assert reply.status_code == 400


def test_the_largest_database_integer_is_still_a_valid_id_filter(client, admin_headers):
    reply = client.get("/api/v1/responses/?survey=9223372036854775807",
                       HTTP_AUTHORIZATION=admin_headers["Authorization"])  # fmt: skip

    assert (reply.status_code, reply.json()["count"]) == (200, 0)
