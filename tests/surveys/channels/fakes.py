"""Local fakes of the third-party endpoints (loopback HTTP servers started by fixtures).

The SMS fake VERIFIES each request's signature with the providers' documented algorithms,
written here again independently of surveys/channels/sms/signing.py (Aliyun's encoding
follows the documentation's Java recipe: form-encode, then `+`→%20, `*`→%2A, %7E→`~`).
"""

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit


def aliyun_expected_signature(params: dict[str, str], secret: str) -> str:
    def enc(text: str) -> str:
        return quote_plus(text, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    pairs = sorted((k, v) for k, v in params.items() if k != "Signature")
    canonical = "&".join(enc(k) + "=" + enc(v) for k, v in pairs)
    to_sign = "GET&" + enc("/") + "&" + enc(canonical)
    mac = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), "sha1")
    return base64.b64encode(mac.digest()).decode("ascii")


def tencent_expected_authorization(
    headers, body: bytes, secret_id: str, secret_key: str, service: str = "sms"
) -> str:
    timestamp = int(headers["X-TC-Timestamp"])
    day = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    lines = [
        "POST", "/", "",
        "content-type:" + headers["Content-Type"] + "\n" + "host:" + headers["Host"] + "\n",
        "content-type;host", hashlib.sha256(body).hexdigest(),
    ]  # fmt: skip
    request_digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    scope = day + "/" + service + "/tc3_request"
    to_sign = "TC3-HMAC-SHA256\n" + str(timestamp) + "\n" + scope + "\n" + request_digest
    key = ("TC3" + secret_key).encode("utf-8")
    for part in (day, service, "tc3_request"):
        key = hmac.new(key, part.encode("utf-8"), "sha256").digest()
    signature = hmac.new(key, to_sign.encode("utf-8"), "sha256").hexdigest()
    return (
        "TC3-HMAC-SHA256 Credential=" + secret_id + "/" + scope
        + ", SignedHeaders=content-type;host, Signature=" + signature
    )  # fmt: skip


