"""A real HTTP server on loopback that plays DingTalk, WeCom, Feishu and an SMS gateway.

It checks every request as the services document their checks — written here
from the documentation, not from casefile's code, so a wrong signature fails:

* DingTalk custom robot (加签): `timestamp` (ms) and `sign` in the query; the
  timestamp within an hour of now; `sign` = base64(HmacSHA256(secret,
  "timestamp\\nsecret")), URL-encoded in the query.  Wrong: errcode 310000.
* Feishu custom bot: `timestamp` (s) and `sign` in the JSON body; `sign` =
  base64(HmacSHA256(key="timestamp\\nsecret", msg="")).  Wrong: code 19021.
* WeCom group robot: the `key` in the query.  Wrong: errcode 93000.
* the SMS gateway (generic webhook): `X-Casefile-Signature: sha256=hex(HmacSHA256(secret,
  "timestamp." + body))`.  Wrong: HTTP 401.

`mode` makes a service slow (sleeps longer than the client waits), failing (HTTP
500), busy (its rate-limit code, HTTP 429) or refusing (HTTP 403 / an error code),
for the next `times` requests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

DINGTALK_TOKEN, DINGTALK_SECRET = "dt-token-5f2a9c", "SEC0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8"
WECOM_KEY = "6a1f0c2e-9b8d-4c7e-a5f3-0e1d2c3b4a59"
FEISHU_TOKEN, FEISHU_SECRET = "fs-hook-71c3", "fsSecret9Kq2Xw7Lm4Np"
SMS_SECRET = "sms-gw-secret-Z8y7X6w5"
SECRETS = (DINGTALK_TOKEN, DINGTALK_SECRET, WECOM_KEY, FEISHU_TOKEN, FEISHU_SECRET, SMS_SECRET)


@dataclass
class Received:
    service: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float


@dataclass
class Robots:
    port: int = 0
    received: list[Received] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (service, why)
    modes: dict[str, tuple[str, int]] = field(default_factory=dict)  # service -> (mode, times left)
    slow_seconds: float = 2.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def set_mode(self, service: str, mode: str, times: int = 1_000_000) -> None:
        with self.lock:
            self.modes[service] = (mode, times)

    def _take_mode(self, service: str) -> str:
        with self.lock:
            mode, times = self.modes.get(service, ("ok", 0))
            if mode == "ok" or times <= 0:
                return "ok"
            self.modes[service] = (mode, times - 1)
            return mode

    def url(self, service: str) -> str:
        base = f"http://127.0.0.1:{self.port}"
        return {
            "dingtalk": f"{base}/robot/send?access_token={DINGTALK_TOKEN}",
            "wecom": f"{base}/cgi-bin/webhook/send?key={WECOM_KEY}",
            "feishu": f"{base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}",
            "sms": f"{base}/sms/send",
        }[service]

    def texts(self, service: str | None = None) -> list[str]:
        return [text_of(r) for r in self.received if service is None or r.service == service]


def text_of(received: Received) -> str:
    body = received.body
    if received.service in ("dingtalk", "wecom"):
        return str(body["text"]["content"])
    if received.service == "feishu":
        return str(body["content"]["text"])
    return str(body["text"])


def _within_an_hour(stamp_seconds: float) -> bool:
    return abs(time.time() - stamp_seconds) <= 3600


def _handler(robots: Robots) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def _answer(self, status: int, payload: dict[str, Any] | None = None) -> None:
            data = json.dumps(payload or {}).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a slow server)

        def do_POST(self) -> None:  # noqa: N802
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            service = ("dingtalk" if parts.path == "/robot/send" else "wecom" if parts.path.startswith("/cgi-bin")
                       else "feishu" if parts.path.startswith("/open-apis") else "sms")
            mode = robots._take_mode(service)
            if mode == "slow":
                time.sleep(robots.slow_seconds)
            if mode == "fail":
                return self._answer(500, {"error": "internal"})
            if mode == "busy":  # the robots' "too many messages" codes
                code = {"dingtalk": 130101, "wecom": 45009, "feishu": 11232}.get(service, 0)
                if service == "sms":
                    return self._answer(429, {"error": "slow down"})
                return self._answer(200, {"errcode": code, "errmsg": "send too fast", "code": code})
            if mode == "refuse":
                if service == "sms":
                    return self._answer(403, {"error": "account suspended"})
                return self._answer(200, {"errcode": 300001, "errmsg": "robot disabled", "code": 19001})
            body = json.loads(raw.decode("utf-8"))
            why = getattr(self, f"_check_{service}")(parts, query, body, raw)
            if why:
                robots.rejected.append((service, why))
                if service == "sms":
                    return self._answer(401, {"error": why})
                code = {"dingtalk": 310000, "wecom": 93000, "feishu": 19021}[service]
                return self._answer(200, {"errcode": code, "errmsg": why} if service != "feishu"
                                    else {"code": code, "msg": why})
            with robots.lock:
                robots.received.append(Received(service, body, dict(self.headers), time.time()))
            if service == "feishu":
                return self._answer(200, {"code": 0, "msg": "success", "data": {}})
            if service == "sms":
                return self._answer(202, {"queued": True})
            return self._answer(200, {"errcode": 0, "errmsg": "ok"})

        def _check_dingtalk(self, parts: Any, query: dict[str, list[str]], body: Any, raw: bytes) -> str | None:
            if query.get("access_token") != [DINGTALK_TOKEN]:
                return "token not exist"
            stamp, sign = (query.get("timestamp") or [""])[0], (query.get("sign") or [""])[0]
            if not stamp.isdigit() or not _within_an_hour(int(stamp) / 1000):
                return "timestamp is not within one hour"
            expected = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode(),
                                                 hashlib.sha256).digest()).decode()
            if sign != expected:
                return "sign not match"
            if body.get("msgtype") != "text" or not body.get("text", {}).get("content"):
                return "param error"
            return None

        def _check_wecom(self, parts: Any, query: dict[str, list[str]], body: Any, raw: bytes) -> str | None:
            if query.get("key") != [WECOM_KEY]:
                return "invalid webhook url"
            if body.get("msgtype") != "text" or len(body.get("text", {}).get("content", "").encode()) > 2048:
                return "invalid text"
            return None

        def _check_feishu(self, parts: Any, query: dict[str, list[str]], body: Any, raw: bytes) -> str | None:
            if parts.path != f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}":
                return "incoming webhook access token invalid"
            stamp = str(body.get("timestamp") or "")
            if not stamp.isdigit() or not _within_an_hour(int(stamp)):
                return "sign match fail or timestamp is not within one hour from current time"
            key = f"{stamp}\n{FEISHU_SECRET}".encode()
            expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if body.get("sign") != expected:
                return "sign match fail or timestamp is not within one hour from current time"
            if body.get("msg_type") != "text":
                return "params error"
            return None

        def _check_sms(self, parts: Any, query: dict[str, list[str]], body: Any, raw: bytes) -> str | None:
            stamp = self.headers.get("X-Casefile-Timestamp") or ""
            if not stamp.isdigit() or not _within_an_hour(int(stamp)):
                return "stale timestamp"
            expected = "sha256=" + hmac.new(SMS_SECRET.encode(), stamp.encode() + b"." + raw,
                                            hashlib.sha256).hexdigest()
            if not hmac.compare_digest(self.headers.get("X-Casefile-Signature") or "", expected):
                return "bad signature"
            if not self.headers.get("Idempotency-Key"):
                return "no idempotency key"
            return None

    return Handler


@pytest.fixture
def robots() -> Iterator[Robots]:
    state = Robots()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def channel_env(robots: Robots, timeout: str = "0.5") -> dict[str, str]:
    """The environment a crontab line would set for the test rota's channels."""
    return {
        "CASEFILE_CHANNEL_DUTY_DINGTALK_URL": robots.url("dingtalk"),
        "CASEFILE_CHANNEL_DUTY_DINGTALK_SECRET": DINGTALK_SECRET,
        "CASEFILE_CHANNEL_DUTY_DINGTALK_TIMEOUT": timeout,
        "CASEFILE_CHANNEL_DESK_WECOM_URL": robots.url("wecom"),
        "CASEFILE_CHANNEL_DESK_WECOM_TIMEOUT": timeout,
        "CASEFILE_CHANNEL_GM_FEISHU_URL": robots.url("feishu"),
        "CASEFILE_CHANNEL_GM_FEISHU_SECRET": FEISHU_SECRET,
        "CASEFILE_CHANNEL_GM_FEISHU_TIMEOUT": timeout,
        "CASEFILE_CHANNEL_SMS_URL": robots.url("sms"),
        "CASEFILE_CHANNEL_SMS_SECRET": SMS_SECRET,
        "CASEFILE_CHANNEL_SMS_TIMEOUT": timeout,
    }


