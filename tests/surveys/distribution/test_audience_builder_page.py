"""The distribution builder page: filters in words, the audience counted before sending (with
and without the script), the edited email previewed, and bad input refused in Chinese with
nothing created."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import Purchase
from surveys.models import CustomerTag, Distribution, DistributionStatus, Response
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def designer(client):
    client.force_login(UserFactory(username="builder-designer", role="问卷设计 Designer"))
    return client


@pytest.fixture
def shanghai(db):
    """Three customers in 上海 (one unsubscribed) and one in 北京."""
    vip = CustomerTag.objects.create(name="VIP客户")
    people = [
        CustomerFactory(name="王芳", region="上海", email="wang.fang@example.cn"),
        CustomerFactory(name="李雷😀", region="上海", email="li.lei@example.cn"),
        CustomerFactory(name="陳美玲", region="上海", email="chen@example.tw", unsubscribed=True),
        CustomerFactory(name="赵强", region="北京", email="zhao@example.cn"),
    ]
    people[0].tags.add(vip)
    return people


def _form(**fields) -> dict:
    data = {"channel": "email", "when": "now", "max_reminders": "0"}
    data.update(fields)
    return data


def test_the_builder_offers_filters_in_words_and_no_json_box(designer, survey):
    Purchase.objects.create(
        customer=CustomerFactory(), order_id="DD-1", ordered_at=timezone.now(), amount=99,
        category="母婴用品",
    )  # fmt: skip

    html = designer.get(f"/staff/distributions/survey/{survey.pk}/", **ZH).content.decode()

    words = ("RFM 分群", "生命周期阶段", "最近一次回答的 NPS 分组", "贬损者（0–6 分）",
             "购买过的品类", "母婴用品", "最近 N 天内购买过（天）",
             "统计受众人数并预览邮件")  # fmt: skip
    for word in words:
        assert word in html, word
    assert "JSON" not in html
    assert 'value="detractor"' in html  # the code is the value, never the label


def test_the_count_button_shows_the_size_and_names_without_creating_anything(
    designer, survey, shanghai
):
    reply = designer.post(
        f"/staff/distributions/survey/{survey.pk}/", _form(action="count", region="上海"), **ZH
    )

    html = reply.content.decode()
    assert reply.status_code == 200
    assert '<strong id="audience-count">2</strong>' in html
    assert "3 位客户符合条件" in html
    assert "王芳" in html and "李雷😀" in html and "陳美玲" not in html  # unsubscribed: no sample
    assert not Distribution.objects.exists()


def test_the_live_fragment_counts_and_previews_the_piped_email(designer, survey, shanghai):
    reply = designer.post(
        f"/staff/distributions/survey/{survey.pk}/audience/",
        _form(tags="VIP客户", email_subject="{姓名}，想听听您的意见",
              email_body="{name}您好：\n请花两分钟填写「{问卷标题}」：{link}"),
        **ZH,
    )  # fmt: skip

    html = reply.content.decode()
    assert reply.status_code == 200
    assert '<strong id="audience-count">1</strong>' in html
    assert "王芳，想听听您的意见" in html
    assert f"请花两分钟填写「{survey.title}」：" in html
    assert f"/s/{survey.slug}/" in html
    assert "<html" not in html  # a fragment, not a page
    assert not Distribution.objects.exists()


def test_the_fragment_names_an_unknown_placeholder_in_chinese(designer, survey, shanghai):
    reply = designer.post(
        f"/staff/distributions/survey/{survey.pk}/audience/",
        _form(region="上海", email_subject="您好", email_body="优惠码 {优惠码}：{link}"),
        **ZH,
    )

    assert "未知的占位符 {优惠码}" in reply.content.decode()


def test_the_nps_group_of_the_last_answer_narrows_the_audience(designer, survey, shanghai):
    wang, li = shanghai[0], shanghai[1]
    version = survey.current_version_id
    now = timezone.now()
    for customer, score, when in ((wang, 9, now - timedelta(days=9)), (wang, 3, now),
                                  (li, 3, now - timedelta(days=9)), (li, 10, now)):  # fmt: skip
        Response.objects.create(
            survey=survey, version_id=version, customer=customer, status="completed",
            completed_at=when, nps_score=score,
        )  # fmt: skip

    reply = designer.post(
        f"/staff/distributions/survey/{survey.pk}/audience/",
        _form(nps_group=["detractor"]),
        **ZH,
    )

    html = reply.content.decode()
    assert '<strong id="audience-count">1</strong>' in html
    assert "王芳" in html and "李雷" not in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "请至少选择一个受众条件，或勾选「客户名录中的全部客户」。"),
        ({"region": "拉萨"}, "没有客户符合这些条件，请放宽受众条件。"),
        ({"region": "上海", "when": "schedule",
          "send_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
         "已经过去；请选择之后的时间，或选择立即发送。"),
        ({"region": "上海", "when": "schedule"}, "请选择发送的日期和时间。"),
        ({"region": "上海", "email_subject": "{name}您好", "email_body": "{优惠码} {link}"},
         "未知的占位符 {优惠码}"),
        ({"region": "上海", "email_subject": "您好", "email_body": "没有链接的正文"},
         "邮件正文必须包含 {link}（或 {链接}），即客户的问卷链接。"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_in_chinese_and_creates_nothing(
    designer, survey, shanghai, fields, message
):
    reply = designer.post(f"/staff/distributions/survey/{survey.pk}/", _form(**fields), **ZH)

    assert reply.status_code == 400
    assert message in reply.content.decode()
    assert not Distribution.objects.exists()


def test_creating_queues_the_build_and_the_page_shows_the_status_in_words(
    designer, survey, shanghai, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        reply = designer.post(
            f"/staff/distributions/survey/{survey.pk}/", _form(region="上海", when="review"), **ZH
        )
    distribution = Distribution.objects.get()
    assert reply.status_code == 302
    assert (distribution.status, distribution.invitations.count()) == ("building", 0)
    assert "正在生成受众" in designer.get(reply["Location"], **ZH).content.decode()

    for callback in queued:  # the build task, in-process
        callback()

    distribution.refresh_from_db()
    page = designer.get(reply["Location"], **ZH).content.decode()
    assert distribution.status == DistributionStatus.READY
    assert distribution.invitations.filter(status="pending").count() == 2
    assert "受众已就绪" in page and "立即发送" in page and "取消分发" in page
    assert "地区: 上海<br>" in page  # the audience in words, not {"region": …}


def test_sms_is_offered_only_once_a_provider_is_configured(designer, survey, settings):
    settings.SURVEYHUB_SMS_PROVIDER, settings.SURVEYHUB_SMS_TEMPLATE = "", ""
    page = designer.get(f"/staff/distributions/survey/{survey.pk}/", **ZH).content.decode()
    assert 'value="sms"' not in page

    settings.SURVEYHUB_SMS_PROVIDER, settings.SURVEYHUB_SMS_TEMPLATE = "aliyun", "SMS_1234"
    page = designer.get(f"/staff/distributions/survey/{survey.pk}/", **ZH).content.decode()
    assert 'value="sms"' in page
