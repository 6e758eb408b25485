"""Hidden fields (values the survey link carried) have a value distribution in the results
API, on the page and in every export, for people who read responses; "Other" texts are
listed only in their own list, never among the free-text answers."""

import csv
import io
import tempfile
from collections import Counter

import openpyxl
import pyreadstat
import pytest

from surveyhub.security.roles import Role
from surveys.models import Customer
from surveys.results.hidden_values import HIDDEN_TOP
from tests.factories import UserFactory
from tests.surveys.results.speed_data import ROWS, add_response, speed_survey

pytestmark = pytest.mark.django_db


def _login(client, role):
    client.force_login(UserFactory(role=role))
    return client


def _src(body):
    return next(q for q in body["questions"] if q["key"] == "src")


def test_the_api_gives_the_distribution_of_a_hidden_field(client):
    survey = speed_survey()
    body = _login(client, Role.MANAGER).get(f"/api/v1/surveys/{survey.pk}/results/").json()
    src = _src(body)
    expected = Counter(row[0]["src"] for row in ROWS if "src" in row[0])
    assert src["answered"] == sum(expected.values()) == 6
    assert [(e["value"], e["count"]) for e in src["distribution"]] == [
        ("wechat", 3), ("sms", 2), ("email", 1)]  # fmt: skip
    assert src["distribution"][0]["share"] == pytest.approx(50.0)
    filtered = client.get(f"/api/v1/surveys/{survey.pk}/results/", {"channel": "link"}).json()
    assert [(e["value"], e["count"]) for e in _src(filtered)["distribution"]] == [
        ("sms", 1), ("wechat", 1)]  # fmt: skip


def test_designers_see_no_hidden_values(client):
    survey = speed_survey()
    body = _login(client, Role.DESIGNER).get(f"/api/v1/surveys/{survey.pk}/results/").json()
    assert _src(body)["answered"] == 6 and _src(body)["distribution"] == []


def test_values_beyond_the_most_frequent_are_summed_up(client):
    survey = speed_survey()
    customers = list(Customer.objects.all())
    for n in range(HIDDEN_TOP):
        data = {"nps": 5, "src": f"订单{n:03d}"}
        add_response(survey, (data, "link", "", 9, 5, "", None, False), customers, None)
    body = _login(client, Role.MANAGER).get(f"/api/v1/surveys/{survey.pk}/results/").json()
    entries = _src(body)["distribution"]
    assert len(entries) == HIDDEN_TOP + 1
    assert [e["value"] for e in entries[:3]] == ["wechat", "sms", "email"]
    assert entries[-1]["value"] is None and entries[-1]["label"] == "其他值"
    assert entries[-1]["count"] == 6 + HIDDEN_TOP - sum(e["count"] for e in entries[:-1]) == 3


def test_the_exports_carry_the_hidden_field(client):
    survey = speed_survey()
    _login(client, Role.MANAGER)
    base = f"/api/v1/surveys/{survey.pk}/responses/export"
    text = b"".join(client.get(f"{base}.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    column = rows[0].index("来源")
    assert Counter(r[column] for r in rows[1:] if r[column]) == Counter(
        wechat=3, sms=2, email=1)  # fmt: skip
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(client.get(f"{base}.xlsx", {"codes": "1"}).streaming_content))
    )
    sheet = list(book.active.iter_rows(values_only=True))
    assert Counter(r[sheet[0].index("src")] for r in sheet[1:])["sms"] == 2
    with tempfile.NamedTemporaryFile(suffix=".sav") as f:
        f.write(b"".join(client.get(f"{base}.sav").streaming_content))
        f.flush()
        frame, _meta = pyreadstat.read_sav(f.name)
    assert Counter(frame["src"])["wechat"] == 3


def test_other_texts_are_listed_only_in_their_own_list(client):
    survey = speed_survey()
    html = _login(client, Role.MANAGER).get(f"/staff/surveys/{survey.pk}/results/").content
    html = html.decode()
    free_text = html.split('id="free-text"')[1].split("</section>")[0]
    other = html.split('id="other-texts"')[1].split("</section>")[0]
    assert "包裝破損" in other and "包裝破損" not in free_text
    assert "很好 👍" in free_text and "太慢了" in free_text
    searched = client.get(f"/staff/surveys/{survey.pk}/results/", {"search": "包裝"})
    assert "包裝破損" not in searched.content.decode().split('id="free-text"')[1].split(
        "</section>")[0]  # fmt: skip


def test_a_share_link_with_text_lists_other_texts_apart(client):
    survey = speed_survey()
    _login(client, Role.MANAGER)
    data = {"filters": "", "days": "7", "allow_text": "on"}
    assert client.post(f"/staff/surveys/{survey.pk}/results/shares/", data).status_code == 302
    page = client.get(f"/staff/surveys/{survey.pk}/results/shares/").content.decode()
    link = "/shared/results/" + page.split("/shared/results/")[1].split('"')[0]
    client.logout()
    html = client.get(link).content.decode()
    assert "包裝破損" in html.split('id="other-texts"')[1]
    assert "包裝破損" not in html.split('id="free-text"')[1].split("</section>")[0]
    assert "/staff/" not in html
