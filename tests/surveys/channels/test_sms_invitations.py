"""SMS invitations end to end against a local fake of each provider (Aliyun, Tencent), which
verifies every request's signature: sending, the short personal link, answering, delivery
receipts, retries, and the same contact cap and unsubscribe rules as email."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from surveys.channels.sms.short_links import short_code_for
from surveys.distribution.invitations import (
    DistributionError,
    distribution_create,
    distribution_send,
)
from surveys.distribution.queries import distribution_counts
from surveys.distribution.tasks import send_distribution_batch
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import (
    Distribution,
    Invitation,
    InvitationStatus,
    Response,
    ResponseStatus,
    SkipReason,
    SmsDelivery,
)
from tests.surveys.channels.fakes import utc_now

pytestmark = pytest.mark.django_db

SHORT = re.compile(r"^http://testserver/r/([A-Za-z0-9]{10})/$")


def sms_distribution(survey, customers, **options):
    return distribution_create(
        survey=survey, channel="sms", audience={"customer_ids": [c.pk for c in customers]},
        **options,
    )  # fmt: skip


def send(distribution):
    distribution_send(distribution=distribution)
    send_distribution_batch.apply(args=(distribution.pk,))
    distribution.refresh_from_db()
    return distribution


def receipt(provider: str, message_id: str, *, delivered: bool, phone="13800138000") -> bytes:
    if provider == "aliyun":
        report = {
            "phone_number": phone, "send_time": utc_now(), "report_time": utc_now(),
            "success": delivered, "err_code": "DELIVERED" if delivered else "MK:0001",
            "err_msg": "用户接收成功" if delivered else "空号", "sms_size": "1",
            "biz_id": message_id, "out_id": "1",
        }  # fmt: skip
    else:
        report = {
            "user_receive_time": utc_now(), "nationcode": "86", "mobile": phone,
            "report_status": "SUCCESS" if delivered else "FAIL",
            "errmsg": "DELIVRD" if delivered else "MK:0001",
            "description": "用户短信送达成功" if delivered else "空号", "sid": message_id,
        }  # fmt: skip
    return json.dumps([report], ensure_ascii=False).encode()


CALLBACK_TOKEN = "cb9f8e7d6c5b4a39"  # the fixture's callback secret


def post_receipt(client, provider, body, token=CALLBACK_TOKEN):
    return client.post(f"/sms/receipts/{provider}/{token}/", body, content_type="application/json")


def test_send_receive_status_open_the_short_link_and_answer(client, fake_sms, survey, customer):
    wang = customer("王芳", "+8613800138000")
    distribution = send(sms_distribution(survey, [wang]))

    assert fake_sms.refused_signatures == 0
    [record] = fake_sms.sent
    expected_phone = "13800138000" if fake_sms.provider == "aliyun" else "+8613800138000"
    assert record.phone == expected_phone
    name, link, unsubscribe = record.variables
    assert name == "王芳"
    code = SHORT.match(link).group(1)
    assert unsubscribe == f"http://testserver/r/{code}/u/"
    invitation = Invitation.objects.get()
    assert record.reference == str(invitation.pk)
    assert (invitation.status, invitation.delivery) == (InvitationStatus.SENT, "submitted")
    assert invitation.provider_message_id == record.message_id
    before = distribution_counts(distribution)
    assert (before["sent"], before["delivered"]) == (1, 0)  # waiting for the receipt
    assert code not in invitation.short_code_hash  # only a hash of the code is stored

    answer = post_receipt(client, fake_sms.provider, receipt(fake_sms.provider, record.message_id,
                                                             delivered=True))  # fmt: skip
    assert answer.status_code == 200
    assert answer.json() in ({"code": 0, "msg": "成功"}, {"result": 0, "errmsg": "OK"})
    invitation.refresh_from_db()
    assert invitation.delivery == SmsDelivery.DELIVERED and invitation.delivered_at

    opened = client.get(f"/r/{code}/")
    assert opened.status_code == 302
    page_url = opened["Location"]
    assert page_url == f"/i/{token_for(invitation.token_seed)}/"
    page = client.get(page_url).content.decode()
    assert "王芳" in page
    client.post(page_url, {"page": 0, "nps": "3", "action": "next"})
    client.post(page_url, {"page": 1, "comment": "配送太慢了😤，客服態度還行", "action": "submit"})
    response = Response.objects.get()
    assert (response.status, response.channel) == (ResponseStatus.COMPLETED, "sms")
    assert response.invitation == invitation and response.customer == wang
    counts = distribution_counts(distribution)
    assert (counts["sent"], counts["delivered"], counts["opened"], counts["completed"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    assert distribution.status == "sent"


def test_a_failed_delivery_receipt_marks_the_invitation_bounced(client, fake_sms, survey, customer):
    send(sms_distribution(survey, [customer("李雷", "+8613900139000")]))
    [record] = fake_sms.sent
    body = receipt(fake_sms.provider, record.message_id, delivered=False, phone="13900139000")
    assert post_receipt(client, fake_sms.provider, body).status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.status == InvitationStatus.BOUNCED
    assert invitation.delivery == SmsDelivery.FAILED
    assert "MK:0001" in invitation.last_error


def test_receipts_need_the_secret_address_and_the_documented_form(
    client, fake_sms, survey, customer
):
    send(sms_distribution(survey, [customer()]))
    [record] = fake_sms.sent
    body = receipt(fake_sms.provider, record.message_id, delivered=True)
    assert post_receipt(client, fake_sms.provider, body, token="guessed-token").status_code == 404
    assert post_receipt(client, "unknown", body).status_code == 404
    bad = post_receipt(client, fake_sms.provider, b'[{"phone": "138"}]')
    assert bad.status_code == 400
    assert "回执" in bad.json()["detail"]
    assert post_receipt(client, fake_sms.provider, b"\xff\xfe").status_code == 400
    assert Invitation.objects.get().delivery == SmsDelivery.SUBMITTED


def test_transient_failures_are_retried_with_backoff_then_sent_once(
    fake_sms, survey, customer, eager_retries
):
    fake_sms.script = ["http500", "throttle"]
    send(sms_distribution(survey, [customer("赵敏", "+8613700137000")]))
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.attempts) == (InvitationStatus.SENT, 3)
    assert len(fake_sms.sent) == 1


def test_after_the_maximum_attempts_the_invitation_fails(
    fake_sms, survey, customer, eager_retries, settings
):
    settings.SURVEYHUB_SMS_MAX_ATTEMPTS = 2
    fake_sms.script = ["http500", "throttle", "http500"]
    send(sms_distribution(survey, [customer("孙悦", "+8613600136000")]))
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.attempts) == (InvitationStatus.FAILED, 2)
    assert fake_sms.sent == []


def test_a_number_the_provider_refuses_bounces_without_retrying(fake_sms, survey, customer):
    fake_sms.bad_numbers = {"13500135000", "+8613500135000"}
    send(sms_distribution(survey, [customer("周杰", "+8613500135000")]))
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.attempts) == (InvitationStatus.BOUNCED, 1)


def test_the_same_cap_unsubscribe_and_consent_rules_as_email(fake_sms, survey, customer):
    emailed = customer("陈静", "+8613300133000")
    other = Distribution.objects.create(survey=survey, channel="email", status="sent")
    seed = new_seed()
    Invitation.objects.create(
        distribution=other, customer=emailed, token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent",
        sent_at=timezone.now() - timedelta(days=10),
    )  # fmt: skip
    people = [
        emailed,
        customer("杨洋", "+8613400134000", unsubscribed=True),
        customer("黄艳", "+8613200132000", consent=False),
        customer("刘伟", ""),
        customer("吴磊", "+861087654321"),  # a Beijing landline: no texts
        customer("郭勇", "+8618800188000"),
    ]
    send(sms_distribution(survey, people))
    reasons = {i.customer.name: i.skip_reason for i in Invitation.objects.filter(status="skipped")}
    assert reasons == {
        "陈静": SkipReason.FREQUENCY_CAP, "杨洋": SkipReason.UNSUBSCRIBED,
        "黄艳": SkipReason.NO_CONSENT, "刘伟": SkipReason.NO_PHONE, "吴磊": SkipReason.NO_PHONE,
    }  # fmt: skip
    assert [r.variables[0] for r in fake_sms.sent] == ["郭勇"]


def test_the_unsubscribe_short_link_shows_a_masked_number_and_unsubscribes(
    client, fake_sms, survey, customer
):
    person = customer("何敏", "+8613812345678")
    send(sms_distribution(survey, [person]))
    code = SHORT.match(fake_sms.sent[0].variables[1]).group(1)
    page_url = client.get(f"/r/{code}/u/")["Location"]
    page = client.get(page_url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    client.post(page_url)
    person.refresh_from_db()
    assert person.unsubscribed
    later = send(sms_distribution(survey, [person], name="第二轮"))
    assert later.invitations.get().skip_reason == SkipReason.UNSUBSCRIBED


@pytest.mark.parametrize("code", ["abcdefghij", "0000000000", "短码短码短码短码短码", "x" * 300])
def test_a_forged_or_unknown_short_code_gets_a_friendly_404(
    client, fake_sms, survey, customer, code
):
    send(sms_distribution(survey, [customer()]))
    reply = client.get(f"/r/{code}/")
    assert reply.status_code == 404
    assert "短链接无效" in reply.content.decode()


def test_the_short_code_is_stable_for_a_seed_and_differs_between_seeds(settings):
    seed = new_seed()
    assert short_code_for(seed) == short_code_for(seed)
    assert short_code_for(seed) != short_code_for(new_seed())


def test_an_sms_distribution_needs_a_provider_and_takes_no_reminders(survey, customer, settings):
    settings.SURVEYHUB_SMS_PROVIDER = ""
    with pytest.raises(DistributionError) as refused:
        sms_distribution(survey, [customer()])
    assert "短信" in refused.value.errors["channel"][0]
    settings.SURVEYHUB_SMS_PROVIDER, settings.SURVEYHUB_SMS_TEMPLATE = "aliyun", "SMS_1"
    with pytest.raises(DistributionError) as refused:
        sms_distribution(survey, [customer()], max_reminders=2, reminder_after_days=3)
    assert "提醒" in refused.value.errors["max_reminders"][0]
    assert not Distribution.objects.exists()


def test_sending_refuses_when_sms_was_switched_off_after_creating(
    fake_sms, survey, customer, settings
):
    distribution = sms_distribution(survey, [customer()])
    settings.SURVEYHUB_SMS_PROVIDER = ""
    with pytest.raises(DistributionError) as refused:
        distribution_send(distribution=distribution)
    assert "短信" in refused.value.message
    assert not Invitation.objects.exists() and fake_sms.sent == []
