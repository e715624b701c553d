"""Issue 14, acceptance 3: `escalate --to L3` then `--to vendor` mails the owner, the group and the vendor's
contact — through a real SMTP server on loopback, once each, in the desk's and the vendor's language."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from clihelp import CLI, git
from smtphelp import Inbox, smtp  # noqa: F401 - smtp is a fixture

FRI = "2026-11-20T{}:00+08:00"
TEAM = "@jinqiao-it.example"


def _mails(inbox: Inbox) -> list[tuple[list[str], EmailMessage]]:
    found = []
    for recipients, raw in inbox.messages:
        mail = message_from_bytes(raw, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        found.append((sorted(recipients), mail))
    return found


def _outage(cli: CLI) -> str:
    cli("vendor", "add", "huawei", "--name", "Huawei Technologies",
        "--contact", "Huawei TAC;400-822-9999;tac@huawei.example;TAC", "--coverage", "7x24",
        "--commit", "response=30m", now=FRI.format("09:00"))
    return cli.open("Core switch down at Futian", "B", "--customer", "sz-metro", "--assign", "ma.qiang",
                    now=FRI.format("10:00"))


def test_the_owner_the_group_and_the_vendor_are_mailed_once(cli: CLI, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    case = _outage(cli)
    for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("from", "desk" + TEAM)):
        git(cli.repo, "config", f"casefile.smtp.{key}", value)
    first = cli("escalate", case, "--to", "L3", "--reason", "Core routing: the expert group", now=FRI.format("10:10"))
    assert first.out.splitlines()[1] == f"mail to ma.qiang{TEAM}, zhou.min{TEAM} queued"
    assert first.out.splitlines()[2] == "mail: 1 sent"
    cli("escalate", case, "--to", "vendor", "--vendor", "huawei", "--ticket", "HW-1",
        "--reason", "Line card fault in slot 3", actor="zhou.min", now=FRI.format("10:20"))
    mails = _mails(inbox)
    assert [r for r, _m in mails] == [[f"ma.qiang{TEAM}", f"zhou.min{TEAM}"],  # to L3, by the desk
                                      [f"ma.qiang{TEAM}"],                      # to the vendor, by zhou.min
                                      ["tac@huawei.example"]]
    staff, handed_over, vendor = (m for _r, m in mails)
    assert staff["Subject"] == f"[{case}] 事件升级：Core switch down at Futian"
    assert "升级原因：Core routing: the expert group" in staff.get_content()
    assert "负责人：Ma Qiang 马强 <ma.qiang@jinqiao-it.example>" in staff.get_content()
    assert "至厂商 huawei（厂商工单 HW-1）" in handed_over.get_content()
    assert vendor["Subject"] == f"[{case}] 技术支持请求（贵方工单 HW-1）：Core switch down at Futian"
    body = vendor.get_content()
    assert "情况说明：Line card fault in slot 3" in body and "原厂响应 30m" in body
    assert "我方负责人：Ma Qiang 马强 <ma.qiang@jinqiao-it.example>" in body
    # Nothing else from the record reaches the vendor: not the customer's contract, nor the desk's handles.
    assert "JQ-2026" not in body and "zhou.min" not in body and "sz-metro" not in body
    assert vendor["Message-ID"] != staff["Message-ID"] and f"[{case}]" in str(vendor["Subject"])
    events = [e for e in cli("show", case, "--json").json["events"] if e["kind"] == "escalated"]
    assert events[1]["fields"]["mailed_to"] == [f"ma.qiang{TEAM}", "tac@huawei.example"]
    assert events[1]["fields"]["key"].startswith(f"mail/{case}/escalated/")
    # Sent once: the next check --notify sends nothing again.
    cli("check", "--notify", now=FRI.format("10:25"))
    assert len([m for _r, m in _mails(inbox) if "升级" in str(m["Subject"]) or "HW-1" in str(m["Subject"])]) == 3


def test_without_smtp_the_notices_wait_for_check_and_a_vendor_lang_is_its_own(
        cli: CLI, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    case = _outage(cli)
    vendor = cli.repo / "vendors" / "huawei.md"
    vendor.write_text(vendor.read_text(encoding="utf-8").replace("name: Huawei Technologies",
                                                                 "name: Huawei Technologies\nlang: en"),
                      encoding="utf-8")
    git(cli.repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "huawei writes English")
    done = cli("escalate", case, "--to", "vendor", "--vendor", "huawei", "--ticket", "HW-7",
               "--reason", "Line card fault", now=FRI.format("10:20"))
    assert "the mail waits in the outbox" in done.out and inbox.messages == []
    for key, value in (("host", "127.0.0.1"), ("port", str(port)), ("from", "desk" + TEAM)):
        git(cli.repo, "config", f"casefile.smtp.{key}", value)
    cli("check", "--notify", now=FRI.format("10:21"))
    mails = dict((tuple(r), m) for r, m in _mails(inbox) if "[" + case + "]" in str(m["Subject"]))
    assert str(mails[("tac@huawei.example",)]["Subject"]).strip() == f"[{case}] Support request (your ticket HW-7): " \
                                                          "Core switch down at Futian"
    assert "Your commitments under the service agreement: Vendor response 30m." in \
        mails[("tac@huawei.example",)].get_content()


def test_a_refused_escalation_queues_no_mail(cli: CLI) -> None:
    case = _outage(cli)
    cli("escalate", case, "--to", "L2", "--reason", "down", now=FRI.format("10:05"), expect=1)
    outbox = cli.repo / ".git" / "casefile" / "outbox"
    assert not outbox.exists() or not [p for p in outbox.iterdir() if p.is_file()]
