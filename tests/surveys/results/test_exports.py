"""GET /api/v1/surveys/{id}/responses/export.{csv,xlsx,sav}: one row per filtered response,
a multiple choice as one 0/1 column per option, labels or codes, every export logged."""

import csv
import io
import tempfile

import openpyxl
import pyreadstat
import pytest

from surveyhub.security.roles import Role
from surveys.models import PersonalDataAccess, Response
from tests.factories import UserFactory
from tests.surveys.results.helpers import survey_with_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    client.force_login(UserFactory(role=Role.AGENT))
    return client


def _csv(reply):
    body = b"".join(reply.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_one_row_per_filtered_response_with_labels(agent):
    survey = survey_with_answers()
    reply = agent.get(f"/api/v1/surveys/{survey.pk}/responses/export.csv", {"store": "BJ02"})
    assert reply.status_code == 200
    assert reply["Content-Type"].startswith("text/csv")
    rows = _csv(reply)
    kept = Response.objects.filter(survey=survey, store="BJ02").order_by("pk")
    assert [int(r["答卷编号"]) for r in rows] == [r.pk for r in kept]
    nps = "您有多大可能向朋友或同事推荐本次购物体验？"
    assert [int(r[nps]) for r in rows] == [r.nps_score for r in kept]
    delivery = [r["您不满意的主要原因是？: 物流配送"] for r in rows]
    assert delivery == ["0", "1", "1", "0"]
    assert [r["您不满意的主要原因是？: 其他"] for r in rows] == ["0", "0", "1", "0"]
    assert [r["您不满意的主要原因是？: “其他”内容"] for r in rows] == ["", "", "包装破损", ""]
    assert rows[0]["渠道"] == "微信"
    # Formula injection: a text starting with "=" is shown as text.
    assert rows[0]["还有什么想告诉我们的吗？"] == "'=1+1 还行"


def test_codes_instead_of_labels_on_request(agent):
    survey = survey_with_answers()
    reply = agent.get(
        f"/api/v1/surveys/{survey.pk}/responses/export.csv", {"codes": "1", "channel": "link"}
    )
    rows = _csv(reply)
    assert [r["channel"] for r in rows] == ["link", "link"]
    assert [r["reason_delivery"] for r in rows] == ["1", "1"]
    assert [r["reason_price"] for r in rows] == ["1", "0"]


def test_every_export_is_written_to_the_access_log(agent):
    survey = survey_with_answers()
    b"".join(agent.get(f"/api/v1/surveys/{survey.pk}/responses/export.csv").streaming_content)
    entry = PersonalDataAccess.objects.get()
    assert (entry.action, entry.resource, entry.object_id, entry.count) == (
        "export",
        "survey_responses",
        str(survey.pk),
        8,
    )


def test_the_xlsx_holds_the_same_rows(agent):
    survey = survey_with_answers()
    reply = agent.get(f"/api/v1/surveys/{survey.pk}/responses/export.xlsx", {"codes": "1"})
    assert reply.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(reply.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert len(rows) == 9
    nps = header.index("nps")
    assert sorted(r[nps] for r in rows[1:]) == sorted(
        Response.objects.filter(survey=survey).values_list("nps_score", flat=True)
    )


def test_the_sav_has_variable_and_value_labels(agent):
    survey = survey_with_answers()
    reply = agent.get(f"/api/v1/surveys/{survey.pk}/responses/export.sav", {"channel": "link"})
    assert reply.status_code == 200
    with tempfile.NamedTemporaryFile(suffix=".sav") as f:
        f.write(b"".join(reply.streaming_content))
        f.flush()
        frame, meta = pyreadstat.read_sav(f.name)
    assert len(frame) == 2
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["nps"] == "您有多大可能向朋友或同事推荐本次购物体验？"
    assert list(frame["reason_delivery"]) == [1, 1]
    assert meta.variable_value_labels["reason_delivery"] == {0: "否", 1: "是"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav"])
def test_designers_may_not_export_single_responses(client, fmt):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.DESIGNER))
    reply = client.get(f"/api/v1/surveys/{survey.pk}/responses/export.{fmt}")
    assert reply.status_code == 403
    assert reply.json()["detail"]
    assert not PersonalDataAccess.objects.exists()


def test_a_bad_filter_of_an_export_is_a_json_400(agent):
    survey = survey_with_answers()
    reply = agent.get(f"/api/v1/surveys/{survey.pk}/responses/export.csv", {"channel": "fax"})
    assert reply.status_code == 400
    assert list(reply.json()["errors"]) == ["channel"]
