"""The note that a change queued mail is known by what it is, not by its words (issue 18): on a zh desk it reads
in Chinese and the outbox is still sent at once, where `deliver` once looked for the English "mail to "."""

from __future__ import annotations

import re

import pytest

from casefile import i18n
from casefile.mail.queued import MailQueued, queued_mail
from clihelp import CLI, git
from smtphelp import Inbox, smtp  # noqa: F401 - smtp is a fixture

AT = "2026-10-03T{}:00+08:00"
CALLER = "huang.tao@szmetro.example"


def test_the_note_is_words_in_the_readers_language_with_its_addresses_beside_them() -> None:
    with i18n.speaking("zh"):
        zh = MailQueued([CALLER], "10-06 08:30")
    en = MailQueued([CALLER, "desk@jinqiao-it.example"])
    assert zh == f"发往 {CALLER} 的邮件已排队（暂缓到 10-06 08:30：在客户服务时间之外）"
    assert en == f"mail to {CALLER}, desk@jinqiao-it.example queued"
    assert zh.to == (CALLER,) and zh.held_until == "10-06 08:30" and en.held_until is None
    assert queued_mail(["issued survey SV-KMT-00417", zh]) and queued_mail([en])
    assert not queued_mail([f"mail to {CALLER} queued"])  # the words alone say nothing to the code


@pytest.mark.parametrize(("lang", "queued", "sent"), [
    ("zh", f"发往 {CALLER} 的邮件已排队", r"邮件：已发送 \d 封"),  # the reply, and the open's mail that waited
    ("en", f"mail to {CALLER} queued", r"mail: \d sent"),
])
def test_a_reply_on_a_zh_or_en_terminal_is_mailed_at_once(cli: CLI, smtp: tuple[Inbox, int],
                                                          monkeypatch: pytest.MonkeyPatch, lang: str, queued: str,
                                                          sent: str) -> None:
    inbox, port = smtp
    monkeypatch.setenv("CASEFILE_LANG", lang)
    case = cli("open", "Futian station core switch down", "--level", "A", "--customer", "sz-metro",
               "--caller-name", "Huang Tao", "--caller-email", CALLER, "-m", "Down.", now=AT.format("02:00")).out.strip()
    for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("from", "desk@jinqiao-it.example")):
        git(cli.repo, "config", f"casefile.smtp.{key}", value)
    done = cli("reply", case, "-m", "我们已收到，工程师正在赶往现场。", now=AT.format("02:05"))
    assert queued in done.out and re.search(sent, done.out)
    assert any(CALLER in recipients for recipients, _raw in inbox.messages)
