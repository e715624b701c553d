"""Issue 16, acceptance 2: the rota — handover at 08:30, holiday override, swap, a gap found a week ahead.

The rota is `pagehelp.ROTA` (the demo team).  Days by the official calendar
(chinese-calendar): 2026-10-01..07 National Day holiday (Sat 10-03 among them),
Sat 2026-10-10 a make-up working day, Mon 2026-11-23 an ordinary Monday.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from casefile.policy.model import parse_policy
from casefile.policy.rota import parse_rota
from clihelp import CLI, commit_count, git, is_clean
from pagehelp import ROTA

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEAM = ("wang.fang", "li.na", "ma.qiang", "zhao.lei", "zhou.min", "chen.jie", "liu.yang")
CSE = "customer-service-engineer"


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def rota_of(text: str = ROTA, root: Path | None = None):  # type: ignore[no-untyped-def]
    policy_text = (Path(__file__).parents[2] / "templates" / "init" / "policy.yaml").read_text(encoding="utf-8")
    policy = parse_policy(policy_text)
    return parse_rota(text, SHANGHAI, policy.calendars, policy.roles, TEAM)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def commit(cli: CLI, message: str = "rota") -> subprocess.CompletedProcess[str]:
    git(cli.repo, "add", "-A")
    return subprocess.run(["git", "-C", str(cli.repo), "-c", "user.name=Wang Fang", "-c",
                           "user.email=wang.fang@jinqiao-it.example", "commit", "-qm", message],
                          capture_output=True, text=True)


def with_rota(cli: CLI, text: str = ROTA) -> None:
    (cli.repo / "rota.yaml").write_text(text, encoding="utf-8")
    assert commit(cli, "Add the on-call rota").returncode == 0


# -- the pure rota ----------------------------------------------------------------


def test_the_handover_at_0830_moves_the_duty_to_the_day_shift_and_back_at_2030() -> None:
    rota = rota_of()
    # Mon 2026-11-23: the weekend shift (Sun 08:30 → Mon 08:30) is zhao.lei's; li.na from 08:30; zhao.lei at 20:30.
    assert rota.on_duty(CSE, at("2026-11-23T08:29:59")) == ("zhao.lei",)
    assert rota.on_duty(CSE, at("2026-11-23T08:30:00")) == ("li.na",)
    assert rota.on_duty(CSE, at("2026-11-23T20:29:59")) == ("li.na",)
    assert rota.on_duty(CSE, at("2026-11-23T20:30:00")) == ("zhao.lei",)
    assert rota.on_duty(CSE, at("2026-11-24T02:10:00")) == ("zhao.lei",)  # Monday's night shift runs past midnight


def test_holiday_shifts_replace_the_week_on_the_official_days_off() -> None:
    rota = rota_of()
    # Sat 2026-10-03 02:10 is in the shift that began Fri 10-02 08:30 — a National Day holiday: ma.qiang.
    assert rota.on_duty(CSE, at("2026-10-03T02:10:00")) == ("ma.qiang",)
    assert rota.on_duty("technical-support-supervisor", at("2026-10-03T02:10:00")) == ("zhou.min",)
    duty = rota.duties(CSE, at("2026-10-03T02:10:00"), at("2026-10-03T02:11:00"))[0]
    assert duty.holiday == "国庆节"
    # Fri 10-09 is a working day again, Sat 10-10 a make-up working day: the week's pattern (Saturday: zhao.lei).
    assert rota.on_duty(CSE, at("2026-10-09T10:00:00")) == ("li.na",)
    assert rota.on_duty(CSE, at("2026-10-10T10:00:00")) == ("zhao.lei",)
    # An ordinary Saturday keeps the week: only the official holidays are overridden.
    assert rota.on_duty(CSE, at("2026-10-17T02:10:00")) == ("zhao.lei",)


def test_the_paging_line_goes_to_the_role_above() -> None:
    rota = rota_of()
    assert rota.line(CSE, at("2026-10-03T03:00:00")) == (
        ("ma.qiang", CSE), ("zhou.min", "technical-support-supervisor"), ("liu.yang", "general-manager"))


def test_quiet_hours_choose_the_next_channel_and_a_page_waits_when_all_are_quiet() -> None:
    rota = rota_of()
    channel, when, rest = rota.choose("liu.yang", at("2026-10-03T04:10:00"))
    assert (channel.name, when, [c.name for c in rest]) == ("sms", at("2026-10-03T04:10:00"), [])
    channel, when, rest = rota.choose("liu.yang", at("2026-10-03T09:00:00"))
    assert (channel.name, [c.name for c in rest]) == ("gm-feishu", ["sms"])
    quiet = rota_of(ROTA.replace("sms: {type: webhook}", 'sms: {type: webhook, quiet: ["23:00-06:30"]}'))
    channel, when, _rest = quiet.choose("liu.yang", at("2026-10-03T04:10:00"))
    assert (channel.name, when) == ("sms", at("2026-10-03T06:30:00"))  # the earliest end of a quiet window


def test_gaps_and_overlaps_are_found() -> None:
    # No Friday night shift, and a Wednesday day shift that runs into the night shift by an hour.
    text = ROTA.replace('{days: [mon, tue, wed, thu, fri], from: "20:30"', '{days: [mon, tue, wed, thu], from: "20:30"')
    text = text.replace(
        '      - {days: [sat, sun], from: "08:30", to: "08:30", on: zhao.lei}\n',
        '      - {days: [sat, sun], from: "08:30", to: "08:30", on: zhao.lei}\n'
        '      - {days: [wed], from: "20:00", to: "21:30", on: ma.qiang}\n')
    problems = rota_of(text).problems(at("2026-11-23T09:00:00"), at("2026-11-30T09:00:00"), [CSE])
    assert [(p.kind, p.start, p.end, p.who) for p in problems] == [
        ("overlap", at("2026-11-25T20:00:00"), at("2026-11-25T20:30:00"), ("li.na", "ma.qiang")),
        ("overlap", at("2026-11-25T20:30:00"), at("2026-11-25T21:30:00"), ("ma.qiang", "zhao.lei")),
        ("gap", at("2026-11-27T20:30:00"), at("2026-11-28T08:30:00"), ()),
    ]


@pytest.mark.parametrize(("change", "message"), [
    (("on: li.na}", "on: nobody.here}"), "'nobody.here' is not a person in people.yaml"),
    (("desk-wecom: {type: wecom}", "desk-wecom: {type: wecom, url: 'https://qyapi.weixin.qq.com/x'}"),
     "secrets and webhook addresses are never committed"),
    (("{type: wecom}", "{type: pigeon}"), "'pigeon' is not one of dingtalk, wecom, feishu, webhook, email"),
    (('from: "08:30", to: "20:30"', 'from: "8.30", to: "20:30"'), "is not a time of day like 08:30"),
    (("above: general-manager", "above: chief-of-everything"), "'chief-of-everything' is not a role"),
    (("zhao.lei: [duty-dingtalk, sms]", "zhao.lei: [duty-dingtalk, pager]"), "channel 'pager' is not under channels"),
    (("repage_after: 10m", "repage_after: soon"), "paging.repage_after"),
])
def test_a_broken_rota_is_refused_by_validate_and_the_pre_commit_hook(
    cli: CLI, change: tuple[str, str], message: str
) -> None:
    with_rota(cli)
    (cli.repo / "rota.yaml").write_text(ROTA.replace(*change), encoding="utf-8")
    found = cli("validate", "--json", expect=5).json
    assert [f["path"] for f in found] == ["rota.yaml"] and message in found[0]["message"]
    done = commit(cli)
    assert done.returncode != 0 and message in done.stderr
    assert "qyapi.weixin.qq.com" not in found[0]["message"] + done.stderr  # a pasted address is not echoed


def test_removing_a_person_the_rota_names_is_refused_by_the_hook(cli: CLI) -> None:
    with_rota(cli)
    people = cli.repo / "people.yaml"
    text = people.read_text(encoding="utf-8")
    start = text.index("  ma.qiang:")
    end = text.index("  zhao.lei:")
    people.write_text(text[:start] + text[end:], encoding="utf-8")
    done = commit(cli)
    assert done.returncode != 0 and "'ma.qiang' is not a person in people.yaml" in done.stderr


# -- the command line ----------------------------------------------------------------


def test_rota_show_at_a_time_and_for_a_role(cli: CLI) -> None:
    with_rota(cli)
    shown = cli("rota", "show", "--at", "2026-10-03T02:10", "--role", CSE, "--json").json
    assert shown["on_duty"] == [{"role": CSE, "from": "2026-10-02T08:30:00+08:00", "to": "2026-10-03T08:30:00+08:00",
                                 "on": ["ma.qiang"], "holiday": "国庆节", "swapped": []}]
    text = cli("rota", "show", now="2026-11-23T08:00:00+08:00").out
    assert "customer-service-engineer" in text and "zhao.lei" in text and "Next handovers:" in text
    assert cli("rota", "show", "--role", "dj", expect=3).err.startswith("casefile: rota.yaml has no rota for the role")


def test_rota_swap_is_one_commit_and_keeps_the_file_as_written(cli: CLI) -> None:
    with_rota(cli)
    before = commit_count(cli.repo)
    out = cli("rota", "swap", CSE, "--from", "li.na", "--to", "ma.qiang", "--on", "2026-11-23",
              now="2026-11-20T10:00:00+08:00").out
    assert out.strip() == f"{CSE} on 2026-11-23: ma.qiang instead of li.na"
    assert commit_count(cli.repo) == before + 1 and is_clean(cli.repo)
    subject = git(cli.repo, "log", "-1", "--format=%s%n%b%an")
    assert subject.startswith(f"rota: {CSE} on 2026-11-23: ma.qiang instead of li.na\n")
    assert "Casefile-Action: rota-swap" in subject and "Wang Fang" in subject
    text = (cli.repo / "rota.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Who is on duty.")  # comments kept
    assert "- date: '2026-11-23'" in text or "- date: 2026-11-23" in text
    shown = cli("rota", "show", "--at", "2026-11-23T10:00", "--role", CSE, "--json").json
    assert shown["on_duty"][0]["on"] == ["ma.qiang"]
    assert shown["on_duty"][0]["swapped"] == [{"date": "2026-11-23", "from": "li.na", "to": "ma.qiang"}]
    # The night shift of that Monday is zhao.lei's still; the next Monday is li.na's again.
    assert cli("rota", "show", "--at", "2026-11-23T21:00", "--role", CSE, "--json").json["on_duty"][0]["on"] == [
        "zhao.lei"]
    assert cli("rota", "show", "--at", "2026-11-30T10:00", "--role", CSE, "--json").json["on_duty"][0]["on"] == [
        "li.na"]


@pytest.mark.parametrize(("args", "code", "words"), [
    (("--from", "li.na", "--to", "ma.qiang", "--on", "2026-11-28"), 1, "li.na has no shift as"),  # a Saturday
    (("--from", "li.na", "--to", "nobody", "--on", "2026-11-23"), 3, "no person 'nobody'"),
    (("--from", "li.na", "--to", "ma.qiang", "--on", "23 Nov"), 2, "is not a date"),
    (("--from", "li.na", "--to", "li.na", "--on", "2026-11-23"), 1, "the same person"),
])
def test_a_swap_that_cannot_be_made_leaves_no_trace(cli: CLI, args: tuple[str, ...], code: int, words: str) -> None:
    with_rota(cli)
    before = commit_count(cli.repo)
    done = cli("rota", "swap", CSE, *args, expect=code)
    assert words in done.err and "Traceback" not in done.err
    assert commit_count(cli.repo) == before and is_clean(cli.repo)


def test_a_swap_refuses_a_rota_with_uncommitted_edits(cli: CLI) -> None:
    with_rota(cli)
    (cli.repo / "rota.yaml").write_text(ROTA + "# a note\n", encoding="utf-8")
    done = cli("rota", "swap", CSE, "--from", "li.na", "--to", "ma.qiang", "--on", "2026-11-23", expect=1)
    assert "rota.yaml has changes that are not committed" in done.err


def test_a_gap_a_week_ahead_is_found_by_rota_check_and_reported_once_by_check(cli: CLI) -> None:
    text = ROTA.replace('{days: [mon, tue, wed, thu, fri], from: "20:30"', '{days: [mon, tue, wed, thu], from: "20:30"')
    with_rota(cli, text)
    # Monday 2026-11-23 09:00: Friday night 11-27 20:30 → Sat 08:30 has nobody; within the week ahead.
    found = cli("rota", "check", "--weeks", "1", "--json", now="2026-11-23T09:00:00+08:00", expect=5).json
    assert found == [{"role": CSE, "kind": "gap", "from": "2026-11-27T20:30:00+08:00",
                      "to": "2026-11-28T08:30:00+08:00", "who": []}]
    first = cli("check", now="2026-11-23T09:00:00+08:00").out
    assert "customer-service-engineer: nobody on duty Fri 2026-11-27 20:30 → Sat 2026-11-28 08:30" in first
    again = cli("check", "--json", now="2026-11-23T09:05:00+08:00").json
    assert [(r["kind"], r["from"], r["new"]) for r in again["rota"]] == [("gap", "2026-11-27T20:30:00+08:00", False)]
    assert cli("check", now="2026-11-23T09:10:00+08:00").out == ""  # said once; cron mails nothing more
    # rota check looks as far as asked: two weeks find next Friday's gap too.
    two = cli("rota", "check", "--weeks", "2", "--json", now="2026-11-23T09:00:00+08:00", expect=5).json
    assert [g["from"] for g in two] == ["2026-11-27T20:30:00+08:00", "2026-12-04T20:30:00+08:00"]


def test_a_year_without_official_days_is_said_not_guessed_and_check_goes_on(cli: CLI) -> None:
    # chinese-calendar knows 2004-2026; a week ahead of 2026-12-28 reaches into 2027.
    with_rota(cli)
    found = cli("rota", "check", "--weeks", "1", "--json", now="2026-12-28T09:00:00+08:00", expect=5).json
    assert [(p["role"], p["kind"], p["from"]) for p in found] == [("*", "holidays-unknown", "2027-01-01T00:00:00+08:00")]
    assert "no official working days for 2027" in found[0]["who"][0]
    out = cli("check", now="2026-12-28T09:00:00+08:00").out
    assert "holiday shifts from Fri 2027-01-01 00:00 cannot be placed, the week's shifts hold" in out
    assert cli("rota", "show", "--at", "2027-01-01T10:00", "--role", CSE, "--json").json["on_duty"][0]["on"] == [
        "li.na"]
