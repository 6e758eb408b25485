"""Texts sent back to an SMS invitation (the providers' MO callbacks, posted by the local
fake of each provider in its documented form): an opt-out word unsubscribes the number by
the same rules as the email unsubscribe link."""

import pytest

from surveys.channels.sms.opt_out import is_opt_out
from surveys.distribution.invitations import distribution_create, distribution_send
from surveys.distribution.tasks import send_distribution_batch
from surveys.models import Invitation, InvitationStatus, SkipReason

pytestmark = pytest.mark.django_db

TOKEN = "cb9f8e7d6c5b4a39"  # the fake_sms fixture's callback secret


@pytest.mark.parametrize(
    "text",
    ["T", "t", "TD", "td", "Td", " T ", "退订", "退 订", "退訂", "N", "n", "Ｔ", "ＴＤ",
     "ｔｄ", "Ｎ", "T。", "【退订】", "\u3000退订\u3000", "T\n"],
)  # fmt: skip
def test_opt_out_words_as_phones_send_them(text):
    assert is_opt_out(text)


@pytest.mark.parametrize(
    "text", ["", "好的", "TT", "TDD", "NO", "不要退订", "退订了吗？", "1", "谢谢😊", "Y", "T D 1"]
)
def test_other_replies_are_not_opt_outs(text):
    assert not is_opt_out(text)


def _sent(survey, customers):
    distribution = distribution_create(
        survey=survey, channel="sms", audience={"customer_ids": [c.pk for c in customers]}
    )
    distribution_send(distribution=distribution)
    send_distribution_batch.apply(args=(distribution.pk,))
    return distribution


@pytest.mark.parametrize("text", ["T", "ｔｄ", "退订", " N "])
def test_an_opt_out_reply_unsubscribes_the_number_and_skips_its_pending_invitations(
    client, fake_sms, survey, customer, text
):
    wang = customer("王芳", "+8613800138000")
    li = customer("李雷", "+8613900139000")
    _sent(survey, [wang, li])
    # A follow-up (exempt from the contact cap, never from unsubscribes), built, not yet
    # texted: both pending.
    later = distribution_create(
        survey=survey, channel="sms", audience={"customer_ids": [wang.pk, li.pk]},
        follows_up_contact=True,
    )  # fmt: skip
    distribution_send(distribution=later)
    assert set(later.invitations.values_list("status", flat=True)) == {"pending"}

    reply = fake_sms.post_reply(client, "+8613800138000", text, token=TOKEN)

    assert reply.status_code == 200
    expected = {"code": 0, "msg": "成功"} if fake_sms.provider == "aliyun" else {
        "result": 0, "errmsg": "OK"}  # fmt: skip
    assert reply.json() == expected
    wang.refresh_from_db()
    li.refresh_from_db()
    assert wang.unsubscribed and wang.unsubscribed_at is not None
    assert not li.unsubscribed
    wang_later = Invitation.objects.get(distribution=later, customer=wang)
    assert (wang_later.status, wang_later.skip_reason) == (
        InvitationStatus.SKIPPED, SkipReason.UNSUBSCRIBED)  # fmt: skip
    assert Invitation.objects.get(distribution=later, customer=li).status == "pending"
    # The next batch texts only the customer who did not opt out.
    sent_before = len(fake_sms.sent)
    send_distribution_batch.apply(args=(later.pk,))
    assert [r.phone for r in fake_sms.sent[sent_before:]] in (["13900139000"], ["+8613900139000"])


def test_every_customer_with_the_number_is_unsubscribed_and_a_second_reply_changes_nothing(
    client, fake_sms, survey, customer
):
    first = customer("陳大文", "+8613700137000")  # traditional characters in the name
    second = customer("陈大文（公司）", "+8613700137000", email="chen.work@example.cn")
    _sent(survey, [first])

    assert fake_sms.post_reply(client, "+8613700137000", "退訂", token=TOKEN).status_code == 200
    first.refresh_from_db()
    when = first.unsubscribed_at
    assert fake_sms.post_reply(client, "+8613700137000", "T", token=TOKEN).status_code == 200

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.unsubscribed and second.unsubscribed
    assert first.unsubscribed_at == when  # idempotent: the first opt-out's time is kept


def test_a_reply_that_is_not_an_opt_out_changes_nothing(client, fake_sms, survey, customer):
    wang = customer("王芳", "+8613800138000")
    _sent(survey, [wang])

    reply = fake_sms.post_reply(client, "+8613800138000", "服务很好👍 不用退订", token=TOKEN)

    assert reply.status_code == 200
    wang.refresh_from_db()
    assert not wang.unsubscribed


def test_replies_need_the_secret_address_and_the_documented_form(client, fake_sms, customer):
    wang = customer("王芳", "+8613800138000")
    provider = fake_sms.provider

    wrong = fake_sms.post_reply(client, "+8613800138000", "T", token="not-the-secret")
    unknown = client.post(f"/sms/replies/yunpian/{TOKEN}/", b"[]", content_type="application/json")
    garbled = client.post(f"/sms/replies/{provider}/{TOKEN}/", b"{\"x\": 1}",
                          content_type="application/json")  # fmt: skip
    not_json = client.post(f"/sms/replies/{provider}/{TOKEN}/", "退订", content_type="text/plain")
    by_get = client.get(f"/sms/replies/{provider}/{TOKEN}/")

    assert wrong.status_code == unknown.status_code == 404
    assert "回复" in wrong.json()["detail"]
    assert garbled.status_code == not_json.status_code == 400
    assert "文档" in garbled.json()["detail"]
    assert by_get.status_code == 405
    wang.refresh_from_db()
    assert not wang.unsubscribed