# The rota of the demo team (Jinqiao IT Services) that the paging tests use.
ROTA = """\
# Who is on duty.  Secrets are never here: CASEFILE_CHANNEL_<NAME>_URL / _SECRET.
holidays_from: 5x8
roles:
  customer-service-engineer:
    above: technical-support-supervisor
    week:
      - {days: [mon, tue, wed, thu, fri], from: "08:30", to: "20:30", on: li.na}
      - {days: [mon, tue, wed, thu, fri], from: "20:30", to: "08:30", on: zhao.lei}
      - {days: [sat, sun], from: "08:30", to: "08:30", on: zhao.lei}
    holidays:
      - {from: "08:30", to: "08:30", on: ma.qiang}
  technical-support-supervisor:
    above: general-manager
    week:
      - {days: [mon, tue, wed, thu, fri, sat, sun], from: "08:30", to: "08:30", on: chen.jie}
    holidays:
      - {from: "08:30", to: "08:30", on: zhou.min}
  general-manager:
    week:
      - {days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "00:00", on: liu.yang}
channels:
  duty-dingtalk: {type: dingtalk}
  desk-wecom: {type: wecom}
  gm-feishu: {type: feishu, quiet: ["22:00-07:00"]}
  sms: {type: webhook}
people:
  zhao.lei: [duty-dingtalk, sms]
  ma.qiang: [duty-dingtalk, sms]
  li.na: [duty-dingtalk, email]
  chen.jie: [desk-wecom, sms]
  zhou.min: [desk-wecom, sms]
  liu.yang: [gm-feishu, sms]
paging:
  repage_after: 10m
  resend: 1
  look_ahead: 7d
"""
