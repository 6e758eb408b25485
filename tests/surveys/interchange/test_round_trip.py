"""Our own survey file, out and back in: through the API, the staff pages and the management
commands, on PostgreSQL. Export → import → export gives the same file (the format holds no
ids), pictures and branding included."""

import base64
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from surveyhub.api.tokens import api_token_create
from surveyhub.security.roles import Role
from surveys.design.services import survey_create, survey_update
from surveys.models import BrandImage, Survey, SurveyBranding
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
QUESTIONS = [
    {
        "key": "nps",
        "type": "nps",
        "required": True,
        "text": "{name}，您会推荐我们吗？",
        "text_en": "Would you recommend us?",
        "help_text": "0 = 不会，10 = 一定会",
    },
    {
        "key": "why",
        "type": "multiple",
        "text": "原因是？😀",
        "allow_other": True,
        "option_order": "random",
        "options": [
            {"value": "price", "label": "價格", "label_en": "Price"},
            {"value": "speed", "label": "速度", "label_en": "Speed"},
        ],
        "show_if": {"question": "nps", "op": "lte", "value": 6},
    },
    {
        "key": "grid",
        "type": "matrix",
        "text": "请为各方面打分",
        "options": [{"value": "a", "label": "包装"}, {"value": "b", "label": "配送"}],
    },
    {
        "key": "level",
        "type": "slider",
        "text": "满意程度",
        "config": {"min": 0, "max": 10, "step": 2, "low_label": "低", "high_label": "高"},
    },
    {"key": "where", "type": "region", "text": "您在哪里？", "config": {"levels": 2}},
    {"key": "face", "type": "csat", "text": "满意吗？", "scale_style": "faces"},
    {"key": "order", "type": "hidden", "text": "订单号"},
]


@pytest.fixture
def survey():
    picture = BrandImage.objects.create(
        digest=hashlib.sha256(PNG).hexdigest(), content_type="image/png", data=PNG
    )
    pictured = {
        "key": "pick",
        "type": "image_single",
        "text": "选一个包装",
        "options": [{"value": "red", "label": "红", "image": picture.digest}],
    }
    created = survey_create(
        title="门店体验调查 🏬",
        title_en="Store survey",
        slug="store-visit",
        kind="nps",
        questions=[*QUESTIONS, pictured],
        intro="您好{name}",
        thank_you="謝謝！",
        consent_text="我们只用于改进服务。",
        consent_text_en="We only use it to improve.",
    )
    created = survey_update(survey=created, one_question_per_page=True)
    SurveyBranding.objects.create(
        survey=created,
        colour="#cc0000",
        logo=picture,
        end_button_label="回首页",
        end_button_url="https://example.cn/",
    )
    return created


@pytest.fixture
def api():
    designer = UserFactory(role=Role.DESIGNER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=designer)[1]}")
    return client


def test_export_then_import_then_export_gives_the_same_file(api, survey):
    first = api.get(f"/api/v1/surveys/{survey.pk}/export/")
    assert first.status_code == 200
    assert first["Content-Disposition"] == 'attachment; filename="survey-store-visit.json"'
    document = json.loads(first.content)
    assert document["format"] == "surveyhub.survey" and document["version"] == 1
    assert "门店体验调查 🏬" in first.content.decode()  # Chinese as it is, not \u escapes
    assert [q["key"] for q in document["questions"]][:2] == ["nps", "why"]
    assert list(document["images"]) == [document["branding"]["logo"]]

    assert api.delete(f"/api/v1/surveys/{survey.pk}/").status_code == 204
    BrandImage.objects.all().delete()  # another installation: the picture comes with the file
    imported = api.post("/api/v1/surveys/import/", first.content, content_type="application/json")
    assert imported.status_code == 201, imported.content.decode()
    body = imported.json()
    assert (body["slug"], body["status"], body["questions"], body["source"]) == (
        "store-visit",
        "draft",
        8,
        "surveyhub",
    )
    again = api.get(f"/api/v1/surveys/{body['id']}/export/")
    assert again.content == first.content


def test_importing_beside_the_original_takes_a_free_link_name(api, survey):
    exported = api.get(f"/api/v1/surveys/{survey.pk}/export/").content
    body = api.post("/api/v1/surveys/import/", exported, content_type="application/json").json()
    assert body["slug"] == "store-visit-2"
    copy = json.loads(api.get(f"/api/v1/surveys/{body['id']}/export/").content)
    original = json.loads(exported)
    assert copy["survey"].pop("slug") == "store-visit-2"
    assert original["survey"].pop("slug") == "store-visit"
    assert copy == original


def test_a_chosen_link_name_that_is_taken_is_refused_in_chinese(api, survey):
    exported = api.get(f"/api/v1/surveys/{survey.pk}/export/").content
    before = Survey.objects.count()
    reply = api.post(
        "/api/v1/surveys/import/?slug=store-visit", exported, content_type="application/json"
    )
    assert reply.status_code == 400
    assert reply.json()["errors"]["slug"] == ["链接标识“store-visit”已被占用。"]
    assert Survey.objects.count() == before


def test_a_multipart_upload_imports_too(api, survey):
    exported = api.get(f"/api/v1/surveys/{survey.pk}/export/").content
    upload = io.BytesIO(exported)
    upload.name = "survey.json"
    reply = api.post("/api/v1/surveys/import/", {"file": upload, "slug": "from-upload"})
    assert reply.status_code == 201
    assert Survey.objects.get(slug="from-upload").current_version.questions.count() == 8


def test_the_staff_pages_export_and_import(client, survey):
    client.force_login(UserFactory(role=Role.DESIGNER))
    exported = client.get(f"/staff/surveys/{survey.pk}/export/")
    assert exported.status_code == 200
    assert exported["Content-Type"] == "application/json"
    form = client.get("/staff/surveys/import/")
    assert "导入问卷" in form.content.decode()
    upload = io.BytesIO(exported.content)
    upload.name = "store.json"
    reply = client.post("/staff/surveys/import/", {"file": upload, "slug": ""})
    copy = Survey.objects.get(slug="store-visit-2")
    assert reply["Location"] == f"/staff/surveys/{copy.pk}/"
    assert copy.status == "draft" and copy.one_question_per_page is True
    assert copy.branding.colour == "#cc0000"


def test_the_commands_export_and_import(tmp_path, survey):
    path = tmp_path / "store.json"
    call_command("export_survey", "store-visit", output=str(path))
    out = io.StringIO()
    call_command("export_survey", str(survey.pk), stdout=out)
    assert out.getvalue().encode("utf-8") == path.read_bytes()
    created = io.StringIO()
    call_command("import_survey", str(path), slug="by-command", stdout=created)
    copy = Survey.objects.get(slug="by-command")
    assert created.getvalue().startswith(f"{copy.pk} by-command 门店体验调查")
    again = io.StringIO()
    call_command("export_survey", "by-command", stdout=again)
    assert json.loads(again.getvalue())["questions"] == json.loads(out.getvalue())["questions"]


def test_who_may_export_and_import(survey):
    client = APIClient()
    assert client.get(f"/api/v1/surveys/{survey.pk}/export/").status_code == 401
    agent = UserFactory(role=Role.AGENT)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=agent)[1]}")
    assert client.get(f"/api/v1/surveys/{survey.pk}/export/").status_code == 403
    manager = UserFactory(role=Role.MANAGER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=manager)[1]}")
    assert client.get(f"/api/v1/surveys/{survey.pk}/export/").status_code == 200
    reply = client.post("/api/v1/surveys/import/", {}, format="json")
    assert reply.status_code == 403  # managers read surveys, designers make them
