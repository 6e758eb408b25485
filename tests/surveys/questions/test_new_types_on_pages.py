"""Slider, region, image choice, file upload and hidden fields on the answering pages with
JavaScript off: plain controls, checked on the server, a clear Chinese message beside the
question, what was typed kept, nothing stored half."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.models import Response, ResponseFile, ResponseStatus
from tests.surveys.questions.fixtures import survey_of_each_type
from tests.surveys.questions.media import exe_named_like_an_image, pdf, png

pytestmark = pytest.mark.django_db

GOOD = {"score": "75", "where__1": "440000", "where__2": "440300", "where__3": "440305",
        "look": "red", "looks": ["red", "blue"]}  # fmt: skip


@pytest.fixture
def survey():
    return survey_of_each_type()


def _send(client, survey, query="", **fields):
    data = {"page": 0, "action": "submit", **GOOD, **fields}
    return client.post(f"/s/{survey.slug}/{query}", data)


def _fieldset(html: str, key: str) -> str:
    part = html[html.index(f'id="q-{key}"') :]
    return part[: part.index("</fieldset>")]


def test_the_page_has_plain_controls_and_never_shows_a_hidden_field(client, survey):
    html = client.get(f"/s/{survey.slug}/?order=A-1001&src=wechat").content.decode()
    assert 'enctype="multipart/form-data"' in html
    slider = _fieldset(html, "score")
    assert 'type="number" name="score"' in slider and 'step="5"' in slider
    assert "很差" in slider and "極好" in slider
    region = _fieldset(html, "where")
    assert '<option value="440000">广东省</option>' in region
    assert 'name="where__2" data-level="2" disabled' in region
    assert "显示下一级" in region  # the JS-off step to the next list
    look = _fieldset(html, "look")
    assert 'type="radio" name="look" value="red"' in look and '<img src="/brand/' in look
    assert 'type="checkbox" name="looks" value="blue"' in _fieldset(html, "looks")
    receipt = _fieldset(html, "receipt")
    assert 'type="file" name="receipt"' in receipt and "不超过 50 KB" in receipt
    body = html[html.index("<main") :]  # (the share card's page address is in the head)
    assert 'id="q-order"' not in body and "A-1001" not in body and 'name="src"' not in body


def test_everything_answered_is_stored_with_the_links_hidden_values(client, survey):
    receipt = SimpleUploadedFile("我的小票.PNG", png(), content_type="application/octet-stream")
    done = _send(client, survey, "?order=A-1001&src=wechat", receipt=receipt)
    assert done.status_code == 302, done.content.decode()[:2000]
    response = Response.objects.get(status=ResponseStatus.COMPLETED)
    answers = {a.question_key: a for a in response.answers.all()}
    assert answers["score"].number == 75
    assert answers["where"].choices == ["440000", "440300", "440305"]
    assert answers["where"].text == "广东省 深圳市 南山区"
    assert answers["look"].choices == ["red"] and answers["looks"].choices == ["red", "blue"]
    assert (answers["order"].text, answers["src"].text) == ("A-1001", "wechat")
    stored = ResponseFile.objects.get()
    assert answers["receipt"].text == stored.token and stored.response == response
    assert (stored.name, stored.content_type, bytes(stored.data)) == (
        "我的小票.png",
        "image/png",
        png(),
    )


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"score": "73"}, "score", "请选择 0 到 100 之间的数，每次增减 5。"),
        ({"score": "120"}, "score", "请选择 0 到 100 之间的数，每次增减 5。"),
        ({"where__2": "110100", "where__3": "110101"}, "where",
         "所选的市或区县不属于所选的省份，请重新选择。"),
        ({"where__1": "999999"}, "where", "“999999”不是有效的地区代码。"),
        ({"where__3": ""}, "where", "请选择区县。"),
        ({"look": "green"}, "look", "“green”不是可选项之一。"),
    ],
)  # fmt: skip
def test_a_wrong_answer_is_explained_beside_it_and_the_rest_is_kept(
    client, survey, fields, key, message
):
    page = _send(client, survey, **fields)
    html = page.content.decode()
    assert page.status_code == 200
    assert message in _fieldset(html, key)
    assert not Response.objects.filter(status=ResponseStatus.COMPLETED).exists()
    if key != "score":
        assert 'name="score" id="s-score" value="75"' in html
    if key == "where":
        assert '<option value="440000" selected>广东省</option>' in html or "999999" in fields.get(
            "where__1", ""
        )


def test_a_forbidden_or_too_large_file_is_refused_and_nothing_of_it_is_stored(client, survey):
    fake = SimpleUploadedFile("发票.png", exe_named_like_an_image(), content_type="image/png")
    html = _send(client, survey, receipt=fake).content.decode()
    assert "此处不接受这种文件，允许的类型：PNG/JPEG/GIF/WebP、PDF。" in _fieldset(html, "receipt")
    big = SimpleUploadedFile("大图.png", png() + b"\x00" * 60 * 1024, content_type="image/png")
    html = _send(client, survey, receipt=big).content.decode()
    assert "文件超过 50 KB，请选择更小的文件。" in _fieldset(html, "receipt")
    assert not ResponseFile.objects.exists()
    assert not Response.objects.filter(status=ResponseStatus.COMPLETED).exists()
    assert 'name="score" id="s-score" value="75"' in html  # the slider answer was kept


def test_a_file_uploaded_with_an_earlier_page_send_stays_and_can_be_replaced(client, survey):
    first = SimpleUploadedFile("小票.pdf", pdf(), content_type="application/pdf")
    page = _send(client, survey, receipt=first, score="73")  # the slider is wrong
    assert "已上传：小票.pdf" in _fieldset(page.content.decode(), "receipt")
    assert ResponseFile.objects.count() == 1
    second = SimpleUploadedFile("新小票.png", png(), content_type="image/png")
    assert _send(client, survey, receipt=second).status_code == 302
    stored = ResponseFile.objects.get()  # the replaced file is gone
    assert stored.name == "新小票.png" and stored.response.status == ResponseStatus.COMPLETED


def test_the_region_lists_fill_step_by_step_without_javascript(client, survey):
    url = f"/s/{survey.slug}/"
    html = client.post(url, {"page": 0, "action": "refresh", "where__1": "440000"}).content
    region = _fieldset(html.decode(), "where")
    assert '<option value="440300">深圳市</option>' in region
    assert 'name="where__3" data-level="3" disabled' in region
    html = client.post(url, {"page": 0, "action": "refresh", "where__1": "440000",
                             "where__2": "440300"}).content.decode()  # fmt: skip
    assert '<option value="440305">南山区</option>' in _fieldset(html, "where")
    assert "请选择" not in _fieldset(html, "where").split("</select>")[-1]  # no error yet


def test_a_city_without_districts_and_a_municipality_are_whole_answers(client, survey):
    assert _send(client, survey, where__2="441900", where__3="").status_code == 302  # 东莞
    answer = Response.objects.get().answers.get(question_key="where")
    assert answer.choices == ["440000", "441900"] and answer.text == "广东省 东莞市"
    other = survey_of_each_type()
    fields = {"where__1": "110000", "where__2": "110100", "where__3": "110105"}
    assert _send(client.__class__(), other, **fields).status_code == 302
    assert Response.objects.get(survey=other).answers.get(question_key="where").text == (
        "北京市 朝阳区"
    )


def test_the_region_script_reads_the_next_list_from_our_own_origin(client):
    rows = client.get("/regions/440300/").json()
    assert {"v": "440305", "n": "南山区"} in rows
    assert len(client.get("/regions/").json()) == 34
    assert client.get("/regions/123456/").status_code == 404


def test_the_page_with_every_new_type_stays_light(client, survey):
    """PRODUCT.md: a respondent page with its CSS and JS under 50 KB (pictures aside)."""
    from django.contrib.staticfiles import finders

    html = client.get(f"/s/{survey.slug}/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert {a.decode().rsplit("/", 1)[-1] for a in assets} >= {"respondent.css", "respond.js"}
    weight = len(html) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    assert weight <= 50_000, weight
