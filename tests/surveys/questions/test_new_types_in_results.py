"""The newer types in the results: the results API and page (slider mean and values, answers
per province, image choices as choices), each response's page (region names, the link's
hidden values, the uploaded file as a download) and the CSV export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from surveyhub.security.roles import Role
from surveys.models import Response
from tests.factories import UserFactory
from tests.surveys.questions.fixtures import survey_of_each_type
from tests.surveys.questions.media import png

pytestmark = pytest.mark.django_db


def _answer(survey, query: str, **fields):
    data = {"page": 0, "action": "submit", "look": "red", **fields}
    reply = Client().post(f"/s/{survey.slug}/{query}", data)
    assert reply.status_code == 302, reply.content.decode()[:500]


@pytest.fixture
def answered():
    survey = survey_of_each_type()
    receipt = SimpleUploadedFile("小票.png", png(), content_type="image/png")
    _answer(survey, "?order=A-1&src=wechat", score="80", where__1="440000", where__2="440300",
            where__3="440305", looks=["red", "blue"], receipt=receipt)  # fmt: skip
    _answer(survey, "?order=A-2", score="40", where__1="110000", where__2="110100",
            where__3="110105", looks=["blue"])  # fmt: skip
    _answer(survey, "", score="60", where__1="440000", where__2="441900")
    return survey


@pytest.fixture
def manager():
    client = Client()
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def test_the_results_count_the_new_types(manager, answered):
    body = manager.get(f"/api/v1/surveys/{answered.pk}/results/").json()
    results = {q["key"]: q for q in body["questions"]}
    slider = results["score"]
    assert slider["type_label"] == "滑块" and slider["mean"] == 60 and slider["median"] == 60
    assert [(d["label"], d["count"]) for d in slider["distribution"]] == [
        ("40", 1),
        ("60", 1),
        ("80", 1),
    ]
    region = results["where"]
    assert [(d["label"], d["count"]) for d in region["distribution"]] == [
        ("广东省", 2),
        ("北京市", 1),
    ]
    looks = {d["label"]: d["count"] for d in results["looks"]["distribution"]}
    assert looks == {"中国红 🧧": 1, "湖水蓝": 2}
    assert results["order"]["answered"] == 2 and results["receipt"]["answered"] == 1

    html = manager.get(f"/staff/surveys/{answered.pk}/results/").content.decode()
    assert "图片多选" in html and "广东省" in html and "地区（省 / 市 / 区县）" in html


def test_a_response_page_shows_words_hidden_values_and_the_file_to_download(manager, answered):
    first = Response.objects.filter(survey=answered).order_by("pk").first()
    html = manager.get(f"/staff/surveys/{answered.pk}/responses/{first.pk}/").content.decode()
    assert "广东省 深圳市 南山区" in html and "A-1" in html and "wechat" in html
    token = first.answers.get(question_key="receipt").text
    assert f'href="/files/{first.pk}/{token}/" download>小票.png (' in html
    assert token not in html.replace(f"/files/{first.pk}/{token}/", "")
    listed = manager.get(f"/staff/surveys/{answered.pk}/responses/", {"search": "A-2"})
    assert "1 份答卷" in listed.content.decode()


def test_the_csv_export_holds_the_new_types_in_words(manager, answered):
    reply = manager.get(f"/api/v1/surveys/{answered.pk}/responses/export.csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(reply.streaming_content).decode("utf-8-sig"))))
    assert [r["您给这次送貨打几分？"] for r in rows] == ["80", "40", "60"]
    assert [r["您在哪裡收貨？"] for r in rows] == ["广东省 深圳市 南山区", "北京市 朝阳区",
                                                 "广东省 东莞市"]  # fmt: skip
    assert [r["订单号"] for r in rows] == ["A-1", "A-2", ""]
    assert [r["来源"] for r in rows] == ["wechat", "", ""]
    assert [r["请上传小票照片（可选）"] for r in rows] == ["小票.png", "", ""]
    assert [r["哪些顏色您會買？: 湖水蓝"] for r in rows] == ["1", "1", "0"]
    assert [r["您更喜歡哪款包裝？"] for r in rows] == ["中国红 🧧"] * 3
