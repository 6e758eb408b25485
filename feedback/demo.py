"""Demo feedback for `seed_demo`: items for every demo comment, analysed, with topics, plus a
few items from other channels. Idempotent: a second run finds nothing to do."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from feedback.analysis.items import (
    feedback_items_bulk_create,
    feedback_items_for_completed_responses,
)
from feedback.analysis.queueing import BATCH_SIZE
from feedback.analysis.services import feedback_analyse_batch
from feedback.analysis.topics import topics_discover
from feedback.models import AnalysisStatus, FeedbackItem, FeedbackSource, Topic
from surveys.models import Customer

OTHER_CHANNELS = [
    (FeedbackSource.ECOMMERCE, "宝贝收到了，做工很精细，和图片一样，好评！"),
    (FeedbackSource.ECOMMERCE, "尺码偏小，换货流程太麻烦了，运费还要自己出"),
    (FeedbackSource.ECOMMERCE, "物流超快，隔天就到了，包装也很严实"),
    (FeedbackSource.ECOMMERCE, "颜色有色差，和详情页差别很大，有点失望"),
    (FeedbackSource.ECOMMERCE, "性价比很高，活动价入手很划算，会回购"),
    (FeedbackSource.CALLCENTRE, "客户来电投诉退款两周未到账，已升级财务处理"),
    (FeedbackSource.CALLCENTRE, "客户反映App登录收不到验证码，已指导清除缓存后解决"),
    (FeedbackSource.CALLCENTRE, "客户对上门安装师傅的服务非常满意，特意来电表扬"),
    (FeedbackSource.CALLCENTRE, "客户抱怨热线排队太久，等了二十分钟才接通"),
    (FeedbackSource.WECHAT, "你们的会员积分怎么突然清零了？也没有提前通知"),
    (FeedbackSource.WECHAT, "小程序下单很方便，客服回复也及时👍"),
    (FeedbackSource.WECHAT, "发票什么时候能开好？已经催了三次了"),
]


def seed(*, log: Callable[[str], None]) -> None:
    created = feedback_items_for_completed_responses()
    customers = list(Customer.objects.order_by("pk").values_list("pk", flat=True)[:50])
    now = timezone.now()
    others = [
        FeedbackItem(
            text=text,
            source=source,
            external_ref=f"demo-{source}-{n}",
            customer_id=customers[n % len(customers)] if customers else None,
            created_at=now - dt.timedelta(days=7 * n + 1),
        )
        for n, (source, text) in enumerate(OTHER_CHANNELS)
    ]
    created += len(feedback_items_bulk_create(items=others, enqueue=False))
    pending = list(
        FeedbackItem.objects.filter(analysis_status=AnalysisStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pending), BATCH_SIZE):
        feedback_analyse_batch(item_ids=pending[start : start + BATCH_SIZE])
    if created or pending or not Topic.objects.exists():
        result = topics_discover()
        log(f"Feedback: {created} items created, {len(pending)} analysed, {result.topics} topics.")
