"""SMS provider adapters: one interface, Aliyun SMS (dysmsapi) and Tencent Cloud SMS.

A provider sends one templated message and reads its delivery receipts. The template itself
(its wording, the STOP/退订 line) is registered with the provider and approved there; we send
its variables: the customer's name, the short survey link and the short unsubscribe link.
Errors say whether trying again later may help (`SmsError.permanent`).
"""

import json
import time
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from surveys.channels.sms.signing import aliyun_rpc_signature, tc3_authorization, tc3_signature
from surveys.customers.phones import phone_or_none

CHINA = ZoneInfo("Asia/Shanghai")  # Aliyun's SendDate is the day in China


@dataclass(frozen=True)
class SmsMessage:
    phone: str  # E.164, e.g. +8613800138000
    name: str
    link: str
    unsubscribe: str
    reference: str  # our invitation id, echoed back by the provider's receipt
    language: str = "zh-hans"


@dataclass(frozen=True)
class Receipt:
    """One delivery report: the provider's message id and whether the phone got it."""

    message_id: str
    delivered: bool
    error: str = ""


@dataclass(frozen=True)
class Reply:
    """One text a phone sent back (the provider's MO / uplink report)."""

    phone: str  # E.164, e.g. +8613800138000
    text: str


@dataclass(frozen=True)
class SentSms:
    """A message handed to the provider that has no delivery report yet (for polling)."""

    message_id: str
    phone: str
    sent_at: datetime


class SmsError(Exception):
    def __init__(self, description: str, *, permanent: bool):
        super().__init__(description)
        self.description = description
        self.permanent = permanent


class ReceiptError(ValueError):
    """A receipt body that is not what the provider documents."""


