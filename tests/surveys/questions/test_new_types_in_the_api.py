"""The newer types through the API: the survey definition (type settings, one question per
page, branding), the JSON submit (a region code, a slider value, hidden fields, a file by
the token its upload returned), the responses (words a person reads, the file's download)
and the staff download behind its permission."""

import pytest
from django.test import Client

from surveyhub.security.roles import Role
from surveys.models import PersonalDataAccess, Response, ResponseFile
from tests.factories import UserFactory
from tests.surveys.questions.fixtures import survey_of_each_type
from tests.surveys.questions.media import docx, pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return survey_of_each_type()


def _login(role) -> Client:
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


def _upload(survey, content: bytes, name: str, question="receipt"):
    url = f"/api/v1/public/surveys/{survey.slug}/files/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    return Client().post(url, {"question": question, "file": SimpleUploadedFile(name, content)})


def _submit(survey, answers):
    return Client().post(f"/api/v1/public/surveys/{survey.slug}/responses/",
                         {"answers": answers}, content_type="application/json")  # fmt: skip


GOOD = {"score": 40, "where": "440305", "look": "blue", "looks": ["red"],
        "order": "订单-2026-12", "src": "wechat"}  # fmt: skip


def test_the_definition_shows_type_settings_one_per_page_and_branding(survey):
    designer = _login(Role.DESIGNER)
    reply = designer.patch(f"/api/v1/surveys/{survey.pk}/", {
        "one_question_per_page": True,
        "branding": {"colour": "#c8102e", "end_button_label": "回到商城",
                     "end_button_url": "https://shop.example.cn/"},
    }, content_type="application/json")  # fmt: skip
    assert reply.status_code == 200, reply.json()
    body = designer.get(f"/api/v1/surveys/{survey.pk}/").json()
    assert body["one_question_per_page"] is True
    assert body["branding"]["colour"] == "#c8102e"
    assert body["branding"]["end_button_url"] == "https://shop.example.cn/"
    types = {q["key"]: q for q in body["questions"]}
    assert types["score"]["config"]["step"] == 5 and types["score"]["type"] == "slider"
    assert types["where"]["config"] == {"levels": 3}
    assert types["receipt"]["config"] == {"max_kb": 50, "kinds": ["image", "pdf"]}
    assert types["look"]["options"][0]["image"]  # the picture's digest
    assert types["order"]["type"] == "hidden"


@pytest.mark.parametrize(
    ("question", "field", "message"),
    [
        ({"type": "slider", "config": {"min": 10, "max": 5}}, "config",
         "滑块的最小值必须小于最大值，且都在 -10000 到 10000 之间。"),
        ({"type": "file", "config": {"max_kb": 99999}}, "config",
         "大小上限必须是 1 到 10240 之间的整数（KB）。"),
        ({"type": "image_single", "options": [{"value": "a", "label": "甲"}]}, "options",
         "每个图片选项都需要图片：“甲”还没有图片。"),
        ({"type": "hidden", "key": "store"}, "key",
         "“store”是问卷链接自身使用的参数，请换一个标识。"),
        ({"type": "image_multi", "options": [{"value": "a", "label": "甲"}],
          "allow_other": True}, "allow_other",
         "图片选择题没有“其他（请注明）”；请把它作为一个图片选项添加。"),
        ({"type": "hidden", "required": True}, "required",
         "隐藏字段不能设为必答：它的值来自链接，而不是受访者。"),
    ],
)  # fmt: skip
def test_a_designers_mistake_in_a_new_type_is_named(question, field, message):
    spec = {"key": "q1", "text": "新题目", **question}
    reply = _login(Role.DESIGNER).post("/api/v1/surveys/", {
        "title": "新题型", "slug": "new-types", "kind": "custom", "questions": [spec],
    }, content_type="application/json")  # fmt: skip
    assert reply.status_code == 400
    assert reply.json()["errors"][f"questions.0.{field}"] == [message]


