"""Issue 16, acceptance 1: a night on a holiday, paged on the channels of the rota.

Saturday 2026-10-03 is in the National Day holiday (official calendar), so the
rota's holiday shifts hold: ma.qiang is the duty customer-service engineer
(08:30 Oct 2 → 08:30 Oct 3), zhou.min the supervisor on duty, liu.yang the GM.
A level-A case is reported at 02:10; level A is 7x24, ladder fault-level-1:

* 02:40 (30m) customer-service-engineer → ma.qiang on DingTalk (page 1)
* 02:50 not acknowledged (repage_after 10m) → ma.qiang again (page 2; resend 1)
* 03:00 still not → the role above: technical-support-supervisor on duty, zhou.min on WeCom (page 3)
* 03:05 zhou.min: casefile ack — re-paging stops
* 03:10 (1h) technical-support-supervisor step → zhou.min on WeCom, once
* 04:10 (2h) general-manager step → liu.yang: Feishu is quiet 22:00-07:00, so the SMS gateway
* 04:20 restored.  Checks every 5 minutes from 02:15 to 04:45.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clihelp import CLI, git, is_clean
from pagehelp import ROTA, SECRETS, Robots, channel_env, robots  # noqa: F401 - robots is a fixture
from smtphelp import Inbox, smtp  # noqa: F401 - smtp is a fixture


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def with_rota(cli: CLI, text: str = ROTA) -> None:
    (cli.repo / "rota.yaml").write_text(text, encoding="utf-8")
    git(cli.repo, "add", "rota.yaml")
    git(cli.repo, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qm",
        "Add the on-call rota")


def mail_setup(cli: CLI, port: int) -> None:
    git(cli.repo, "config", "casefile.smtp.host", "127.0.0.1")
    git(cli.repo, "config", "casefile.smtp.port", str(port))
    git(cli.repo, "config", "casefile.smtp.from", "desk@jinqiao-it.example")


def test_a_holiday_night_pages_the_duty_engineer_then_the_supervisor_and_stops_after_ack(
    cli: CLI, robots: Robots, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    with_rota(cli)
    mail_setup(cli, port)
    night = CLI(cli.repo, "wang.fang", env=channel_env(robots))
    case = night.open("Core switch down at Jinqiao metro depot", "A", now="2026-10-03T02:10:00+08:00")
    moment = datetime.fromisoformat("2026-10-03T02:15:00+08:00")
    runs: dict[str, dict] = {}
    sent_at: dict[str, int] = {}
    while moment <= datetime.fromisoformat("2026-10-03T04:45:00+08:00"):
        hhmm = moment.strftime("%H:%M")
        if hhmm == "03:05":
            done = night("ack", case, "--json", actor="zhou.min", now=moment.isoformat()).json
            assert [p["to"] for p in done["pages"]] == ["ma.qiang", "ma.qiang", "zhou.min"]
            assert [(p["acknowledged"], p["acknowledged_by"]) for p in done["pages"]] == [(True, "zhou.min")] * 3
        if hhmm == "04:20":
            night("resolve", case, "-m", "Line card replaced; gates online.", actor="ma.qiang", now=moment.isoformat())
        runs[hhmm] = night("check", "--notify", "--json", now=moment.isoformat()).json
        sent_at[hhmm] = len(robots.received)
        moment += timedelta(minutes=5)

    # Who was paged, on which channel, when: each page once.
    pages = [(r.service, r.body) for r in robots.received]
    assert [service for service, _ in pages] == ["dingtalk", "dingtalk", "wecom", "wecom", "sms"]
    assert {hhmm for hhmm in runs if sent_at[hhmm] != sent_at.get(_before(hhmm), 0)} == {
        "02:40", "02:50", "03:00", "03:10", "04:10"}
    texts = robots.texts()
    assert all(case in text for text in texts)
    assert "升级至客户服务工程师" in texts[0] and "[A]" in texts[0]
    assert "升级至客户服务工程师（第2次，未确认），应于02:40，已超10分钟" in texts[1]
    assert "升级至客户服务工程师（第3次，未确认），应于02:40，已超20分钟" in texts[2]  # to the supervisor
    assert "升级至技术支持主管" in texts[3]
    assert "升级至公司总经理" in texts[4]
    assert pages[0][1]["at"]["atMobiles"] == ["138-0755-0003"]  # ma.qiang's phone from people.yaml
    assert pages[4][1]["to"] == "liu.yang"
    assert robots.rejected == []

    # check --json says who was paged, on which channel, and whether it was acknowledged.
    first = runs["02:40"]["fired"]
    ladder = next(item for item in first if item["key"] == "ladder/customer-service-engineer")
    assert ladder["paged"] == [{
        "to": "ma.qiang", "role": "customer-service-engineer", "channel": "duty-dingtalk", "kind": "dingtalk",
        "number": 1, "not_before": "2026-10-03T02:40:00+08:00", "delivery": "sent", "error": None,
        "acknowledged": False}]
    repage = next(item for item in runs["03:00"]["fired"] if item["kind"] == "page")
    assert repage["key"] == "page/ladder/customer-service-engineer/3"
    assert repage["notified"] == []  # a re-page goes to the one person paged, not to the role's mail
    assert (repage["paged"][0]["to"], repage["paged"][0]["role"]) == ("zhou.min", "technical-support-supervisor")
    gm = next(item for item in runs["04:10"]["fired"] if item["key"] == "ladder/general-manager")
    assert gm["paged"][0]["channel"] == "sms" and gm["paged"][0]["delivery"] == "sent"
    status = {p["key"]: (p["to"], p["channel"], p["acknowledged"]) for p in runs["04:10"]["paging"][0]["pages"]}
    assert status["ladder/customer-service-engineer"] == ("ma.qiang", "duty-dingtalk", True)
    assert status["ladder/technical-support-supervisor"] == ("zhou.min", "desk-wecom", False)

    # The other holders of a role get the digest mail; the people paged do not.
    mailed = inbox.by_recipient()
    assert "liu.yang@jinqiao-it.example" not in mailed  # the GM is paged, not mailed, at 04:10
    assert "zhao.lei@jinqiao-it.example" in mailed  # holds customer-service-engineer in people.yaml, not on duty
    digest = mailed["zhao.lei@jinqiao-it.example"][0]
    assert f"paged: ma.qiang on duty-dingtalk as customer-service-engineer (acknowledge: casefile ack {case})" in digest
    # The record says it all; nothing of the channels' secrets is in it, in a commit or in the output.
    shown = night("show", case, "--json", now="2026-10-03T05:00:00+08:00").out
    history = git(cli.repo, "log", "-p", "--all")
    outputs = "".join(str(r) for r in runs.values())
    for secret in SECRETS:
        assert secret not in shown and secret not in history and secret not in outputs
    assert is_clean(cli.repo)


def _before(hhmm: str) -> str:
    moment = datetime.strptime(hhmm, "%H:%M") - timedelta(minutes=5)
    return moment.strftime("%H:%M")


def test_list_unacked_shows_the_pages_nobody_took(cli: CLI, robots: Robots, smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    with_rota(cli)
    mail_setup(cli, port)
    night = CLI(cli.repo, "wang.fang", env=channel_env(robots))
    case = night.open("Core switch down at Jinqiao metro depot", "A", now="2026-10-03T02:10:00+08:00")
    other = night.open("VPN slow for one user", "C", now="2026-10-03T02:12:00+08:00")
    night("check", "--notify", now="2026-10-03T02:40:00+08:00")
    rows = night("list", "--unacked", "--json", now="2026-10-03T02:41:00+08:00").json
    assert [row["id"] for row in rows] == [case]
    assert rows[0]["unacked"] == ["ma.qiang on duty-dingtalk as customer-service-engineer at 02:40"]
    assert other not in night("list", "--unacked", now="2026-10-03T02:41:00+08:00").out
    night("ack", case, actor="ma.qiang", now="2026-10-03T02:42:00+08:00")
    assert night("list", "--unacked", "--json", now="2026-10-03T02:43:00+08:00").json == []
    refused = night("ack", case, actor="ma.qiang", now="2026-10-03T02:44:00+08:00", expect=1)
    assert "acknowledged already by ma.qiang" in refused.err
    assert night("ack", other, actor="ma.qiang", now="2026-10-03T02:44:00+08:00", expect=1).err.startswith(
        f"casefile: {other} has not paged anyone")


def test_a_broken_rota_never_stops_the_check_everyone_is_mailed_and_it_is_reported(
    cli: CLI, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    with_rota(cli)
    mail_setup(cli, port)
    # A hand edit committed past the hook (--no-verify): a person the rota names is not in people.yaml.
    (cli.repo / "rota.yaml").write_text(ROTA.replace("on: ma.qiang", "on: ma.qiangg"), encoding="utf-8")
    git(cli.repo, "-c", "user.name=W", "-c", "user.email=w@x", "commit", "-qam", "typo", "--no-verify")
    case = cli.open("Core switch down", "A", now="2026-10-03T02:10:00+08:00")
    done = cli("check", "--notify", "--json", now="2026-10-03T02:40:00+08:00", expect=5)
    result = done.json
    assert result["broken"] == [{"path": "rota.yaml", "reason": result["broken"][0]["reason"]}]
    assert "'ma.qiangg' is not a person in people.yaml" in result["broken"][0]["reason"]
    assert {item["key"] for item in result["fired"]} >= {"ladder/customer-service-engineer"}
    assert all(item["paged"] == [] for item in result["fired"])
    assert "zhao.lei@jinqiao-it.example" in inbox.by_recipient()
    assert case in git(cli.repo, "log", "-1", "--format=%s")


def test_the_text_report_and_list_unacked_say_who_was_paged(cli: CLI) -> None:
    with_rota(cli)
    case = cli.open("Core switch down at Jinqiao metro depot", "A", now="2026-10-03T02:10:00+08:00")
    report = cli("check", now="2026-10-03T02:40:00+08:00").out
    assert ("paged (holder on duty by rota.yaml):\n"
            f"  {case}  ma.qiang on duty-dingtalk (dingtalk) as customer-service-engineer — ") in report
    assert "Ma Qiang" not in report  # paged, so not among the people mailed
    assert "Zhao Lei 赵磊 (zhao.lei)" in report  # holds the role in people.yaml; off duty: the digest mail
    listed = cli("list", "--unacked", now="2026-10-03T02:45:00+08:00").out
    assert "Waiting for an acknowledgement (casefile ack CASE):" in listed
    assert "    paged ma.qiang on duty-dingtalk as customer-service-engineer at 02:40, not acknowledged" in listed