class SmsProvider(ABC):
    name: str

    def __init__(
        self, *, key_id: str, secret: str, sign_name: str, templates: dict[str, str],
        endpoint: str, region: str = "", app_id: str = "", timeout: float = 10,
    ):  # fmt: skip
        self.key_id, self.secret, self.sign_name = key_id, secret, sign_name
        self.templates, self.endpoint, self.region = templates, endpoint, region
        self.app_id, self.timeout = app_id, timeout
        self.http = requests.Session()

    def template_for(self, language: str) -> str:
        return self.templates.get(language) or self.templates["zh-hans"]

    @abstractmethod
    def send(self, message: SmsMessage) -> str:
        """Hand the message to the provider; return its message id or raise SmsError."""

    @classmethod
    @abstractmethod
    def parse_receipts(cls, body: bytes) -> list[Receipt]:
        """The delivery reports of a receipt callback (raises ReceiptError)."""

    @classmethod
    @abstractmethod
    def receipt_answer(cls) -> dict:
        """What the provider expects back from a receipt callback that was taken."""

    @classmethod
    @abstractmethod
    def parse_replies(cls, body: bytes) -> list[Reply]:
        """The texts of an inbound (MO) callback (raises ReceiptError)."""

    @abstractmethod
    def query_receipts(self, pending: list[SentSms]) -> list[Receipt]:
        """Delivery reports asked of the provider's query API for messages still without one
        (those it has no final word on yet are left out); raises SmsError."""

    def _post(self, **kwargs) -> dict:
        try:
            reply = self.http.request(timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise SmsError(f"{type(exc).__name__}: {exc}", permanent=False) from exc
        if reply.status_code >= 500 or reply.status_code == 429:
            raise SmsError(f"HTTP {reply.status_code}", permanent=False)
        try:
            return reply.json()
        except ValueError as exc:
            raise SmsError(f"HTTP {reply.status_code}: not JSON", permanent=False) from exc


def _json_list(body: bytes) -> list[dict]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ReceiptError("not JSON") from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReceiptError("expected a JSON array of reports")
    return data


# Aliyun ----------------------------------------------------------------------------------

# Error codes that no retry will fix: the number, the template or the content is refused.
ALIYUN_PERMANENT = ("isv.MOBILE_NUMBER_ILLEGAL", "isv.MOBILE_COUNT_OVER_LIMIT",
                    "isv.BLACK_KEY_CONTROL_LIMIT", "isv.PARAM_LENGTH_LIMIT",
                    "isv.DENY_IP_RANGE", "isv.BLACKLIST")  # fmt: skip


class AliyunSms(SmsProvider):
    """Aliyun SMS, API dysmsapi 2017-05-25, RPC style (GET, HMAC-SHA1 signature)."""

    name = "aliyun"
    default_endpoint = "https://dysmsapi.aliyuncs.com/"

    def _common(self, action: str, *, nonce: str, timestamp: str) -> dict[str, str]:
        return {
            "AccessKeyId": self.key_id, "Action": action, "Format": "JSON",
            "RegionId": self.region or "cn-hangzhou", "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce, "SignatureVersion": "1.0", "Timestamp": timestamp,
            "Version": "2017-05-25",
        }  # fmt: skip

    def signed_params(self, message: SmsMessage, *, nonce: str, timestamp: str) -> dict[str, str]:
        params = {
            **self._common("SendSms", nonce=nonce, timestamp=timestamp),
            "PhoneNumbers": aliyun_number(message.phone),
            "SignName": self.sign_name, "TemplateCode": self.template_for(message.language),
            "TemplateParam": json.dumps(
                {"name": message.name, "link": message.link, "unsub": message.unsubscribe},
                ensure_ascii=False, separators=(",", ":"),
            ),
            "OutId": message.reference,
        }  # fmt: skip
        params["Signature"] = aliyun_rpc_signature(params, self.secret)
        return params

    def send(self, message: SmsMessage) -> str:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params = self.signed_params(message, nonce=uuid.uuid4().hex, timestamp=now)
        data = self._post(method="GET", url=self.endpoint, params=params)
        code = str(data.get("Code", ""))
        if code == "OK" and data.get("BizId"):
            return str(data["BizId"])[:64]
        description = f"{code}: {data.get('Message', '')}"
        raise SmsError(description, permanent=code in ALIYUN_PERMANENT)

    @classmethod
    def parse_receipts(cls, body: bytes) -> list[Receipt]:
        receipts = []
        for item in _json_list(body):
            if "biz_id" not in item or "success" not in item:
                raise ReceiptError("a report without biz_id or success")
            error = (
                ""
                if item["success"] is True
                else f"{item.get('err_code', '')} {item.get('err_msg', '')}"
            )
            receipts.append(Receipt(str(item["biz_id"]), item["success"] is True, error.strip()))
        return receipts

    @classmethod
    def receipt_answer(cls) -> dict:
        return {"code": 0, "msg": "成功"}

    def query_params(self, sent: SentSms, *, nonce: str, timestamp: str) -> dict[str, str]:
        """QuerySendDetails of one message: its number, BizId and day sent (China time)."""
        params = {
            **self._common("QuerySendDetails", nonce=nonce, timestamp=timestamp),
            "PhoneNumber": aliyun_number(sent.phone), "BizId": sent.message_id,
            "SendDate": sent.sent_at.astimezone(CHINA).strftime("%Y%m%d"),
            "PageSize": "10", "CurrentPage": "1",
        }  # fmt: skip
        params["Signature"] = aliyun_rpc_signature(params, self.secret)
        return params

    def query_receipts(self, pending: list[SentSms]) -> list[Receipt]:
        """One QuerySendDetails per message (SendStatus 1 waiting, 2 failed, 3 delivered)."""
        receipts = []
        for sent in pending:
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            params = self.query_params(sent, nonce=uuid.uuid4().hex, timestamp=now)
            data = self._post(method="GET", url=self.endpoint, params=params)
            if str(data.get("Code", "")) != "OK":
                code = str(data.get("Code", ""))
                raise SmsError(f"{code}: {data.get('Message', '')}", permanent=False)
            details = (data.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
            for detail in details[:1]:
                status = int(detail.get("SendStatus") or 0)
                if status in (2, 3):
                    error = "" if status == 3 else str(detail.get("ErrCode", ""))
                    receipts.append(Receipt(sent.message_id, status == 3, error))
        return receipts

    @classmethod
    def parse_replies(cls, body: bytes) -> list[Reply]:
        """SmsUp messages: [{"phone_number", "content", "send_time", "sign_name", "dest_code",
        "sequence_id"}]; mainland numbers come without +86."""
        replies = []
        for item in _json_list(body):
            if "phone_number" not in item or "content" not in item:
                raise ReceiptError("an uplink message without phone_number or content")
            phone = _phone(str(item["phone_number"]), country="86")
            if phone:
                replies.append(Reply(phone, str(item["content"] or "")))
        return replies


def _phone(number: str, *, country: str) -> str:
    """The E.164 form of a provider's number and country code ("" when it is not one)."""
    number = number.strip()
    if not number.startswith("+") and not number.startswith("00"):
        number = f"+{country}{number.removeprefix(country) if len(number) > 11 else number}"
    return phone_or_none(number) or ""


def aliyun_number(phone: str) -> str:
    """Aliyun wants mainland numbers without +86, others with their country code and no +."""
    return phone[3:] if phone.startswith("+86") else phone.removeprefix("+")


# Tencent ---------------------------------------------------------------------------------

TENCENT_PERMANENT_PREFIXES = ("InvalidParameterValue.IncorrectPhoneNumber",
                              "FailedOperation.PhoneNumberInBlacklist",
                              "FailedOperation.ContainSensitiveWord",
                              "UnsupportedOperation")  # fmt: skip


class TencentSms(SmsProvider):
    """Tencent Cloud SMS, API 2021-01-11 SendSms (POST JSON, TC3-HMAC-SHA256)."""

    name = "tencent"
    default_endpoint = "https://sms.tencentcloudapi.com/"

    def request(self, message: SmsMessage, *, timestamp: int) -> tuple[dict[str, str], bytes]:
        return self.signed_request("SendSms", {
            "PhoneNumberSet": [message.phone], "SmsSdkAppId": self.app_id,
            "SignName": self.sign_name, "TemplateId": self.template_for(message.language),
            "TemplateParamSet": [message.name, message.link, message.unsubscribe],
            "SessionContext": message.reference,
        }, timestamp=timestamp)  # fmt: skip

    def signed_request(
        self, action: str, data: dict, *, timestamp: int
    ) -> tuple[dict[str, str], bytes]:
        """Headers and body of a TC3-signed call of `action` (API version 2021-01-11)."""
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        host = urlsplit(self.endpoint).netloc
        date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
        content_type = "application/json; charset=utf-8"
        signature, signed = tc3_signature(
            secret_key=self.secret, service="sms", host=host, timestamp=timestamp, date=date,
            payload=payload, content_type=content_type,
        )  # fmt: skip
        headers = {
            "Authorization": tc3_authorization(
                secret_id=self.key_id, date=date, service="sms", signed_headers=signed,
                signature=signature,
            ),
            "Content-Type": content_type, "Host": host, "X-TC-Action": action,
            "X-TC-Version": "2021-01-11", "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": self.region or "ap-guangzhou",
        }  # fmt: skip
        return headers, payload.encode()

    def send(self, message: SmsMessage) -> str:
        headers, body = self.request(message, timestamp=int(time.time()))
        data = self._post(method="POST", url=self.endpoint, headers=headers, data=body)
        reply = data.get("Response") or {}
        if "Error" in reply:
            error = reply["Error"] or {}
            code = str(error.get("Code", ""))
            raise SmsError(f"{code}: {error.get('Message', '')}",
                           permanent=code.startswith(TENCENT_PERMANENT_PREFIXES))  # fmt: skip
        statuses = reply.get("SendStatusSet") or []
        if not statuses:
            raise SmsError("no SendStatusSet in the reply", permanent=False)
        status = statuses[0]
        code = str(status.get("Code", ""))
        if code == "Ok" and status.get("SerialNo"):
            return str(status["SerialNo"])[:64]
        raise SmsError(f"{code}: {status.get('Message', '')}",
                       permanent=code.startswith(TENCENT_PERMANENT_PREFIXES))  # fmt: skip

    @classmethod
    def parse_receipts(cls, body: bytes) -> list[Receipt]:
        receipts = []
        for item in _json_list(body):
            if "sid" not in item or "report_status" not in item:
                raise ReceiptError("a report without sid or report_status")
            delivered = item["report_status"] == "SUCCESS"
            error = "" if delivered else f"{item.get('errmsg', '')} {item.get('description', '')}"
            receipts.append(Receipt(str(item["sid"]), delivered, error.strip()))
        return receipts

    @classmethod
    def receipt_answer(cls) -> dict:
        return {"result": 0, "errmsg": "OK"}

    PULL_LIMIT = 100
    PULL_PAGES = 10

    def query_receipts(self, pending: list[SentSms]) -> list[Receipt]:
        """PullSmsSendStatus: the app's reports not yet fetched (any message, up to 100 a
        call; pulled until fewer come back). A report is handed out once."""
        receipts = []
        for _page in range(self.PULL_PAGES):
            data = {"Limit": self.PULL_LIMIT, "SmsSdkAppId": self.app_id}
            headers, body = self.signed_request(
                "PullSmsSendStatus", data, timestamp=int(time.time())
            )
            reply = self._post(method="POST", url=self.endpoint, headers=headers, data=body)
            answer = reply.get("Response") or {}
            if "Error" in answer:
                error = answer["Error"] or {}
                raise SmsError(f"{error.get('Code', '')}: {error.get('Message', '')}",
                               permanent=False)  # fmt: skip
            reports = answer.get("PullSmsSendStatusSet") or []
            for item in reports:
                delivered = item.get("ReportStatus") == "SUCCESS"
                error = "" if delivered else str(item.get("Description", ""))
                receipts.append(Receipt(str(item.get("SerialNo", "")), delivered, error))
            if len(reports) < self.PULL_LIMIT:
                break
        return receipts

    @classmethod
    def parse_replies(cls, body: bytes) -> list[Reply]:
        """Reply callbacks: {"mobile", "nationcode", "text", "sign", "time", "extend"} (one
        object, or an array of them)."""
        replies = []
        for item in _json_list(body):
            if "mobile" not in item or "text" not in item:
                raise ReceiptError("a reply without mobile or text")
            country = str(item.get("nationcode") or "86").lstrip("+")
            phone = _phone(str(item["mobile"]), country=country)
            if phone:
                replies.append(Reply(phone, str(item["text"] or "")))
        return replies


PROVIDERS: dict[str, type[SmsProvider]] = {"aliyun": AliyunSms, "tencent": TencentSms}


def configured_provider(name: str | None = None) -> SmsProvider:
    """The provider the settings describe (SURVEYHUB_SMS_*); ImproperlyConfigured without one."""
    name = name or settings.SURVEYHUB_SMS_PROVIDER
    if name not in PROVIDERS:
        raise ImproperlyConfigured("SURVEYHUB_SMS_PROVIDER is not set to aliyun or tencent.")
    cls = PROVIDERS[name]
    templates = {"zh-hans": settings.SURVEYHUB_SMS_TEMPLATE}
    if settings.SURVEYHUB_SMS_TEMPLATE_EN:
        templates["en"] = settings.SURVEYHUB_SMS_TEMPLATE_EN
    return cls(
        key_id=settings.SURVEYHUB_SMS_ACCESS_KEY_ID,
        secret=settings.SURVEYHUB_SMS_ACCESS_KEY_SECRET,
        sign_name=settings.SURVEYHUB_SMS_SIGN_NAME, templates=templates,
        endpoint=settings.SURVEYHUB_SMS_ENDPOINT or cls.default_endpoint,
        region=settings.SURVEYHUB_SMS_REGION, app_id=settings.SURVEYHUB_SMS_APP_ID,
        timeout=settings.SURVEYHUB_SMS_TIMEOUT,
    )  # fmt: skip


def sms_configured() -> bool:
    return bool(settings.SURVEYHUB_SMS_PROVIDER and settings.SURVEYHUB_SMS_TEMPLATE)
