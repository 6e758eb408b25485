"""A local stand-in for the WeCom, DingTalk and Feishu robot endpoints (HTTP on loopback).

It records every request each robot receives, checks DingTalk's URL signature and Feishu's
body signature as the platforms do (independently of the product's code: recomputed here
from the secret), and answers like the platform — or with the error a test asks for."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRETS = {"dingtalk": "SEC0123456789abcdef测试", "feishu": "feishu-秘钥-42"}


@dataclass
class Received:
    robot: str
    path: str
    query: dict
    body: dict
    signature_ok: bool | None = None  # None: the robot has no secret


@dataclass
class RobotServer:
    received: list[Received] = field(default_factory=list)
    # robot → list of (http status, json body) to answer with, consumed one per request
    failures: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)
    port: int = 0
    delay: float = 0.0  # seconds to wait before answering (a slow robot)

    def url(self, robot: str) -> str:
        paths = {
            "wecom": "/cgi-bin/webhook/send?key=wecom-key-1",
            "dingtalk": "/robot/send?access_token=ding-token-1",
            "feishu": "/open-apis/bot/v2/hook/feishu-hook-1",
        }
        return f"http://127.0.0.1:{self.port}{paths[robot]}"

    def to(self, robot: str) -> list[Received]:
        return [r for r in self.received if r.robot == robot]


def _robot_of(path: str) -> str:
    if path.startswith("/cgi-bin/webhook/send"):
        return "wecom"
    if path.startswith("/robot/send"):
        return "dingtalk"
    if path.startswith("/open-apis/bot/v2/hook/"):
        return "feishu"
    return "unknown"


def _dingtalk_ok(query: dict) -> bool:
    """DingTalk: sign = base64(HMAC-SHA256(secret, "ts\\nsecret")), ts in ms within an hour."""
    secret = SECRETS["dingtalk"]
    timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3600_000:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return hmac.compare_digest(base64.b64encode(expected.digest()).decode(), sign)


def _feishu_ok(body: dict) -> bool:
    """Feishu: sign = base64(HMAC-SHA256(key="ts\\nsecret", msg="")), ts in s within an hour."""
    timestamp, sign = str(body.get("timestamp", "")), body.get("sign", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 3600:
        return False
    expected = hmac.new(f"{timestamp}\n{SECRETS['feishu']}".encode(), b"", hashlib.sha256)
    return hmac.compare_digest(base64.b64encode(expected.digest()).decode(), sign)


def make_handler(state: RobotServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep the test output clean
            pass

        def do_POST(self):
            parsed = urllib.parse.urlsplit(self.path)
            # parse_qs decodes '+' to ' ': keep the raw percent-decoding only, as a server does
            query = {
                k: [urllib.parse.unquote(v)]
                for k, v in (p.split("=", 1) for p in parsed.query.split("&") if "=" in p)
            }
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if state.delay:
                time.sleep(state.delay)
            body = json.loads(raw.decode())
            robot = _robot_of(parsed.path)
            signed = None
            if robot == "dingtalk" and "sign" in query:
                signed = _dingtalk_ok(query)
            if robot == "feishu" and "sign" in body:
                signed = _feishu_ok(body)
            state.received.append(Received(robot, parsed.path, query, body, signed))
            status, answer = 200, {"errcode": 0, "errmsg": "ok"}
            if robot == "feishu":
                answer = {"code": 0, "msg": "success", "data": {}}
            if signed is False:
                answer = (
                    {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
                    if robot == "feishu"
                    else {"errcode": 310000, "errmsg": "sign not match"}
                )
            elif state.failures.get(robot):
                status, answer = state.failures[robot].pop(0)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


class running_robot_server:
    def __enter__(self) -> RobotServer:
        self.state = RobotServer()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(self.state))
        self.state.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self.state

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def add_dingtalk_robot_on_the_page(page, base_url: str, robots: RobotServer, name: str) -> None:
    """As the Admin on the alert pages: a signed DingTalk robot at the recorder's address."""
    page.goto(base_url + "/staff/alerts/robots/new/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=kind]", "dingtalk")
    page.fill("input[name=url]", robots.url("dingtalk"))
    page.fill("input[name=secret]", SECRETS["dingtalk"])
    page.click("button[type=submit].primary")
    page.wait_for_url(base_url + "/staff/alerts/")
