"""The builder adds and edits the newer types through its forms: the type in words, a
slider's range, a file upload's limits, the pictures of an image choice (judged by their
bytes, kept when the question is edited without new ones)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from surveyhub.security.roles import Role
from surveys.models import BrandImage
from tests.factories import UserFactory, published_survey
from tests.surveys.questions.media import exe_named_like_an_image, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


@pytest.fixture
def survey():
    return published_survey(consent_text="")


def _add(designer, survey, **fields):
    return designer.post(f"/staff/surveys/{survey.pk}/questions/",
                         {"option_order": "fixed", **fields})  # fmt: skip


def test_the_type_picker_names_every_new_type_in_words(designer, survey):
    html = designer.get(f"/staff/surveys/{survey.pk}/").content.decode()
    for words in ("滑块", "地区（省 / 市 / 区县）", "图片单选", "图片多选", "文件上传",
                  "隐藏字段（来自链接）", "滑块：最小值", "文件上传：允许的类型"):  # fmt: skip
        assert words in html
    assert ">slider<" not in html and ">image_multi<" not in html


def test_a_slider_and_a_file_upload_get_their_settings(designer, survey):
    reply = _add(designer, survey, key="effort", type="slider", text="办理花了多少分钟？",
                 slider_min="0", slider_max="60", slider_step="5", low_label="很快",
                 high_label="很慢")  # fmt: skip
    assert reply.status_code == 302
    question = survey.current_version.questions.get(key="effort")
    assert question.config == {"min": 0, "max": 60, "step": 5, "low_label": "很快",
                               "high_label": "很慢", "low_label_en": "",
                               "high_label_en": ""}  # fmt: skip
    reply = _add(designer, survey, key="proof", type="file", text="上传凭证",
                 file_max_kb="2048", file_kinds=["pdf", "office"])  # fmt: skip
    assert reply.status_code == 302
    assert survey.current_version.questions.get(key="proof").config == {
        "max_kb": 2048,
        "kinds": ["pdf", "office"],
    }
    edit = designer.get(f"/staff/surveys/{survey.pk}/questions/effort/").content.decode()
    assert 'name="slider_max" value="60"' in edit


def test_a_wrong_slider_range_is_explained(designer, survey):
    reply = _add(designer, survey, key="bad", type="slider", text="打分", slider_min="10",
                 slider_max="10")  # fmt: skip
    assert reply.status_code == 400
    assert "滑块的最小值必须小于最大值" in reply.content.decode()
    assert not survey.current_version.questions.filter(key="bad").exists()


def test_an_image_choice_takes_one_picture_per_option_and_keeps_them_on_edit(designer, survey):
    pictures = [SimpleUploadedFile(f"{n}.png", png(rgb=rgb)) for n, rgb in
                (("红", (200, 16, 46)), ("蓝", (9, 105, 218)))]  # fmt: skip
    reply = _add(designer, survey, key="pack", type="image_single", text="选一款包装",
                 options="red | 中国红 | Red\nblue | 湖水蓝 | Blue",
                 option_images=pictures)  # fmt: skip
    assert reply.status_code == 302, reply.content.decode()[-3000:]
    question = survey.current_version.questions.get(key="pack")
    digests = [o["image"] for o in question.options]
    assert len(set(digests)) == 2 and BrandImage.objects.filter(digest__in=digests).count() == 2

    designer.post(f"/staff/surveys/{survey.pk}/questions/pack/", {
        "type": "image_single", "text": "选一款包装（改）", "option_order": "fixed",
        "options": "red | 中国红 | Red\nblue | 湖水蓝 | Blue",
    })  # fmt: skip
    question = survey.current_version.questions.get(key="pack")
    assert [o["image"] for o in question.options] == digests
    edit = designer.get(f"/staff/surveys/{survey.pk}/questions/pack/").content.decode()
    assert f'src="/brand/{digests[0]}/"' in edit


def test_an_image_choice_without_pictures_or_with_a_fake_one_is_refused(designer, survey):
    reply = _add(designer, survey, key="pack", type="image_multi", text="选包装",
                 options="red | 中国红")  # fmt: skip
    assert reply.status_code == 400
    assert "每个图片选项都需要图片：“中国红”还没有图片。" in reply.content.decode()
    fake = SimpleUploadedFile("红.png", exe_named_like_an_image())
    reply = _add(designer, survey, key="pack", type="image_multi", text="选包装",
                 options="red | 中国红", option_images=[fake])  # fmt: skip
    assert reply.status_code == 400
    assert "此文件不是 PNG、JPEG、GIF 或 WebP 图片。" in reply.content.decode()
    assert not BrandImage.objects.exists()
