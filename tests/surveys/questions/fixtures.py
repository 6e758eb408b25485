"""A published survey with one question of each newer type, made through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from surveys.responding.branding import brand_image_store
from tests.factories import published_survey
from tests.surveys.questions.media import png


def picture(rgb) -> str:
    upload = SimpleUploadedFile("款式.png", png(rgb=rgb), content_type="image/png")
    return brand_image_store(upload=upload, field="image", max_bytes=300 * 1024).digest


def questions_of_each_type() -> list[dict]:
    red, blue = picture((200, 16, 46)), picture((9, 105, 218))
    looks = [{"value": "red", "label": "中国红 🧧", "label_en": "Red", "image": red},
             {"value": "blue", "label": "湖水蓝", "label_en": "Blue", "image": blue}]  # fmt: skip
    return [
        {"key": "score", "type": "slider", "required": True, "text": "您给这次送貨打几分？",
         "config": {"min": 0, "max": 100, "step": 5, "low_label": "很差", "high_label": "極好",
                    "low_label_en": "Poor", "high_label_en": "Great"}},
        {"key": "where", "type": "region", "required": True, "text": "您在哪裡收貨？"},
        {"key": "look", "type": "image_single", "text": "您更喜歡哪款包裝？", "options": looks},
        {"key": "looks", "type": "image_multi", "text": "哪些顏色您會買？", "options": looks},
        {"key": "receipt", "type": "file", "text": "请上传小票照片（可选）",
         "config": {"max_kb": 50, "kinds": ["image", "pdf"]}},
        {"key": "order", "type": "hidden", "text": "订单号"},
        {"key": "src", "type": "hidden", "text": "来源"},
    ]  # fmt: skip


def survey_of_each_type(slug: str | None = None, **changes):
    return published_survey(slug=slug, consent_text="", questions=questions_of_each_type(),
                            **changes)  # fmt: skip
