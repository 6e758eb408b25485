"""A survey looks like the company that sends it: logo, brand colour, cover image (the
organisation's default, or the survey's own) and its own end page. Uploaded images are judged
by their bytes and their size."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from surveyhub.security.roles import Role
from surveys.models import OrganisationBranding, SurveyBranding
from surveys.responding.branding import COVER_MAX_BYTES, brand_image_store
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db


def png(width=2, height=1) -> bytes:
    """A real (tiny) PNG file."""
    raw = b"".join(b"\0" + b"\x09\x69\xda" * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))  # fmt: skip


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(role=Role.DESIGNER))
    return client


def _settings(survey, **changes):
    data = {"title": survey.title, "languages": ["zh-hans", "en"], "intro": "", "thank_you": ""}
    return {**data, **changes}


def test_a_designer_uploads_a_logo_and_sets_a_colour_and_the_page_shows_them(designer):
    survey = published_survey(consent_text="")
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    reply = designer.post(f"/staff/surveys/{survey.pk}/",
                          _settings(survey, colour="#c8102e", logo=logo))  # fmt: skip
    assert reply.status_code == 302, reply.content.decode()[-2000:]

    html = Client().get(f"/s/{survey.slug}/").content.decode()
    branding = SurveyBranding.objects.get(survey=survey)
    assert 'style="--brand:#c8102e"' in html
    assert f'<img src="/brand/{branding.logo.digest}/"' in html
    image = Client().get(f"/brand/{branding.logo.digest}/")
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert image.content == png()
    assert "immutable" in image["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<svg onload=alert(1)></svg>", "不是 PNG、JPEG、GIF 或 WebP 图片"),
        ("logo.png", b"%PDF-1.7 not an image", "不是 PNG、JPEG、GIF 或 WebP 图片"),
        ("logo.png", png() + b"\0" * 100 * 1024, "最大 100 KB"),
    ],
)
def test_a_logo_that_is_not_an_image_or_too_large_is_refused_beside_the_field(
    designer, name, content, message
):
    survey = published_survey(consent_text="")
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    reply = designer.post(f"/staff/surveys/{survey.pk}/",
                          _settings(survey, title="新标题", colour="#c8102e",
                                    logo=upload))  # fmt: skip
    assert reply.status_code == 200
    assert message in reply.content.decode()
    survey.refresh_from_db()
    assert survey.title != "新标题"  # nothing stored half
    assert not SurveyBranding.objects.filter(survey=survey, colour="#c8102e").exists()


def test_a_webp_and_a_jpeg_are_accepted_by_their_bytes():
    webp = b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\0" * 8
    jpeg = b"\xff\xd8\xff\xe0" + b"\0" * 20
    assert brand_image_store(upload=io.BytesIO(webp), field="logo", max_bytes=1000).content_type \
        == "image/webp"  # fmt: skip
    assert brand_image_store(upload=io.BytesIO(jpeg), field="logo", max_bytes=1000).content_type \
        == "image/jpeg"  # fmt: skip
    assert COVER_MAX_BYTES == 300 * 1024


def test_a_survey_without_its_own_look_takes_the_organisations_default():
    from surveys.models import BrandImage

    logo = brand_image_store(upload=io.BytesIO(png()), field="logo", max_bytes=10_000)
    OrganisationBranding(name="悦享生活", colour="#1a7f37", logo=logo).save()
    own = published_survey(consent_text="")
    plain = published_survey(consent_text="")
    SurveyBranding.objects.create(survey=own, colour="#c8102e")

    plain_html = Client().get(f"/s/{plain.slug}/").content.decode()
    own_html = Client().get(f"/s/{own.slug}/").content.decode()
    assert 'style="--brand:#1a7f37"' in plain_html
    assert 'style="--brand:#c8102e"' in own_html
    for html in (plain_html, own_html):  # the logo comes from the default in both
        assert f'src="/brand/{logo.digest}/" alt="悦享生活"' in html
    assert BrandImage.objects.count() == 1


def test_the_end_page_shows_the_surveys_button():
    survey = published_survey(consent_text="")
    SurveyBranding.objects.create(survey=survey, end_button_label="去商城逛逛",
                                  end_button_url="https://shop.example.cn/")  # fmt: skip
    client = Client()
    client.post(f"/s/{survey.slug}/", {"page": 0, "nps": "10", "action": "next"})
    done = client.post(f"/s/{survey.slug}/", {"page": 1, "action": "submit"})
    html = client.get(done["Location"]).content.decode()
    assert '<a class="button" href="https://shop.example.cn/">去商城逛逛</a>' in html


def test_a_redirect_sends_the_respondent_on_once_the_answers_are_stored():
    survey = published_survey(consent_text="")
    SurveyBranding.objects.create(survey=survey, end_redirect_url="https://shop.example.cn/thanks")
    client = Client()
    client.post(f"/s/{survey.slug}/", {"page": 0, "nps": "10", "action": "next"})
    done = client.post(f"/s/{survey.slug}/", {"page": 1, "action": "submit"})
    end = client.get(done["Location"])
    assert end.status_code == 302
    assert end["Location"] == "https://shop.example.cn/thanks"


def test_an_unknown_brand_image_is_a_404():
    assert Client().get("/brand/" + "0" * 64 + "/").status_code == 404


def test_a_designer_turns_on_one_question_per_page_and_faces_in_the_builder(designer):
    survey = published_survey(consent_text="", template="service_csat")
    settings = _settings(survey, one_question_per_page="on")
    reply = designer.post(f"/staff/surveys/{survey.pk}/", settings)
    assert reply.status_code == 302
    designer.post(f"/staff/surveys/{survey.pk}/questions/csat/", {
        "key": "csat", "type": "csat", "text": "您对本次服务满意吗？", "required": "on",
        "option_order": "fixed", "scale_style": "faces",
    })  # fmt: skip
    html = Client().get(f"/s/{survey.slug}/").content.decode()
    assert 'class="scale s5 faces"' in html
    assert "第 1 题，共 2 题" in html  # csat and resolved; "improve" shows only for low scores
