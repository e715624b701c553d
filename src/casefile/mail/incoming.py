"""One RFC 5322 message as `casefile intake` reads it: who wrote, about what, the text, the
attachments, and whether a machine wrote it.

Chinese mail is read as Chinese mail clients write it: RFC 2047 subjects and file names
(`=?gb2312?B?...?=`), bodies in GB2312, GBK, GB18030 or UTF-8, base64 or quoted-printable,
and the raw 8-bit GBK headers some old clients still send.  GB2312 and GBK are read as
GB18030, their superset: a "gb2312" mail with one GBK-only character (many names are) is
still read whole.  HTML-only mail is laid out as text (`mail.html`).  The quoted earlier
mail under a reply (`> ...`, Outlook's and Foxmail's `-----原始邮件-----`, QQ Mail's
`------------------ 原始邮件 ------------------`, `On ... wrote:`) is cut off.

A machine's mail — auto-replies, out-of-office notes, bounces, mailing lists — is
recognised by its headers (Auto-Submitted, Precedence, X-Autoreply, List-Id, a
multipart/report, a null or MAILER-DAEMON sender) and by the subjects Chinese and English
auto-replies carry; `automatic` says why.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from email import message_from_bytes
from email.header import Header, decode_header
from email.message import Message
from email.policy import compat32
from email.utils import getaddresses, parseaddr

from casefile.values import Struct

# Declared charsets read as a superset that decodes everything the declared one's writers send.
CHARSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
            "gb_2312-80": "gb18030", "x-euc-cn": "gb18030", "us-ascii": "utf-8", "ascii": "utf-8",
            "big5": "big5hkscs"}
AUTO_SUBJECT = re.compile(
    r"^\s*(自动回复|自動回覆|自动答复|Automatic reply|Auto[- ]?reply|Autoreply|Out of (the )?office|"
    r"Undeliver(able|ed)|Delivery Status Notification|Mail delivery failed|Returned mail|退信|系统退信)",
    re.IGNORECASE)
QUOTE_START = re.compile(
    r"^\s*(-{2,}\s*(Original Message|原始邮件|原始郵件)\s*-{2,}|_{8,}\s*$|"
    r"(发件人|From)\s*[:：].+|On .{4,80} wrote:\s*$|在 .{4,80}写道[:：]?\s*$|.{4,80}于.{2,40}写道[:：]\s*$)",
    re.IGNORECASE)


class Attachment(Struct, frozen=True):
    name: str
    content_type: str
    data: bytes


class Incoming(Struct, frozen=True):
    message_id: str  # <...>; made from the content when the mail has none
    sender: str  # the address, lower case
    sender_name: str
    subject: str
    in_reply_to: str
    references: str
    text: str  # the new text, without the quoted earlier mail
    attachments: tuple[Attachment, ...]
    automatic: str | None  # why a machine wrote it, or None
    recipients: tuple[str, ...] = ()

    @property
    def from_line(self) -> str:
        return f"{self.sender_name} <{self.sender}>" if self.sender_name else self.sender


def decode_text(data: bytes, charset: str | None) -> str:
    name = (charset or "utf-8").strip().strip('"').lower()
    name = CHARSETS.get(name, name)
    try:
        return data.decode(name, errors="replace")
    except LookupError:  # a charset Python does not know: the likely ones, in turn
        for guess in ("utf-8", "gb18030"):
            try:
                return data.decode(guess)
            except UnicodeDecodeError:
                continue
        return data.decode("utf-8", errors="replace")


def _eight_bit(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def decode_header_text(value: Any) -> str:
    """A header as text: RFC 2047 words decoded (GB2312 as GB18030), raw 8-bit bytes as UTF-8 or GBK."""
    if not value:
        return ""
    if isinstance(value, Header):  # the parser's wrapper for raw 8-bit bytes (charset unknown-8bit)
        return re.sub(r"\s+", " ", "".join(
            (_eight_bit(chunk) if charset in (None, "unknown-8bit") else decode_text(chunk, charset))
            if isinstance(chunk, bytes) else chunk for chunk, charset in decode_header(value))).strip()
    raw = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in raw):  # 8-bit bytes kept by the parser as surrogates
        raw = _eight_bit(raw.encode("ascii", "surrogateescape"))
    parts = []
    for chunk, charset in decode_header(raw):
        parts.append(decode_text(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _automatic(mail: Message, sender: str, subject: str) -> str | None:
    auto = str(mail.get("Auto-Submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(mail.get("Precedence") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if mail.get(header):
            return f"{header}: {mail.get(header)}"
    if mail.get("List-Id") or mail.get("List-Unsubscribe"):
        return "a mailing list"
    if mail.get_content_type() == "multipart/report":
        return "a delivery report (bounce)"
    local = sender.split("@", 1)[0]
    if local in ("mailer-daemon", "postmaster") or str(mail.get("Return-Path") or "").strip() == "<>":
        return "a bounce (null sender)"
    if AUTO_SUBJECT.match(subject):
        return f"an automatic subject: {subject[:40]}"
    return None


def _parts(mail: Message) -> tuple[str, str, list[Attachment]]:
    plain, html = "", ""
    attachments: list[Attachment] = []
    for part in mail.walk():
        if part.is_multipart():
            continue
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        filename = part.get_filename()
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            data = b""
        kind = part.get_content_type()
        if filename or disposition == "attachment" or not kind.startswith("text/"):
            if kind != "message/delivery-status":
                name = decode_header_text(filename) if filename else f"attachment-{len(attachments) + 1}"
                attachments.append(Attachment(name, kind, data))
            continue
        text = decode_text(data, part.get_content_charset())
        if kind == "text/plain" and not plain:
            plain = text
        elif kind == "text/html" and not html:
            html = text
    return plain, html, attachments


def new_text(text: str) -> str:
    """The text of a mail without the earlier mail it quotes."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if QUOTE_START.match(line):
            break
        kept.append(line)
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    lines = [line for line in kept if not line.lstrip().startswith(">")]
    return "\n".join(line.rstrip() for line in lines).strip()


def parse_message(raw: bytes) -> Incoming:
    mail = message_from_bytes(raw, policy=compat32)
    name, address = parseaddr(decode_header_text(mail.get("From")))
    subject = decode_header_text(mail.get("Subject"))
    plain, html, attachments = _parts(mail)
    if not plain.strip() and html:
        from casefile.mail.html import html_to_text

        plain = html_to_text(html)
    message_id = str(mail.get("Message-ID") or "").strip()
    if not message_id:
        message_id = f"<{hashlib.sha256(raw).hexdigest()[:32]}@no-message-id.invalid>"
    recipients = tuple(addr.lower() for _n, addr in getaddresses(
        [decode_header_text(str(v)) for v in (mail.get_all("To") or []) + (mail.get_all("Cc") or [])]) if addr)
    return Incoming(
        message_id=message_id,
        sender=address.strip().lower(),
        sender_name=name.strip().strip('"'),
        subject=subject,
        in_reply_to=str(mail.get("In-Reply-To") or ""),
        references=" ".join(str(v) for v in mail.get_all("References") or []),
        text=new_text(plain),
        attachments=tuple(attachments),
        automatic=_automatic(mail, address.strip().lower(), subject),
        recipients=recipients,
    )
