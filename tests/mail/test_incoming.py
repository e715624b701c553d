"""Reading one message (mail/incoming.py): Chinese encodings, quotes cut, machines recognised."""

from __future__ import annotations

import base64
from pathlib import Path

from casefile.mail.incoming import decode_header_text, new_text, parse_message

MAIL = Path(__file__).parent.parent / "intake" / "mail"


def test_gb2312_declared_gbk_written_is_read_as_gb18030() -> None:
    word = base64.b64encode("刘镕".encode("gbk")).decode()
    assert decode_header_text(f"=?gb2312?B?{word}?=") == "刘镕"
    raw_8bit = "Subject: 打印机".encode("gbk").decode("ascii", "surrogateescape")  # an old client's raw header
    assert decode_header_text(raw_8bit) == "Subject: 打印机"


def test_foxmail_and_qq_mail_as_they_write() -> None:
    fox = parse_message((MAIL / "foxmail-gbk-new.eml").read_bytes())
    assert (fox.sender, fox.sender_name, fox.subject) == ("zhang.wei@acme.example", "张伟", "3楼打印机卡纸，显示E-04")
    assert fox.automatic is None and fox.attachments == ()
    qq = parse_message((MAIL / "qqmail-reply.eml").read_bytes().replace(b"{CASE}", b"KMT-00417"))
    assert qq.subject == "回复： [KMT-00417] 服务记录已开设：3楼打印机卡纸，显示E-04"
    assert "原始邮件" not in qq.text and qq.in_reply_to == "<KMT-00417@casefile.invalid>"


def test_machines_are_recognised() -> None:
    bounce = parse_message((MAIL / "postfix-bounce.eml").read_bytes())
    assert bounce.automatic == "Auto-Submitted: auto-replied"
    assert parse_message(b"From: MAILER-DAEMON@mx.example\r\nSubject: x\r\n\r\nfailed\r\n").automatic == \
        "a bounce (null sender)"
    assert "automatic subject" in str(parse_message(
        "From: a@b.example\r\nSubject: 自动回复：休假\r\n\r\n休假中\r\n".encode("utf-8")).automatic)
    assert parse_message(b"From: a@b.example\r\nPrecedence: bulk\r\nSubject: news\r\n\r\nx\r\n").automatic == \
        "Precedence: bulk"


def test_a_quote_is_cut_where_outlook_foxmail_or_gmail_start_it() -> None:
    assert new_text("好的\n\n-----原始邮件-----\n发件人: desk\n旧内容") == "好的"
    assert new_text("OK, thanks.\n\nOn Tue, 3 Nov 2026 at 09:13, Desk <d@x> wrote:\n> old") == "OK, thanks."
    assert new_text("See below\n> quoted\nmine") == "See below\nmine"


def test_a_message_without_message_id_gets_one_from_its_content() -> None:
    raw = b"From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n"
    assert parse_message(raw).message_id == parse_message(raw).message_id
    assert parse_message(raw).message_id.endswith("@no-message-id.invalid>")
