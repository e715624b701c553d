"""Paging channels other than e-mail: DingTalk, WeCom and Feishu group robots, and a generic JSON webhook.

Each channel is named in rota.yaml (`channels.NAME.type`); its address and
secret are never committed.  They come from the environment or, for what it
leaves out, from the clone's git config (`.git/config`, not in the history):

| setting | environment | git config |
|---|---|---|
| webhook address | CASEFILE_CHANNEL_<NAME>_URL | casefile.channel.<name>.url |
| signing secret | CASEFILE_CHANNEL_<NAME>_SECRET | casefile.channel.<name>.secret |
| timeout (seconds, default 10) | CASEFILE_CHANNEL_<NAME>_TIMEOUT | casefile.channel.<name>.timeout |

(`<NAME>` is the channel's name in capitals with `_` for other characters.)

How each service checks a message, as its robot documentation describes it:

* DingTalk custom robot (加签): `timestamp` in milliseconds and
  `sign = urlencode(base64(HmacSHA256(key=secret, msg=timestamp + "\\n" + secret)))`
  as query parameters of the webhook; the timestamp must be within an hour of
  DingTalk's clock.  The reply is `{"errcode": 0, "errmsg": "ok"}`.
* Feishu custom bot (签名校验): `timestamp` in seconds and
  `sign = base64(HmacSHA256(key=timestamp + "\\n" + secret, msg=""))` in the JSON
  body; within an hour.  The reply is `{"code": 0, ...}`.
* WeCom group robot: no signature; the `key` in the webhook address is the secret.
  The reply is `{"errcode": 0, "errmsg": "ok"}`.
* The generic webhook (SMS gateways, paging services): the JSON page with
  `X-Casefile-Timestamp` (seconds) and
  `X-Casefile-Signature: sha256=hex(HmacSHA256(key=secret, msg=timestamp + "." + body))`,
  and `Idempotency-Key` (the page's id, the same on every attempt).

A failure is either `Refused` (the service said no for good: a 4xx, a bad
signature, an unknown robot; the outbox moves on to the person's next channel and
reports it once) or `Unavailable` (a timeout, a refused connection, a 5xx, a rate
limit: retried with backoff).  Neither message ever contains the address or the
secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

if TYPE_CHECKING:
    import urllib.request

TYPES = ("dingtalk", "wecom", "feishu", "webhook")
DEFAULT_TIMEOUT = 10.0
MAX_TEXT_BYTES = 2000  # WeCom's limit is 2048 bytes of text; DingTalk's and Feishu's are larger
# Reply codes that mean "too many messages, try later" rather than "no".
RATE_LIMITED = {"dingtalk": {130101, 130102}, "wecom": {45009, 45033}, "feishu": {9499, 11232, 11233}}


class Refused(Exception):
    """The service refused the page for good."""


class Unavailable(Exception):
    """The service could not be reached or asked to try later."""


class ChannelSecrets(Struct, frozen=True):
    name: str
    url: str
    secret: str | None
    timeout: float = DEFAULT_TIMEOUT

    def scrub(self, text: str) -> str:
        """`text` without the address, its query, or the secret."""
        for value in (self.secret, self.url, urllib.parse.urlsplit(self.url).query):
            if value:
                text = text.replace(value, "***")
        return text

    def __repr__(self) -> str:  # never printed whole, not even in a traceback's locals
        return f"ChannelSecrets({self.name!r}, url=***, secret={'***' if self.secret else None})"


def _env_name(name: str, what: str) -> str:
    return "CASEFILE_CHANNEL_" + "".join(c if c.isalnum() else "_" for c in name.upper()) + "_" + what


def channel_secrets(name: str, env: Mapping[str, str], git_config: Callable[[str], str | None]) -> ChannelSecrets:
    """The address and secret of channel `name` from the environment, else this clone's git config."""

    def get(what: str) -> str | None:
        value = env.get(_env_name(name, what.upper())) or git_config(f"casefile.channel.{name}.{what}")
        return value.strip() if value and value.strip() else None

    url = get("url")
    if url is None:
        raise Refused(_("channel {name} has no webhook address: set {env_name} or git config casefile.channel.{name}.url").format(name=name, env_name=_env_name(name, 'URL')))
    timeout_text = get("timeout")
    try:
        timeout = float(timeout_text) if timeout_text else DEFAULT_TIMEOUT
    except ValueError:
        raise CasefileError(_("channel {name}: timeout {timeout_text!r} is not a number of seconds").format(name=name, timeout_text=timeout_text),
                            _("fix {env_name} or casefile.channel.{name}.timeout").format(env_name=_env_name(name, 'TIMEOUT'), name=name)) from None
    return ChannelSecrets(name, url, get("secret"), timeout)


