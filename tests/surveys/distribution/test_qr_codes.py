"""Public links and QR codes (SVG and PNG) of a survey, with channel and store tags."""

import pytest
import segno

from surveys.distribution.links import qr_image, survey_public_url

pytestmark = pytest.mark.django_db


def test_the_svg_qr_code_encodes_the_public_link_tagged_qr_and_is_cacheable(
    client, survey, settings
):
    settings.SITE_URL = "https://survey.example.cn"

    reply = client.get(f"/s/{survey.slug}/qr.svg")

    assert reply.status_code == 200
    assert reply["Content-Type"] == "image/svg+xml"
    assert "public" in reply["Cache-Control"] and "max-age" in reply["Cache-Control"]
    expected = f"https://survey.example.cn/s/{survey.slug}/?c=qr"
    assert reply.content == qr_image(expected, "svg")
    assert reply.content.startswith(b"<svg")


def test_the_png_qr_code_is_a_png_image(client, survey):
    reply = client.get(f"/s/{survey.slug}/qr.png")

    assert reply.status_code == 200
    assert reply["Content-Type"] == "image/png"
    assert reply.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_channel_and_store_tags_are_passed_into_the_encoded_link(client, survey, settings):
    settings.SITE_URL = "https://survey.example.cn"

    reply = client.get(f"/s/{survey.slug}/qr.svg?c=wechat&store=SH01")

    expected = f"https://survey.example.cn/s/{survey.slug}/?c=wechat&store=SH01"
    assert reply.content == qr_image(expected, "svg")
    assert expected == survey_public_url(survey, channel="wechat", store="SH01")
    assert segno.make(expected, error="m").designator  # a valid, encodable QR payload


@pytest.mark.parametrize("query", ["c=fax", "store=上海一店", "store=" + "x" * 65, "c=<script>"])
def test_a_bad_tag_gets_a_400_saying_what_was_expected(client, survey, query):
    reply = client.get(f"/s/{survey.slug}/qr.png?{query}")

    assert reply.status_code == 400
    assert reply["Content-Type"].startswith("text/plain")
    assert b"<script>" not in reply.content


def test_an_unknown_survey_has_no_qr_code(client):
    assert client.get("/s/no-such-survey/qr.svg").status_code == 404
