"""Issue 15, acceptance 2 and 3: `casefile intake` fed real messages — written the way Foxmail, Outlook,
QQ Mail, Gmail and a bounce daemon write them — from standard input, a file and a real Maildir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from clihelp import CLI, commit_count, git, is_clean

MAIL = Path(__file__).parent / "mail"
NOW = "2026-11-03T{}:00+08:00"  # Tuesday


def message(name: str, case: str = "") -> bytes:
    return (MAIL / name).read_bytes().replace(b"{CASE}", case.encode("ascii"))


def feed(cli: CLI, tmp_path: Path, raw: bytes, at: str = "09:13", expect: int = 0) -> dict[str, Any]:
    path = tmp_path / f"in-{len(list(tmp_path.glob('in-*')))}.eml"
    path.write_bytes(raw)
    done = cli("intake", str(path), "--json", now=NOW.format(at), expect=expect)
    taken: dict[str, Any] = done.json["taken"][0]
    return taken


def case(cli: CLI, number: str) -> dict[str, Any]:
    data: dict[str, Any] = cli("show", number, "--json").json
    return data


def outbox(repo: Path) -> list[dict[str, Any]]:
    folder = repo / ".git" / "casefile" / "outbox"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def opened_by_mail(cli: CLI, tmp_path: Path) -> str:
    taken = feed(cli, tmp_path, message("foxmail-gbk-new.eml"))
    assert taken["action"] == "opened"
    return str(taken["case"])


def test_a_known_contacts_gbk_mail_opens_a_case_and_the_caller_gets_its_number(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    data = case(cli, number)
    assert data["title"] == "3楼打印机卡纸，显示E-04"  # RFC 2047, GB2312 declared
    assert data["customer"] == "acme-sz" and data["channel"] == "email" and data["level"] == "C"
    assert data["caller"] == {"name": "Zhang Wei", "email": "zhang.wei@acme.example", "phone": "0755-86001234",
                              "company": "ACME Shenzhen"}
    # 镕 is in GBK, not in GB2312: the body is read as GB18030, so the name survives.
    assert "财务部刘镕急着打印报表" in data["description"]
    assert data["events"][0]["fields"]["message_id"] == "<202611030912380531228@acme.example>"
    mails = outbox(cli.repo)
    assert [(m["to"], m["subject"]) for m in mails] == [
        (["zhang.wei@acme.example"], f"[{number}] 服务记录已开设：3楼打印机卡纸，显示E-04")]
    # The case-number mail answers the customer's own message, so it threads under it.
    headers = dict(mails[0]["headers"])
    assert headers["In-Reply-To"] == "<202611030912380531228@acme.example>"


def test_the_same_message_delivered_twice_is_taken_once(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    commits = commit_count(cli.repo)
    again = feed(cli, tmp_path, message("foxmail-gbk-new.eml"), at="09:20")
    assert again == {"message_id": "<202611030912380531228@acme.example>", "action": "duplicate", "case": number,
                     "reason": "", "notes": []}
    assert commit_count(cli.repo) == commits and len(outbox(cli.repo)) == 1


def test_html_only_mail_from_outlook_becomes_text(cli: CLI, tmp_path: Path) -> None:
    taken = feed(cli, tmp_path, message("outlook-html-only.eml"), at="10:02")
    data = case(cli, taken["case"])
    assert data["title"] == "新笔记本的 VPN 配置" and data["caller"]["name"] == "Liu Min"
    text = data["description"]
    assert "新到的十台 ThinkPad 需要装 VPN 客户端" in text
    assert "ThinkPad T14 Gen 5" in text and "10" in text
    assert "<" not in text and "MsoNormal" not in text and "DengXian" not in text


def test_a_stranger_opens_a_case_marked_for_triage_and_gets_no_mail(cli: CLI, tmp_path: Path) -> None:
    taken = feed(cli, tmp_path, message("gmail-stranger.eml"), at="10:40")
    assert taken["action"] == "triage"
    data = case(cli, taken["case"])
    assert data["category"] == "triage" and data["customer"] is None
    assert data["caller"] == {"name": "Wu Lei", "email": "wulei.sz@gmail.com"}
    assert data["description"] == "你好，我在三楼，网络打不开。"  # quoted-printable UTF-8
    assert outbox(cli.repo) == []
    listed = cli("list", "--json", now=NOW.format("10:41")).json
    assert [row["id"] for row in listed if row.get("category") == "triage"] == [taken["case"]]


def test_a_reply_from_qq_mail_is_a_customer_visible_entry_on_its_case(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    taken = feed(cli, tmp_path, message("qqmail-reply.eml", number), at="11:20")
    assert taken["action"] == "entry" and taken["case"] == number
    last = case(cli, number)["events"][-1]
    assert last["kind"] == "mail" and last["visibility"] == "customer"
    assert last["text"] == "谢谢，我们看到了。刚才又试了一次，还是 E-04，纸盒2也卡。\n\n张伟"  # the quote is cut
    assert last["fields"]["from"] == "张伟 <zhang.wei@acme.example>"
    assert len(cli("list", "--all", "--json").json) == 1  # no second case


def test_the_case_number_in_the_subject_threads_a_reply_from_the_case_people_only(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    follow_up = mail_from("Liu Min <liu.min@acme.example>", f"Re: [{number}] 3楼打印机", "纸盒1也不进纸了。")
    assert feed(cli, tmp_path, follow_up, at="11:30")["case"] == number  # a contact of the same customer
    stranger = mail_from("Wu Lei <wulei.sz@gmail.com>", f"Re: [{number}] 3楼打印机", "Me too!")
    assert feed(cli, tmp_path, stranger, at="11:31")["action"] == "triage"  # not on ACME's case


def test_a_reply_within_the_window_reopens_a_resolved_case_and_a_later_one_does_not(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    cli("resolve", number, "-m", "Replaced the fuser unit.", now=NOW.format("14:00"))
    reopened = feed(cli, tmp_path, message("qqmail-reply.eml", number), at="16:00")
    assert reopened["action"] == "reopened"
    data = case(cli, number)
    assert data["status"] == "open"
    assert [e["kind"] for e in data["events"][-2:]] == ["reopened", "mail"]
    cli("resolve", number, "-m", "Cleaned tray 2 as well.", now="2026-11-04T10:00:00+08:00")
    # 2026-11-12 is eight days after the restore: past intake.reopen_days (7) — an entry, still resolved.
    later = mail_from("Zhang Wei <zhang.wei@acme.example>", f"Re: [{number}] 服务已恢复", "又坏了。",
                      in_reply_to=f"<{number}.restored.x@casefile.invalid>", ident="<later@acme.example>")
    path = tmp_path / "later.eml"
    path.write_bytes(later)
    done = cli("intake", str(path), "--json", now="2026-11-12T10:01:00+08:00").json["taken"][0]
    assert done["action"] == "entry"
    assert case(cli, number)["status"] == "resolved"


def test_auto_replies_and_bounces_are_ignored_and_never_answered(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    commits, waiting = commit_count(cli.repo), len(outbox(cli.repo))
    for name, why in (("outlook-out-of-office.eml", "Auto-Submitted: auto-replied"),
                      ("postfix-bounce.eml", "Auto-Submitted: auto-replied")):
        taken = feed(cli, tmp_path, message(name, number), at="09:15")
        assert taken["action"] == "ignored" and why in taken["reason"]
    qq_auto = mail_from("Zhang Wei <zhang.wei@acme.example>", f"自动回复: [{number}] 服务记录已开设", "您好，我最近正在休假中。")
    assert "automatic subject" in feed(cli, tmp_path, qq_auto, at="09:16")["reason"]
    ours = mail_from("IT Service Desk <servicedesk@jinqiao-it.example>", f"[{number}] 服务记录已开设", "loop",
                     ident=f"<{number}@casefile.invalid>")
    assert "loop" in feed(cli, tmp_path, ours, at="09:17")["reason"]
    assert commit_count(cli.repo) == commits and len(outbox(cli.repo)) == waiting
    assert len(case(cli, number)["events"]) == 1


def test_an_over_size_attachment_is_refused_with_a_reply_and_a_small_one_kept(cli: CLI, tmp_path: Path) -> None:
    policy = cli.repo / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("max_attachment: 10MB", "max_attachment: 100KB"), encoding="utf-8")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example",
        "commit", "-qam", "attachments up to 100 KB")
    mail = EmailMessage()
    mail["From"] = "Zhang Wei <zhang.wei@acme.example>"
    mail["To"] = "servicedesk@jinqiao-it.example"
    mail["Subject"] = "打印机日志"
    mail["Message-ID"] = "<logs-1@acme.example>"
    mail.set_content("日志和照片见附件。", charset="gb18030")
    photo, logs = os.urandom(50_000), os.urandom(300_000)
    mail.add_attachment(photo, maintype="image", subtype="jpeg", filename="故障照片.jpg")
    mail.add_attachment(logs, maintype="application", subtype="zip", filename="打印机日志.zip")
    taken = feed(cli, tmp_path, bytes(mail), at="09:30")
    number = taken["case"]
    kept = cli.repo / "attachments" / number / "故障照片.jpg"
    assert kept.read_bytes() == photo
    assert not list((cli.repo / "attachments" / number).glob("*.zip"))
    data = case(cli, number)
    assert data["events"][0]["fields"]["attachments"] == [f"attachments/{number}/故障照片.jpg"]
    assert data["events"][-1]["kind"] == "attachment-refused"
    refusal = [m for m in outbox(cli.repo) if "附件过大" in m["subject"]]
    assert len(refusal) == 1 and refusal[0]["to"] == ["zhang.wei@acme.example"]
    assert "打印机日志.zip（293 KB）" in refusal[0]["body"] and "100 KB" in refusal[0]["body"]
    assert is_clean(cli.repo)


def test_status_by_mail_answers_the_contact_and_ignores_a_stranger(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    cli("note", number, "-m", "Fuser from the Futian depot; ask Chen Jie to sign off the cost", now=NOW.format("10:00"))
    cli("reply", number, "-m", "工程师 14:00 上门更换定影器。", now=NOW.format("10:05"))
    before = {m["id"] for m in outbox(cli.repo)}
    asked = feed(cli, tmp_path, message("foxmail-status.eml", number), at="15:02")
    assert asked["action"] == "status"
    answers = [m for m in outbox(cli.repo) if m["id"] not in before]
    assert len(answers) == 1 and answers[0]["to"] == ["zhang.wei@acme.example"]
    body = answers[0]["body"]
    assert answers[0]["subject"] == f"[{number}] 服务记录状态：3楼打印机卡纸，显示E-04"
    assert "状态：    处理中" in body and "工程师 14:00 上门更换定影器。" in body
    assert "Futian depot" not in body and "Chen Jie" not in body
    assert dict(answers[0]["headers"])["In-Reply-To"] == "<202611031502110533019@acme.example>"
    commits = commit_count(cli.repo)
    probe = feed(cli, tmp_path, message("stranger-status.eml", number), at="15:05")
    assert probe["action"] == "ignored"
    assert commit_count(cli.repo) == commits and len(outbox(cli.repo)) == len(before) + 1


def test_standard_input_as_an_mta_pipes_it(cli: CLI) -> None:
    env = {**os.environ, "CASEFILE_REPO": str(cli.repo), "CASEFILE_NOW": NOW.format("09:13")}
    env.pop("CASEFILE_ACTOR", None)
    done = subprocess.run([sys.executable, "-m", "casefile", "intake"], input=message("foxmail-gbk-new.eml"),
                          capture_output=True, env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert b"opened" in done.stdout
    assert "3楼打印机卡纸" in git(cli.repo, "log", "-1", "--format=%s")
    # Without --as, intake acts as itself, as `check` does: the commit names no person of the desk.
    assert git(cli.repo, "log", "-1", "--format=%an <%ae>").strip() == "casefile intake <intake@casefile.invalid>"


def make_maildir(root: Path, messages: dict[str, bytes]) -> Path:
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True)
    for name, raw in messages.items():
        (root / "tmp" / name).write_bytes(raw)
        os.replace(root / "tmp" / name, root / "new" / name)  # the way a delivery agent does it
    return root


def test_maildir_is_polled_without_taking_a_message_twice_across_runs_and_a_crash(cli: CLI, tmp_path: Path) -> None:
    box = make_maildir(tmp_path / "Maildir", {
        "1762132358.M1P100.mx": message("foxmail-gbk-new.eml"),
        "1762132400.M2P101.mx": message("gmail-stranger.eml"),
        "1762132442.M3P102.mx": message("postfix-bounce.eml", "KMT-00001"),
    })
    # The first run dies right after its first commit, before the message is marked seen.
    crashed = cli.process("intake", "--maildir", str(box), now=NOW.format("11:00"), expect=None,
                          extra_env={"CASEFILE_CRASH_AT": "after-ref"})
    assert crashed.code == 70
    assert len(list((box / "new").iterdir())) == 3
    first = cli("intake", "--maildir", str(box), "--json", now=NOW.format("11:05")).json
    assert [t["action"] for t in first["taken"]] == ["duplicate", "triage", "ignored"]
    assert sorted(p.name for p in (box / "cur").iterdir()) == [
        "1762132358.M1P100.mx:2,S", "1762132400.M2P101.mx:2,S", "1762132442.M3P102.mx:2,S"]
    assert not list((box / "new").iterdir())
    again = cli("intake", "--maildir", str(box), "--json", now=NOW.format("11:10")).json
    assert again == {"taken": [], "failed": []}
    assert len(cli("list", "--all", "--json", now=NOW.format("11:10")).json) == 2
    assert is_clean(cli.repo)


def test_a_message_that_cannot_be_taken_stays_unseen_and_the_others_are_taken(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    record = next(cli.repo.glob(f"cases/*/*/{number}.md"))
    record.write_text(record.read_text(encoding="utf-8").replace("level: C", "level: Z"), encoding="utf-8")
    git(cli.repo, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "--no-verify", "-qam", "a broken hand edit")
    box = make_maildir(tmp_path / "Maildir", {"1.mx": message("qqmail-reply.eml", number),
                                               "2.mx": message("gmail-stranger.eml")})
    run = cli("intake", "--maildir", str(box), "--json", now=NOW.format("12:00"), expect=1).json
    assert [t["action"] for t in run["taken"]] == ["triage"]
    assert run["failed"][0]["message"] == "1.mx"
    assert [p.name for p in (box / "new").iterdir()] == ["1.mx"]


def mail_from(sender: str, subject: str, text: str, in_reply_to: str | None = None,
              ident: str | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = "servicedesk@jinqiao-it.example"
    mail["Subject"] = subject
    mail["Message-ID"] = ident or f"<{abs(hash((sender, subject, text)))}@example.test>"
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    mail.set_content(text)
    return bytes(mail)


def test_a_desk_member_answering_in_the_thread_is_an_internal_entry(cli: CLI, tmp_path: Path) -> None:
    number = opened_by_mail(cli, tmp_path)
    cli("resolve", number, "-m", "Replaced the fuser unit.", now=NOW.format("14:00"))
    staff = mail_from("Li Na <li.na@jinqiao-it.example>", f"Re: [{number}] 服务已恢复", "Checked on site, fine.",
                      in_reply_to=f"<{number}@casefile.invalid>")
    assert feed(cli, tmp_path, staff, at="14:30")["action"] == "entry"
    data = case(cli, number)
    assert data["status"] == "resolved"  # not reopened by the desk's own mail
    last = data["events"][-1]
    assert (last["by"], last["kind"], last["visibility"]) == ("li.na", "mail", "internal")


def test_policy_rules_set_level_and_category_of_a_mailed_case(cli: CLI, tmp_path: Path) -> None:
    policy = cli.repo / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("  rules: []", "  rules:\n    - {subject: '宕机|outage|down', level: A, category: network}"),
                      encoding="utf-8")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example",
        "commit", "-qam", "outages by mail are level A")
    outage = mail_from("Huang Tao <huang.tao@szmetro.example>", "福田站核心交换机宕机", "全站网络中断。")
    data = case(cli, feed(cli, tmp_path, outage, at="02:05")["case"])
    assert (data["level"], data["category"], data["customer"]) == ("A", "network", "sz-metro")
    printer = mail_from("Zhang Wei <zhang.wei@acme.example>", "打印机缺纸", "3楼。")
    assert case(cli, feed(cli, tmp_path, printer, at="09:05")["case"])["level"] == "C"