# -- signatures -----------------------------------------------------------------------


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign` query value (already URL-encoded, as DingTalk's sample does)."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's `sign` body field: the key is timestamp + newline + secret, the message is empty."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def webhook_signature(secret: str, timestamp_s: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


# -- one page ------------------------------------------------------------------------


class Outgoing(Struct, frozen=True):
    """What a page says and whom it names (a mobile number to @ in a group)."""

    id: str
    text: str
    to: str  # handle
    name: str
    mobile: str = ""
    case: str = ""
    level: str = ""


def request_of(kind: str, secrets: ChannelSecrets, page: Outgoing, wall_seconds: float) -> urllib.request.Request:
    """The HTTP request that delivers `page` on a channel of `kind`, signed at `wall_seconds` (real time)."""
    import urllib.request  # here: HTTP (and with it ssl and email, ~13 ms) only when a page is sent

    text = _fit(page.text)
    headers = {"Content-Type": "application/json; charset=utf-8"}
    url = secrets.url
    mobiles = [page.mobile] if page.mobile else []
    body: dict[str, Any]
    if kind == "dingtalk":
        body = {"msgtype": "text", "text": {"content": text}, "at": {"atMobiles": mobiles, "isAtAll": False}}
        if secrets.secret:
            stamp = int(wall_seconds * 1000)
            url += ("&" if "?" in url else "?") + f"timestamp={stamp}&sign={dingtalk_sign(secrets.secret, stamp)}"
    elif kind == "wecom":
        body = {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": mobiles}}
    elif kind == "feishu":
        body = {"msg_type": "text", "content": {"text": text}}
        if secrets.secret:
            stamp = int(wall_seconds)
            body = {"timestamp": str(stamp), "sign": feishu_sign(secrets.secret, stamp), **body}
    elif kind == "webhook":
        body = {"id": page.id, "to": page.to, "name": page.name, "mobile": page.mobile, "case": page.case,
                "level": page.level, "text": text}
    else:
        raise Refused(_("channel {name}: {kind!r} is not a webhook channel").format(name=secrets.name, kind=kind))
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    if kind == "webhook":
        headers["Idempotency-Key"] = page.id
        if secrets.secret:
            stamp = int(wall_seconds)
            headers["X-Casefile-Timestamp"] = str(stamp)
            headers["X-Casefile-Signature"] = webhook_signature(secrets.secret, stamp, data)
    return urllib.request.Request(url, data=data, headers=headers, method="POST")


def _fit(text: str) -> str:
    raw = text.encode("utf-8")
    if len(raw) <= MAX_TEXT_BYTES:
        return text
    return raw[: MAX_TEXT_BYTES - 3].decode("utf-8", "ignore") + "…"


def post(kind: str, secrets: ChannelSecrets, page: Outgoing, wall_seconds: float) -> None:
    """Deliver one page; raises `Refused` or `Unavailable` (messages without the address or secret)."""
    import socket
    import urllib.error
    import urllib.request

    request = request_of(kind, secrets, page, wall_seconds)
    where = f"channel {secrets.name}"
    try:
        with urllib.request.urlopen(request, timeout=secrets.timeout) as response:  # noqa: S310 - https/http only
            reply = response.read(65536)
    except urllib.error.HTTPError as error:
        status = error.code
        error.close()
        if status >= 500 or status in (408, 429):
            raise Unavailable(_("{where}: HTTP {status}").format(where=where, status=status)) from None
        raise Refused(_("{where}: HTTP {status}").format(where=where, status=status)) from None
    except (TimeoutError, socket.timeout):
        raise Unavailable(_("{where}: no answer within {timeout:g}s").format(where=where, timeout=secrets.timeout)) from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise Unavailable(_("{where}: no answer within {timeout:g}s").format(where=where, timeout=secrets.timeout)) from None
        raise Unavailable(secrets.scrub(f"{where}: cannot connect ({reason})")) from None
    except (OSError, ValueError) as error:
        raise Unavailable(secrets.scrub(f"{where}: {type(error).__name__}: {error}")) from None
    _judge(kind, where, reply, secrets)


def _judge(kind: str, where: str, reply: bytes, secrets: ChannelSecrets) -> None:
    """The robots answer 200 with a code: 0 is delivered, a rate limit is try-later, anything else is no."""
    if kind == "webhook":
        return
    try:
        answer = json.loads(reply.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Unavailable(_("{where}: the reply is not JSON").format(where=where)) from None
    if not isinstance(answer, dict):
        raise Unavailable(_("{where}: the reply is not a JSON object").format(where=where))
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code in (0, None):
        return
    message = secrets.scrub(str(answer.get("errmsg") or answer.get("msg") or ""))[:120]
    if code in RATE_LIMITED.get(kind, set()):
        raise Unavailable(_("{where}: rate limited ({code} {message})").format(where=where, code=code, message=message))
    raise Refused(_("{where}: refused ({code} {message})").format(where=where, code=code, message=message))