def test_the_json_submit_takes_codes_values_and_an_uploaded_files_token(survey):
    upload = _upload(survey, pdf(), "购物小票.pdf")
    assert upload.status_code == 201, upload.json()
    token = upload.json()["token"]
    assert upload.json()["content_type"] == "application/pdf"
    assert ResponseFile.objects.get(token=token).response is None  # waiting for its submit
    reply = _submit(survey, {**GOOD, "receipt": token})
    assert reply.status_code == 201, reply.json()
    response = Response.objects.get()
    answers = {a.question_key: a for a in response.answers.all()}
    assert answers["where"].choices == ["440000", "440300", "440305"]
    assert answers["score"].number == 40 and answers["order"].text == "订单-2026-12"
    assert ResponseFile.objects.get(token=token).response == response

    again = _submit(survey, {**GOOD, "receipt": token})  # a token claims one response only
    assert again.status_code == 400
    assert again.json()["errors"]["answers.receipt"] == [
        "此上传令牌不存在、已被使用，或属于其他题目。"
    ]
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"where": "999999"}, "where", "“999999”不是有效的地区代码。"),
        ({"where": ["440000", "110100", "110101"]}, "where",
         "所选的市或区县不属于所选的省份，请重新选择。"),
        ({"where": "440000"}, "where", "请选择城市。"),
        ({"score": 42}, "score", "请选择 0 到 100 之间的数，每次增减 5。"),
        ({"receipt": "forged-token-forged-token-1234"}, "receipt",
         "此上传令牌不存在、已被使用，或属于其他题目。"),
        ({"receipt": {"name": "x.png"}}, "receipt", "请先上传文件，再提交上传时返回的令牌。"),
        ({"looks": ["red", "pink"]}, "looks", "“pink”不是可选项之一。"),
    ],
)  # fmt: skip
def test_the_json_submit_refuses_the_same_mistakes_and_stores_nothing(survey, answers, key,
                                                                       message):  # fmt: skip
    reply = _submit(survey, {**GOOD, **answers})
    assert reply.status_code == 400
    assert reply.json()["errors"][f"answers.{key}"] == [message]
    assert not Response.objects.exists()


def test_an_upload_is_judged_by_its_bytes_and_the_questions_limits(survey):
    refused = _upload(survey, docx(), "报告.pdf")  # Word, though named .pdf
    assert refused.status_code == 400
    assert refused.json()["errors"]["file"] == [
        "此处不接受这种文件，允许的类型：PNG/JPEG/GIF/WebP、PDF。"
    ]
    too_big = _upload(survey, png() + b"\x00" * 51 * 1024, "大.png")
    assert too_big.json()["errors"]["file"] == ["文件超过 50 KB，请选择更小的文件。"]
    wrong = _upload(survey, png(), "a.png", question="score")
    assert wrong.json()["errors"]["question"] == ["本问卷中没有文件上传题“score”。"]
    assert not ResponseFile.objects.exists()


def test_responses_read_as_words_and_files_download_only_for_those_who_read_responses(survey):
    token = _upload(survey, png(), "小票.png").json()["token"]
    assert _submit(survey, {**GOOD, "receipt": token}).status_code == 201
    response = Response.objects.get()
    manager = _login(Role.MANAGER)
    body = manager.get(f"/api/v1/responses/{response.pk}/").json()
    answers = {a["question"]: a for a in body["answers"]}
    assert answers["where"]["words"] == "广东省 深圳市 南山区"
    assert answers["look"]["words"] == "湖水蓝"
    assert answers["order"]["value"] == "订单-2026-12"
    assert answers["receipt"]["words"].startswith("小票.png (")
    url = answers["receipt"]["file"]["url"]
    assert url == f"/files/{response.pk}/{token}/"

    download = manager.get(url)
    assert download.status_code == 200 and b"".join(download) == png()
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert _login(Role.DESIGNER).get(url).status_code == 403
    assert Client().get(url).status_code == 302  # to the login page
    assert manager.get(f"/files/{response.pk + 1}/{token}/").status_code == 404
    assert PersonalDataAccess.objects.count() == 0  # no customer on this response: no log
