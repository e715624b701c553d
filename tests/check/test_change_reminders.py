"""Issue 19, acceptance 2: an approved change's affected customer is told `changes.notice_days` before its window
— mail through the outbox to a real SMTP server on loopback, recorded on the change, sent once; a customer
without an address gets a letter to print — and `check` reminds a pending review, a window that starts soon and
one that ran over, each once."""

from __future__ import annotations

from email import message_from_bytes, policy

from clihelp import CLI, git
from smtphelp import Inbox, smtp  # noqa: F401 - smtp is a fixture

AT = "2026-11-{}:00+08:00"
AS = ("-c", "user.name=t", "-c", "user.email=t@x")
CONTACT = "huang.tao@szmetro.example"


def _configure(cli: CLI, port: int) -> None:
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", str(port))
    git(cli.repo, "config", "casefile.smtp.from", "desk@jinqiao-it.example")


def _second_expert(cli: CLI) -> None:
    people = cli.repo / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("      - technical-support-supervisor\n",
                                   "      - technical-support-supervisor\n      - expert-group\n"), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "chen.jie joins the expert group")


def _change(cli: CLI, *customers: str) -> str:
    args = [x for c in customers for x in ("--customer", c)]
    return cli("rfc", "open", "--title", "Upgrade the MPU firmware of SW-FT-01", "--risk", "high",
               "--plan", "Standby MPU first, then switch over.", "--backout", "Boot the previous image from flash.",
               "--start", "2026-11-28T01:00", "--end", "2026-11-28T04:00", *args, "--asset", "FOC2345X0AB",
               now=AT.format("21T10:00"), actor="li.na").out.split(":")[0]


def _events(cli: CLI, change: str, kind: str) -> list[dict]:  # type: ignore[type-arg]
    return [e for e in cli("rfc", "show", change, "--json").json["events"] if e["kind"] == kind]


