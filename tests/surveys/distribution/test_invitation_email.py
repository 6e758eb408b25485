"""The invitation email: the customer's language, their name, the personal and unsubscribe links."""

import pytest

from surveys.models import Invitation
from tests.surveys.distribution.helpers import email_distribution, send_now, token_of

pytestmark = pytest.mark.django_db


def sent_to(customer, survey, mailoutbox, capture):
    send_now(email_distribution(survey, [customer]), capture)
    (message,) = mailoutbox
    return message, Invitation.objects.get(customer=customer)


def test_an_english_speaking_customer_gets_an_english_email_with_their_name(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://survey.example.cn"
    lucy = customer("Lucy Wang", "lucy.wang@example.com", language="en")

    message, invitation = sent_to(lucy, survey, mailoutbox, django_capture_on_commit_callbacks)

    token = token_of(invitation)
    html = message.alternatives[0][0]
    assert message.subject.startswith("Lucy Wang, how are we doing?")
    assert survey.title_en in message.subject
    assert "Dear Lucy Wang," in message.body
    assert f"https://survey.example.cn/i/{token}/" in message.body
    assert f"https://survey.example.cn/u/{token}/" in message.body
    assert f'href="https://survey.example.cn/i/{token}/"' in html
    assert "Dear Lucy Wang," in html


def test_a_chinese_customer_gets_the_email_in_chinese_with_the_chinese_title(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    li = customer("李明", "li.ming@example.cn", language="zh-hans")

    message, invitation = sent_to(li, survey, mailoutbox, django_capture_on_commit_callbacks)

    assert invitation.language == "zh-hans"
    assert survey.title in message.subject
    assert "李明" in message.subject and "李明" in message.body
    assert f"/i/{token_of(invitation)}/" in message.body


def test_the_email_has_text_and_html_and_a_one_click_unsubscribe_header(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    message, invitation = sent_to(
        customer("赵雪", "zhao.xue@example.cn"), survey, mailoutbox,
        django_capture_on_commit_callbacks,
    )  # fmt: skip

    assert message.alternatives[0][1] == "text/html"
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/u/{token_of(invitation)}/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_customer_without_a_name_is_addressed_politely(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    message, _ = sent_to(
        customer("", "anonymous@example.com", language="en"), survey, mailoutbox,
        django_capture_on_commit_callbacks,
    )  # fmt: skip

    assert "Dear customer," in message.body


def test_a_reminder_says_it_is_one_and_carries_the_same_personal_link(
    survey, customer, mailoutbox, django_capture_on_commit_callbacks
):
    from surveys.distribution.emails import invitation_email

    tom = customer("Tom Li", "tom.li@example.com", language="en")
    _first, invitation = sent_to(tom, survey, mailoutbox, django_capture_on_commit_callbacks)

    reminder = invitation_email(invitation=invitation, reminder=True)

    assert reminder.subject.startswith("Reminder:")
    assert "A few days ago we asked" in reminder.body
    assert f"/i/{token_of(invitation)}/" in reminder.body
