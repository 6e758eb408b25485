"""The staff's own subject and text reach the customer through a real SMTP server, piped for
that customer: name, survey title, personal link and latest order number."""

import re

import pytest
from django.utils import timezone

from analytics.models import Purchase
from surveys.distribution.building import distribution_queue_build
from surveys.distribution.invitations import distribution_create
from tests.factories import CustomerFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db]


def test_the_edited_email_is_piped_for_each_customer(
    survey, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://survey.example.cn"
    wang = CustomerFactory(name="王芳", email="wang.fang@example.cn")
    chen = CustomerFactory(name="陳美玲", email="chen@example.tw")
    Purchase.objects.create(customer=wang, order_id="DD20261206-8848", amount=299,
                            ordered_at=timezone.now(), category="母婴用品")  # fmt: skip
    distribution = distribution_create(
        survey=survey, channel="email", audience={"customer_ids": [wang.pk, chen.pk]},
        email_subject="{姓名}，您对订单 {order} 满意吗？🎁",
        email_body=(
            "{name}您好：\n\n感谢您的订单 {订单号}。请花两分钟填写「{survey_title}」：\n{link}"
        ),
    )  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        distribution_queue_build(distribution=distribution, send=True)

    (to_wang,) = smtp_server.to("wang.fang@example.cn")
    (to_chen,) = smtp_server.to("chen@example.tw")
    # (headers keep the space after the colon as the server received them)
    assert to_wang["Subject"].strip() == "王芳，您对订单 DD20261206-8848 满意吗？🎁"
    assert to_chen["Subject"].strip() == "陳美玲，您对订单 满意吗？🎁"  # no order: left out
    text = to_wang.get_body(("plain",)).get_content()
    html = to_wang.get_body(("html",)).get_content()
    assert "王芳您好：" in text and "感谢您的订单 DD20261206-8848。" in text
    assert f"请花两分钟填写「{survey.title}」：" in text
    link = re.search(r"https://survey\.example\.cn/i/[\w-]{43}/", text).group(0)
    assert f'<a href="{link}"' in html
    assert "{" not in text and "{" not in html
    assert to_wang["List-Unsubscribe"].strip().startswith("<https://survey.example.cn/u/")