def test_the_customer_is_told_three_days_before_the_window_once_and_check_reminds_each_step_once(
    cli: CLI, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    _configure(cli, port)
    _second_expert(cli)
    change = _change(cli, "sz-metro")
    # Requested on Saturday 2026-11-21: the reviewers hear of it when the desk opens on Monday.
    assert "waits for the expert review" not in cli("check", "--notify", now=AT.format("21T10:05")).out
    first = cli("check", "--notify", now=AT.format("23T09:05")).out
    assert f"Change {change} waits for the expert review: 0 of 2 approvals" in first
    assert "Zhou Min" in first  # the expert group hears of it
    assert "waits for the expert review" not in cli("check", "--notify", now=AT.format("23T09:10")).out
    cli("rfc", "review", change, "--approve", now=AT.format("22T09:00"), actor="zhou.min")
    cli("rfc", "review", change, "--approve", now=AT.format("23T09:00"), actor="chen.jie")

    # Not yet: 2026-11-24 09:00 is more than three days before 2026-11-28 01:00.
    cli("check", "--notify", now=AT.format("24T09:00"))
    assert not [m for to, m in inbox.messages if CONTACT in to and change.encode() in m]
    assert _events(cli, change, "notice") == []
    # 2026-11-25 01:00 is three days before: the next run tells the customer, in Chinese (the desk's language).
    told = cli("check", "--notify", now=AT.format("25T01:05"))
    assert f"change notice for {change} to sz-metro mailed to {CONTACT}" in told.out
    mails = [message_from_bytes(raw, policy=policy.default) for to, raw in inbox.messages if CONTACT in to]
    assert len(mails) == 1
    mail = mails[0]
    assert mail["Subject"] == f"[{change}] 变更通知：Upgrade the MPU firmware of SW-FT-01"
    body = mail.get_content()  # type: ignore[attr-defined]
    assert "时间：2026-11-28 01:00 至 2026-11-28 04:00" in body
    assert "Cisco Catalyst C9300-48P (SW-FT-01) FOC2345X0AB" in body
    assert "Standby MPU" not in body and "Boot the previous image" not in body and "high" not in body
    notice = _events(cli, change, "notice")
    assert len(notice) == 1 and notice[0]["fields"]["key"] == "notice/sz-metro@2026-11-28T01:00:00+08:00"
    assert notice[0]["fields"]["mailed_to"] == [CONTACT]
    assert [row["told"] for row in cli("rfc", "list", "--json").json] == [["sz-metro"]]
    cli("check", "--notify", now=AT.format("25T09:00"))
    cli("check", "--notify", now=AT.format("26T09:00"))
    assert len([1 for to, _raw in inbox.messages if CONTACT in to]) == 1  # never twice
    assert len(_events(cli, change, "notice")) == 1
    assert cli("rfc", "show", change, "--json").json["notices"] == [
        {"customer": "sz-metro", "at": "2026-11-25T01:05:00+08:00", "by": "mail", "to": [CONTACT],
         "days_before": 3.0}]

    # 24 hours before the window is 01:00 on Friday: the requester and the desk hear of it when the desk opens.
    assert "starts at" not in cli("check", now=AT.format("27T08:59")).out
    soon = cli("check", now=AT.format("27T09:00")).out
    assert f"Change {change} starts at 2026-11-28 01:00" in soon and "Li Na" in soon
    assert f"Change {change} starts" not in cli("check", now=AT.format("27T10:00")).out
    cli("rfc", "start", change, now=AT.format("28T01:00"), actor="li.na")
    assert "ran over" not in cli("check", now=AT.format("28T03:59")).out
    over = cli("check", now=AT.format("28T04:01")).out
    assert f"Change {change} ran over its window: it ended at 2026-11-28 04:00" in over
    assert "ran over" not in cli("check", now=AT.format("28T04:30")).out
    kinds = [(e["kind"], e["fields"]["key"]) for e in cli("rfc", "show", change, "--json").json["events"]
             if e["by"] == "check"]
    assert kinds == [("reminder", "review/pending"), ("notice", "notice/sz-metro@2026-11-28T01:00:00+08:00"),
                     ("reminder", "window/soon@2026-11-28T01:00:00+08:00"),
                     ("breach", "window/over@2026-11-28T04:00:00+08:00")]
    assert cli("validate").out == ""


def test_a_customer_without_an_address_gets_a_letter_to_print_and_a_planned_change_no_notice(cli: CLI) -> None:
    customer = cli.repo / "customers" / "sz-metro.md"
    customer.write_text(customer.read_text(encoding="utf-8").replace(f"    email: {CONTACT}\n", ""), encoding="utf-8")
    git(cli.repo, *AS, "commit", "-qam", "no mail address")
    change = _change(cli, "sz-metro")
    # Planned (not approved) three days before: nobody is told of a change that may not happen.
    assert "change notice" not in cli("check", now=AT.format("25T02:00")).out
    _second_expert(cli)
    cli("rfc", "review", change, "--approve", now=AT.format("25T09:00"), actor="zhou.min")
    cli("rfc", "review", change, "--approve", now=AT.format("25T09:30"), actor="chen.jie")
    out = cli("check", now=AT.format("25T10:00")).out
    assert f"no e-mail address, print the letter (casefile rfc notice {change} --customer sz-metro)" in out
    letter = cli("rfc", "notice", change, "--customer", "sz-metro", now=AT.format("25T10:05"))
    assert letter.out.startswith(f"[{change}] 变更通知：Upgrade the MPU firmware of SW-FT-01\n\nHuang Tao，您好！")
    shown = cli("rfc", "notice", change, "--customer", "sz-metro", "--lang", "en", "--json").json
    assert shown["subject"] == f"[{change}] Planned change: Upgrade the MPU firmware of SW-FT-01"
    assert shown["change"] == {"id": change, "title": "Upgrade the MPU firmware of SW-FT-01",
                               "start": "2026-11-28T01:00:00+08:00", "end": "2026-11-28T04:00:00+08:00",
                               "devices": [{"serial": "FOC2345X0AB", "model": "Cisco Catalyst C9300-48P (SW-FT-01)",
                                            "location": "Futian station equipment room"}]}
    assert [n["by"] for n in cli("rfc", "show", change, "--json").json["notices"]] == ["letter"]
    refused = cli("rfc", "notice", change, "--customer", "acme-sz", expect=1)
    assert f"{change} does not affect acme-sz" in refused.err
    assert cli("validate").out == ""


def test_a_broken_notice_template_stops_that_notice_not_the_run_and_it_is_tried_again(cli: CLI) -> None:
    override = cli.repo / "templates" / "mail" / "change-notice.zh.txt"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("Subject: {{ change.id }\n", encoding="utf-8")
    git(cli.repo, *AS, "add", "-A")
    git(cli.repo, *AS, "commit", "-qm", "a broken override", "--no-verify")  # the hook would refuse it
    low = cli("rfc", "open", "--title", "Re-cable SW-FT-01", "--risk", "low", "--plan", "p", "--backout", "b",
              "--start", "2026-11-28T01:00", "--end", "2026-11-28T02:00", "--customer", "sz-metro",
              now=AT.format("24T10:00")).out.split(":")[0]
    run = cli("check", now=AT.format("25T09:00"))
    assert f"change notice for {low} to sz-metro not sent: template mail/change-notice.zh.txt" in run.err
    assert _events(cli, low, "notice") == []
    override.unlink()
    git(cli.repo, *AS, "commit", "-qam", "the override removed")
    assert f"change notice for {low} to sz-metro mailed to {CONTACT}" in cli("check", now=AT.format("25T09:05")).out
    assert len(_events(cli, low, "notice")) == 1
