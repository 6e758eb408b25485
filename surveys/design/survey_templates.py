"""Ready-made surveys a designer starts from, each in Simplified Chinese and English."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from surveys.models import SurveyKind
from surveys.scoring.rules import (
    CES_EASY_MIN,
    CSAT_SATISFIED_MIN,
    NPS_DETRACTOR_MAX,
    NPS_PROMOTER_MIN,
)

CONSENT_ZH = "我们仅将您的回答用于改进产品与服务，不会出售或公开您的个人信息。您可随时退订。"
CONSENT_EN = (
    "We use your answers only to improve our products and service; we never sell or publish "
    "your personal information. You can unsubscribe at any time."
)

_REASONS = [
    {"value": "delivery", "label": "物流配送", "label_en": "Delivery"},
    {"value": "quality", "label": "产品质量", "label_en": "Product quality"},
    {"value": "price", "label": "价格", "label_en": "Price"},
    {"value": "service", "label": "客服服务", "label_en": "Customer service"},
    {"value": "app", "label": "App/网站体验", "label_en": "App / website"},
]


def _nps_questions(subject_zh: str, subject_en: str) -> list[dict[str, Any]]:
    return [
        {
            "key": "nps", "type": "nps", "required": True,
            "text": f"您有多大可能向朋友或同事推荐{subject_zh}？",
            "text_en": f"How likely are you to recommend {subject_en} to a friend or colleague?",
            "help_text": "0 = 完全不可能，10 = 非常可能",
            "help_text_en": "0 = not at all likely, 10 = extremely likely",
        },
        {
            "key": "reason", "type": "multiple", "required": False,
            "text": "您不满意的主要原因是？", "text_en": "What disappointed you most?",
            "options": _REASONS, "allow_other": True,
            "show_if": {"question": "nps", "op": "lte", "value": NPS_DETRACTOR_MAX},
        },
        {
            "key": "praise", "type": "long_text",
            "text": "您最喜欢我们什么？", "text_en": "What do you like most about us?",
            "show_if": {"question": "nps", "op": "gte", "value": NPS_PROMOTER_MIN},
        },
        {
            "key": "comment", "type": "long_text",
            "text": "还有什么想告诉我们的吗？",
            "text_en": "Anything else you would like to tell us?",
        },
    ]  # fmt: skip


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    name: Any
    description: Any
    definition: dict[str, Any]


TEMPLATES = [
    SurveyTemplate(
        key="relationship_nps",
        name=_("Relationship NPS"),
        description=_("How customers feel about the company overall; send every quarter."),
        definition={
            "title": "客户关系满意度调查", "title_en": "Customer relationship survey",
            "kind": SurveyKind.NPS,
            # No duration here: the page and the email say it, from the questions.
            "intro": "感谢您一直以来的支持！", "intro_en": "Thank you for staying with us!",
            "thank_you": "感谢您的反馈，我们会认真改进。",
            "thank_you_en": "Thank you, we read every answer.",
            "consent_text": CONSENT_ZH, "consent_text_en": CONSENT_EN,
            "questions": _nps_questions("我们", "us"),
        },
    ),
    SurveyTemplate(
        key="transactional_nps",
        name=_("Post-purchase NPS"),
        description=_("Right after an order: how was this purchase?"),
        definition={
            "title": "购物体验调查", "title_en": "Your recent purchase",
            "kind": SurveyKind.NPS,
            "intro": "您最近在我们这里购物，想听听您的体验。",
            "intro_en": "You recently bought from us; how did it go?",
            "thank_you": "感谢您的评价！", "thank_you_en": "Thank you for your feedback!",
            "questions": [
                *_nps_questions("本次购物体验", "this shopping experience")[:3],
                {
                    "key": "delivery_speed", "type": "rating",
                    "text": "您对配送速度的评分", "text_en": "Rate the delivery speed",
                },
                _nps_questions("", "")[3],
            ],
        },
    ),
    SurveyTemplate(
        key="service_csat",
        name=_("CSAT after service"),
        description=_("After a service contact: was the customer satisfied?"),
        definition={
            "title": "服务满意度评价", "title_en": "How did we do?",
            "kind": SurveyKind.CSAT,
            "thank_you": "感谢您的评价！", "thank_you_en": "Thank you for rating us!",
            "questions": [
                {
                    "key": "csat", "type": "csat", "required": True,
                    "text": "您对本次服务满意吗？",
                    "text_en": "How satisfied are you with our service?",
                    "help_text": "1 = 非常不满意，5 = 非常满意",
                    "help_text_en": "1 = very dissatisfied, 5 = very satisfied",
                },
                {
                    "key": "resolved", "type": "single", "required": True,
                    "text": "您的问题解决了吗？", "text_en": "Was your issue resolved?",
                    "options": [
                        {"value": "yes", "label": "已解决", "label_en": "Yes"},
                        {"value": "partly", "label": "部分解决", "label_en": "Partly"},
                        {"value": "no", "label": "未解决", "label_en": "No"},
                    ],
                },
                {
                    "key": "improve", "type": "long_text",
                    "text": "我们哪里可以做得更好？", "text_en": "What could we do better?",
                    "show_if": {
                        "question": "csat", "op": "lte", "value": CSAT_SATISFIED_MIN - 1,
                    },
                },
            ],
        },
    ),
    SurveyTemplate(
        key="ces",
        name=_("Customer effort (CES)"),
        description=_("Was it easy to get things done with us?"),
        definition={
            "title": "办理体验调查", "title_en": "How easy was it?",
            "kind": SurveyKind.CES,
            "thank_you": "感谢您的反馈！", "thank_you_en": "Thank you for your feedback!",
            "questions": [
                {
                    "key": "ces", "type": "ces", "required": True,
                    "text": "“我的问题很容易就办好了。”您是否同意？",
                    "text_en": "“It was easy to get my issue handled.” Do you agree?",
                    "help_text": "1 = 非常不同意，7 = 非常同意",
                    "help_text_en": "1 = strongly disagree, 7 = strongly agree",
                },
                {
                    "key": "hardest", "type": "long_text",
                    "text": "哪一步最费劲？", "text_en": "Which step took the most effort?",
                    "show_if": {"question": "ces", "op": "lte", "value": CES_EASY_MIN - 1},
                },
            ],
        },
    ),
]  # fmt: skip

TEMPLATES_BY_KEY = {template.key: template for template in TEMPLATES}