class _Server:
    def __init__(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.handle(self, "GET", b"")

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.handle(self, "POST", body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @staticmethod
    def reply(handler, status: int, data=None, headers=None):
        body = json.dumps(data, ensure_ascii=False).encode() if data is not None else b""
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


@dataclass
class SmsRecord:
    provider: str
    phone: str
    variables: list[str]
    reference: str
    message_id: str


@dataclass
class FakeSms(_Server):
    """Aliyun (GET /, RPC) and Tencent (POST /, X-TC-Action: SendSms) on one port."""

    key_id: str = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3TEST"
    secret: str = "s3cret/+=*~ 密钥"
    sent: list[SmsRecord] = field(default_factory=list)
    refused_signatures: int = 0
    # Replies to give before behaving normally: "http500", "throttle" (transient), "invalid".
    script: list[str] = field(default_factory=list)
    bad_numbers: set[str] = field(default_factory=set)
    # What the handset reported, as the query APIs tell it: message id → delivered or not.
    outcomes: dict[str, bool] = field(default_factory=dict)
    pulled: set[str] = field(default_factory=set)  # Tencent hands each report out once
    queries: list[dict] = field(default_factory=list)

    def __post_init__(self):
        _Server.__init__(self)

    def handle(self, handler, method, body):
        if method == "GET":
            self._aliyun(handler)
        else:
            self._tencent(handler, body)

    def report(self, message_id: str, *, delivered: bool) -> None:
        """The phone's report reached the provider (its query APIs now know it)."""
        self.outcomes[message_id] = delivered

    def _next(self) -> str:
        return self.script.pop(0) if self.script else ""

    def _aliyun(self, handler):
        params = dict(parse_qsl(urlsplit(handler.path).query, keep_blank_values=True))
        expected = aliyun_expected_signature(params, self.secret)
        if params.get("Signature") != expected or params.get("AccessKeyId") != self.key_id:
            self.refused_signatures += 1
            return self.reply(
                handler, 400, {"Code": "SignatureDoesNotMatch", "Message": "签名不对"}
            )
        if params.get("Action") == "QuerySendDetails":
            return self._aliyun_query(handler, params)
        step = self._next()
        if step == "http500":
            return self.reply(handler, 500, {"Code": "isp.SYSTEM_ERROR"})
        if step == "throttle":
            return self.reply(
                handler, 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
            )
        if params["PhoneNumbers"] in self.bad_numbers:
            return self.reply(
                handler, 200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
            )
        variables = json.loads(params["TemplateParam"])
        biz_id = f"{secrets.randbelow(10**12):012d}^0"
        self.sent.append(SmsRecord("aliyun", params["PhoneNumbers"],
                                   [variables["name"], variables["link"], variables["unsub"]],
                                   params["OutId"], biz_id))  # fmt: skip
        self.reply(
            handler, 200, {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": "r1"}
        )

    def _aliyun_query(self, handler, params):
        """QuerySendDetails: SendStatus 1 waiting, 2 failed, 3 delivered; no BizId in a DTO."""
        self.queries.append(params)
        record = next((r for r in self.sent if r.message_id == params.get("BizId")), None)
        if record is None or record.phone != params.get("PhoneNumber"):
            none = {"Code": "OK", "TotalCount": 0, "SmsSendDetailDTOs": {"SmsSendDetailDTO": []}}
            return self.reply(handler, 200, none)
        if not re.fullmatch(r"\d{8}", params.get("SendDate", "")):
            return self.reply(handler, 200, {"Code": "isv.INVALID_PARAMETERS", "Message": "日期"})
        outcome = self.outcomes.get(record.message_id)
        status = 1 if outcome is None else (3 if outcome else 2)
        detail = {"PhoneNum": record.phone, "SendStatus": status, "TemplateCode": "SMS_1",
                  "ErrCode": {1: "", 2: "MK:0001", 3: "DELIVERED"}[status],
                  "Content": "【悦购商城】…", "SendDate": utc_now(), "ReceiveDate": utc_now(),
                  "OutId": record.reference}  # fmt: skip
        self.reply(handler, 200, {"Code": "OK", "Message": "OK", "TotalCount": 1,
                                  "SmsSendDetailDTOs": {"SmsSendDetailDTO": [detail]}})  # fmt: skip

    def _tencent_pull(self, handler, body):
        data = json.loads(body)
        self.queries.append(data)
        due = [r for r in self.sent if r.provider == "tencent" and r.message_id in self.outcomes
               and r.message_id not in self.pulled][: int(data.get("Limit", 100))]  # fmt: skip
        reports = []
        for record in due:
            self.pulled.add(record.message_id)
            ok = self.outcomes[record.message_id]
            reports.append({
                "UserReceiveTime": utc_now(), "CountryCode": "86",
                "SubscriberNumber": record.phone.removeprefix("+86"), "PhoneNumber": record.phone,
                "SerialNo": record.message_id, "ReportStatus": "SUCCESS" if ok else "FAIL",
                "Description": "用户短信送达成功" if ok else "空号",
                "SessionContext": record.reference,
            })  # fmt: skip
        self.reply(handler, 200, {"Response": {"PullSmsSendStatusSet": reports, "RequestId": "r"}})

    def _tencent(self, handler, body):
        headers = {k: handler.headers[k] for k in ("X-TC-Timestamp", "Content-Type", "Host")}
        expected = tencent_expected_authorization(headers, body, self.key_id, self.secret)
        fresh = abs(int(headers["X-TC-Timestamp"]) - time.time()) < 300
        action = handler.headers.get("X-TC-Action")
        if (
            handler.headers.get("Authorization") != expected
            or not fresh
            or action not in ("SendSms", "PullSmsSendStatus")
        ):
            self.refused_signatures += 1
            error = {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}
            return self.reply(handler, 200, {"Response": {"Error": error, "RequestId": "r"}})
        if action == "PullSmsSendStatus":
            return self._tencent_pull(handler, body)
        step = self._next()
        if step == "http500":
            return self.reply(handler, 502, None)
        data = json.loads(body)
        phone = data["PhoneNumberSet"][0]
        if step == "throttle":
            error = {"Code": "RequestLimitExceeded", "Message": "请求太频繁"}
            return self.reply(handler, 200, {"Response": {"Error": error, "RequestId": "r"}})
        if phone in self.bad_numbers:
            status = {"Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "号码不对"}
        else:
            serial = f"2433:{secrets.randbelow(10**12)}"
            status = {"Code": "Ok", "Message": "send success", "SerialNo": serial}
            self.sent.append(SmsRecord("tencent", phone, data["TemplateParamSet"],
                                       data["SessionContext"], serial))  # fmt: skip
        self.reply(handler, 200, {"Response": {"SendStatusSet": [status], "RequestId": "r"}})

    # What the provider pushes to our callbacks, in its documented form -------------------

    def reply_body(self, phone: str, text: str) -> bytes:
        """A text a phone sent back: Aliyun's SmsUp message (an array, mainland numbers
        without +86) or Tencent's reply callback (one object, number and country apart)."""
        national = phone.removeprefix("+86")
        if self.provider == "aliyun":
            body = [{"phone_number": national, "send_time": utc_now(), "content": text,
                     "sign_name": "悦购商城", "dest_code": "1234",
                     "sequence_id": secrets.randbelow(10**10)}]  # fmt: skip
        else:
            body = {"extend": "", "mobile": national, "nationcode": "86", "sign": "悦购商城",
                    "text": text, "time": int(time.time())}  # fmt: skip
        return json.dumps(body, ensure_ascii=False).encode()

    def post_reply(self, client, phone: str, text: str, *, token: str):
        return client.post(f"/sms/replies/{self.provider}/{token}/", self.reply_body(phone, text),
                           content_type="application/json")  # fmt: skip


@dataclass
class FakeWeChat(_Server):
    """WeChat's token, jsapi ticket and OAuth (authorize + code exchange) endpoints."""

    app_id: str = "wx-test"
    secret: str = "微信-secret"
    openid: str = "oF3PcsnsbaseTestUserA0000001"  # whoever "is" in WeChat right now
    token_calls: int = 0
    ticket_calls: int = 0
    ticket: str = (
        "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg"
    )
    codes: dict[str, str] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)

    def __post_init__(self):
        _Server.__init__(self)

    def handle(self, handler, method, body):
        url = urlsplit(handler.path)
        query = dict(parse_qsl(url.query))
        if url.path == "/cgi-bin/token":
            if (query.get("appid"), query.get("secret")) != (self.app_id, self.secret):
                return self.reply(handler, 200, {"errcode": 40013, "errmsg": "invalid appid"})
            self.token_calls += 1
            token = secrets.token_urlsafe(16)
            self.tokens.add(token)
            return self.reply(handler, 200, {"access_token": token, "expires_in": 7200})
        if url.path == "/cgi-bin/ticket/getticket":
            if query.get("access_token") not in self.tokens or query.get("type") != "jsapi":
                return self.reply(handler, 200, {"errcode": 40001, "errmsg": "invalid credential"})
            self.ticket_calls += 1
            return self.reply(handler, 200, {"errcode": 0, "errmsg": "ok", "ticket": self.ticket,
                                             "expires_in": 7200})  # fmt: skip
        if url.path == "/connect/oauth2/authorize":
            assert query["scope"] == "snsapi_base" and query["appid"] == self.app_id
            code = secrets.token_hex(16)
            self.codes[code] = self.openid
            target = (
                query["redirect_uri"] + "?" + urlencode({"code": code, "state": query["state"]})
            )
            return self.reply(handler, 302, None, {"Location": target})
        if url.path == "/sns/oauth2/access_token":
            openid = self.codes.pop(query.get("code", ""), None)  # a code works once
            if openid is None or query.get("secret") != self.secret:
                return self.reply(handler, 200, {"errcode": 40029, "errmsg": "invalid code"})
            return self.reply(handler, 200, {"access_token": "web-token", "expires_in": 7200,
                                             "refresh_token": "r", "openid": openid,
                                             "scope": "snsapi_base"})  # fmt: skip
        self.reply(handler, 404, {"errcode": 404})


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
