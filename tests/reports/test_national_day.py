"""Issue 14, acceptance 1: a level-A core-network outage at 02:10 on National Day 2026 (Thu 10-01,
the first day of the holiday), worked through the CLI as a desk works it, `check` running every 5
simulated minutes, and the October figures of `report sla`, `desk`, `engineers`, `monthly` and
`stats` checked against values worked out by hand (in the comments).

The customer, sz-metro, has a 7x24 contract (JQ-2026-031) whose emergency commitments (seed 003)
tighten level A: response 20m, on site 1h — a service rule in the policy.  `check` runs every 5
minutes through the outage night (02:10-10:00), the day of the survey and the incident report
(10-02 09:55-20:30) and the first working morning after the holiday (10-08 08:00-10:00); in between
nothing is due (every alert falls due inside those windows, and runs outside them would only
repeat "nothing new"), so they are left out to keep the test short.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from casefile.cases.description import description_of
from clihelp import CLI, git, is_clean

Action = Callable[[CLI], None]
D1, D2, D8 = "2026-10-01", "2026-10-02", "2026-10-08"
REPORT_AT = "2026-11-05T10:00:00+08:00"
RULE = """
service_rules:
  - name: metro-emergency          # seed 003: sz-metro's own emergency commitments
    customer: sz-metro
    contract: JQ-2026-031
    level: A
    targets:
      response: 20m
      onsite: 1h
"""
WINDOWS = [(f"{D1}T02:10", f"{D1}T10:00"), (f"{D2}T09:55", f"{D2}T20:30"), (f"{D8}T08:00", f"{D8}T10:00")]


def at(text: str) -> str:
    return f"{text}:00+08:00"


def work_the_day(cli: CLI) -> tuple[dict[str, str], dict[str, list[tuple[str, str, list[str]]]], dict[str, str]]:
    """Work the day; (case numbers, what each check fired by time, what each action printed)."""
    repo = cli.repo
    (repo / "policy.yaml").write_text((repo / "policy.yaml").read_text(encoding="utf-8") + RULE, encoding="utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "sz-metro's emergency commitments")
    cli("vendor", "add", "huawei", "--name", "Huawei Technologies",
        "--contact", "Huawei TAC;400-822-9999;tac@huawei.example;TAC", "--contract", "HW-SVC-2026-88",
        "--from", "2026-01-01", "--until", "2026-12-31", "--coverage", "7x24", "--commit", "response=30m",
        now="2026-09-30T10:00:00+08:00")
    case: dict[str, str] = {}
    said: dict[str, str] = {}

    def run(*args: str, actor: str = "ma.qiang") -> Action:
        def act(c: CLI) -> None:
            done = c(*[case.get(a, a) for a in args], actor=actor)
            said[f"{c.now} {args[0]}"] = done.out + done.err
        return act

    def open_main(c: CLI) -> None:
        case["MAIN"] = c.open("核心网络中断：福田站闸机离线", "A", "--customer", "sz-metro", "--category",
                              "network/core", "--caller-name", "Huang Tao", "--caller-phone", "0755-83345678",
                              "--caller-email", "huang.tao@szmetro.example", "--contract", "JQ-2026-031",
                              "--verified", "--assign", "ma.qiang", actor="wang.fang")

    def open_second(c: CLI) -> None:
        done = c("open", "福田站闸机离线（第二位来电）", "--level", "A", "--customer", "sz-metro", "--category",
                 "network/core", "--caller-name", "Li Gang", "--caller-phone", "0755-83345699",
                 "-m", "Gates at exit B are down too.", actor="wang.fang")
        case["DUP"] = done.out.strip()
        said["second"] = done.err

    visit = ("--dispatched-at", f"{D1}T02:35:00+08:00")
    actions = {
        f"{D1}T02:10": open_main,
        f"{D1}T02:18": run("respond", "MAIN", "-m", "已回电黄涛，本地工程师出发。"),
        f"{D1}T02:30": open_second,
        f"{D1}T02:33": run("close", "DUP", "--duplicate-of", "MAIN", "-m", "Same outage.", actor="wang.fang"),
        f"{D1}T02:35": run("note", "MAIN", "-k", "onsite", *visit, "-m", "出发去福田站。"),
        f"{D1}T02:50": run("escalate", "MAIN", "--to", "L3", "--reason", "Core routing: the expert group"),
        f"{D1}T03:00": run("escalate", "MAIN", "--to", "vendor", "--vendor", "huawei", "--ticket", "HW-1",
                           "--reason", "Line card fault on the core switch", actor="zhou.min"),
        f"{D1}T03:10": run("note", "MAIN", "-k", "progress", "-m", "已告知黄涛：华为已介入。"),
        f"{D1}T03:20": run("note", "MAIN", "-k", "onsite", *visit, "--arrived-at", f"{D1}T03:20:00+08:00",
                           "-m", "到达福田站机房。"),
        f"{D1}T04:10": run("note", "MAIN", "-k", "progress", "-m", "已告知黄涛：更换板卡中。"),
        f"{D1}T05:15": run("note", "MAIN", "-k", "progress", "-m", "已告知黄涛：测试中。"),
        f"{D1}T05:40": run("resolve", "MAIN", "-m", "Line card replaced; gates online."),
        f"{D1}T09:30": run("close", "MAIN", "--confirmed-by", "Huang Tao", actor="wang.fang"),
        f"{D2}T10:00": run("survey", "record", "MAIN", "--rate", "attitude=很满意", "--rate", "quality=较满意",
                           "--rate", "technical=较满意", "--rate", "speed=不满意", "--answered-by", "Zhou Ping",
                           "--opinions", "到场太慢", actor="wang.fang"),
        f"{D2}T20:00": run("incident-report", "MAIN", "--cause", "Line card failed", "--improvement",
                           "Spare card kept at Futian", "--issue", actor="zhou.min"),
        f"{D8}T09:10": run("respond", "COMPLAINT", "-m", "已致电周平致歉。", actor="sun.li"),
        f"{D8}T09:40": run("resolve", "COMPLAINT", "--verdict", "substantiated", "-m",
                           "到场超时属实；夜间备件改放福田站。", actor="sun.li"),
    }
    pending = sorted((datetime.fromisoformat(at(k)), v) for k, v in actions.items())
    fired: dict[str, list[tuple[str, str, list[str]]]] = {}
    for start, end in WINDOWS:
        moment, last = datetime.fromisoformat(at(start)), datetime.fromisoformat(at(end))
        while moment <= last:
            while pending and pending[0][0] <= moment:
                when, act = pending.pop(0)
                act(CLI(repo, cli.actor, now=when.isoformat()))
                if "COMPLAINT" not in case and "MAIN" in case:
                    found = cli("show", case["MAIN"], "--json", now=when.isoformat()).json
                    complaints = [link["to"] for link in found.get("links") or [] if link["rel"] == "complaint"]
                    if complaints:
                        case["COMPLAINT"] = complaints[0]
            result = cli("check", "--json", now=moment.isoformat()).json
            for item in result["fired"]:
                if item["record"].startswith("HNY") or item["record"] in case.values():
                    fired.setdefault(moment.strftime("%m-%d %H:%M"), []).append(
                        (item["record"], item["key"], item["notified"]))
            moment += timedelta(minutes=5)
    assert not pending
    return case, fired, said


def report(cli: CLI, kind: str) -> Any:
    return cli("report", kind, "--month", "2026-10", "--json", now=REPORT_AT).json


def test_national_day_outage_through_the_cli(cli: CLI) -> None:
    case, fired, said = work_the_day(cli)
    main, dup, complaint = case["MAIN"], case["DUP"], case["COMPLAINT"]
    assert is_clean(cli.repo) and cli("validate").out == ""

    # Intake: the second caller is warned about the open A case of the same category, and offered the link.
    assert main in said["second"] and f"casefile close {dup} --duplicate-of {main}" in said["second"]

    # What check paged, worked by hand (7x24; the rule's response 20m, on site 1h):
    #   ladder fault-level-1 from 02:10: 30m 02:40, 1h 03:10, 2h 04:10 (restored 05:40: all three).
    #   on site due 03:10 (warning at 80% = 48m: 02:58, paged by the 03:00 run); arrived 03:20: breached.
    #   response due 02:30 (warning 02:26): answered 02:18, nothing.  vendor response 30m from 03:00:
    #   due 03:30 (warning 03:24): no answer from Huawei recorded: warned at 03:25, breached at 03:30.
    #   restore 2h: due 04:10 (warning 03:46 -> 03:50 run).  progress 60m: cycle 1 02:10-03:10 (met at its
    #   deadline; its 02:58 warning fired at 03:00), cycle 2 03:10-04:10 (warning 03:58 -> 04:00), cycle 3
    #   from 04:10 due 05:10 (warning 04:58 -> 05:00, breach 05:10; the report came at 05:15), cycle 4
    #   05:15-05:40 (restored).  Incident report 48h from 05:40: due 10-03 05:40, warn 8h ahead at
    #   10-02 21:40 — issued at 20:00, so nothing.  The owner ma.qiang is warned throughout (he stayed the
    #   owner through both escalations); breaches go to him and the service desk (wang.fang).
    #   The complaint (level C, opened 10-02 10:00 during the holiday) runs on the complaint ladder's
    #   5x8: its first rung (after 0m) is paged at the first working hour after the holiday, 10-08 09:00,
    #   to the customer service manager sun.li; she answers at 09:10, inside its 1h response, and
    #   resolves it at 09:40 finding it substantiated (against the owner of the outage, ma.qiang).
    m = main
    assert fired == {
        "10-01 02:40": [(m, "ladder/customer-service-engineer", ["zhao.lei"])],
        "10-01 03:00": [(m, "warning/onsite", ["ma.qiang"]),
                        (m, "warning/progress@2026-10-01T02:10:00+08:00", ["ma.qiang"])],
        "10-01 03:10": [(m, "breach/onsite", ["ma.qiang", "wang.fang"]),
                        (m, "ladder/technical-support-supervisor", ["chen.jie"])],
        "10-01 03:25": [(m, "warning/vendor-response", ["ma.qiang"])],
        "10-01 03:30": [(m, "breach/vendor-response", ["ma.qiang", "wang.fang"])],
        "10-01 03:50": [(m, "warning/restore", ["ma.qiang"])],
        "10-01 04:00": [(m, "warning/progress@2026-10-01T03:10:00+08:00", ["ma.qiang"])],
        "10-01 04:10": [(m, "breach/restore", ["ma.qiang", "wang.fang"]), (m, "ladder/general-manager", ["liu.yang"])],
        "10-01 05:00": [(m, "warning/progress@2026-10-01T04:10:00+08:00", ["ma.qiang"])],
        "10-01 05:10": [(m, "breach/progress@2026-10-01T04:10:00+08:00", ["ma.qiang", "wang.fang"])],
        "10-08 09:00": [(complaint, "ladder/customer-service-manager", ["sun.li"])],
    }

    shown = cli("show", main, "--json", now=REPORT_AT).json
    assert shown["assignee"] == "ma.qiang" and shown["tier"] == "vendor" and shown["vendor_ticket"] == "HW-1"
    # The duplicate: closed as such, no survey; the complaint: the person who answered, a Chinese title.
    duplicate = cli("show", dup, "--json", now=REPORT_AT).json
    assert (duplicate["status"], duplicate["closed_as"]) == ("closed", "duplicate")
    assert [s["case"] for s in cli("survey", "list", "--json", now=REPORT_AT).json
            if s.get("case")] == [main]
    grievance = cli("show", complaint, "--json", now=REPORT_AT).json
    assert grievance["caller"]["name"] == "Zhou Ping" and "phone" not in grievance["caller"]
    assert grievance["title"] == "客户投诉：满意度调查 SV-{}（Shenzhen Metro Ticketing）：响应速度不满意".format(main)
    assert grievance["assignee"] == "sun.li"
    # its description is kept without words (issue 18): each reader reads it in theirs
    assert description_of(grievance, "", "zh").startswith(f"满意度调查 SV-{main}（关于 {main}）的回答：响应速度不满意。")
    assert grievance["description"].startswith(f"Survey SV-{main} about {main} was answered with: ")

    # -- report sla: level A counts the outage once --------------------------------------------
    sla = report(cli, "sla")
    rows = {(t["level"], t["target"]): t for t in sla["targets"]}

    def row(target: str) -> tuple[Any, ...]:
        t = rows[("A", target)]
        return (t["cases"], t["met"], t["breached"], t["worst_elapsed"]["text"], t["cycles"], t["late_cycles"])

    assert row("response") == (1, 1, 0, "8m", 1, 0)  # 02:10 -> 02:18, within 20m
    assert row("onsite") == (1, 0, 1, "1h10m", 1, 1)  # 02:10 -> 03:20, 1h target
    assert row("restore") == (1, 0, 1, "3h30m", 1, 1)  # 02:10 -> 05:40, 2h target
    assert row("depart") == (1, 1, 0, "25m", 1, 0)  # dispatched 02:35, 3h target
    assert row("progress") == (1, 0, 1, "1h5m", 4, 1)  # 60m, 60m, 65m (late), 25m
    assert rows[("A", "progress")]["mean_elapsed"]["seconds"] == (60 + 60 + 65 + 25) * 60 // 4
    assert row("incident-report") == (1, 1, 0, "38h20m", 1, 0)  # 10-01 05:40 -> 10-02 20:00
    # The breached list shows the late progress cycle: due 05:10, reported 05:15, 5m late.
    late = [(b["target"], b["due_at"], b["stopped_at"], b["over_by"]["text"], b["breached_cycles"])
            for b in sla["breached"] if b["case"] == main]
    assert late == [("onsite", at(f"{D1}T03:10"), at(f"{D1}T03:20"), "10m", 0),
                    ("restore", at(f"{D1}T04:10"), at(f"{D1}T05:40"), "1h30m", 0),
                    ("progress", at(f"{D1}T05:10"), at(f"{D1}T05:15"), "5m", 1)]
    assert rows[("A", "progress")]["mean_over"]["text"] == "5m"
    level_a = next(x for x in sla["levels"] if x["level"] == "A")
    assert (level_a["met"], level_a["breached"], level_a["compliance"]["share"]) == (3, 3, 0.5)  # not 60 %
    assert [c["case"] for c in sla["cases"]] == [main, complaint]
    assert sla["counted_with"] == [{"case": dup, "title": "福田站闸机离线（第二位来电）", "rel": "duplicate-of",
                                    "counted_with": main}]
    # The complaint: response 10-08 09:00 (the first working minute) -> 09:10, reply -> 09:40: both met.
    assert (rows[("C", "response")]["met"], rows[("C", "response")]["worst_elapsed"]["text"]) == (1, "10m")
    assert (rows[("C", "reply")]["met"], rows[("C", "reply")]["worst_elapsed"]["text"]) == (1, "40m")
    assert grievance["verdict"] == {"finding": "substantiated", "engineer": "ma.qiang"}

    # -- report desk: the duplicate is in no KPI ---------------------------------------------------
    desk = report(cli, "desk")
    assert desk["received"] == 2  # the outage and the complaint
    assert (desk["answered_in_time"]["part"], desk["answered_in_time"]["whole"]) == (2, 2)
    # Surveys issued in October: the outage's (answered) and acme-sz's scheduled 2026-Q4 survey, which
    # the first check issued (unanswered); none for the duplicate.  Four answers, all from the outage's.
    surveys = cli("survey", "list", "--json", now=REPORT_AT).json
    assert sorted(s["id"] for s in surveys) == sorted([f"SV-{main}", "SV-acme-sz-2026-Q4"])
    assert (desk["survey_response"]["part"], desk["survey_response"]["whole"]) == (1, 2)
    assert desk["satisfaction"]["count"] == 4

    # -- report engineers: ma.qiang carries the outage; the managers are not scored --------------
    cards = {c["engineer"]: c for c in report(cli, "engineers")["cards"]}
    assert sorted(cards) == ["ma.qiang"]
    scores = {s["key"]: s["score"] for s in cards["ma.qiang"]["scores"]}
    # response 1/1; solve 0/1 (restore breached); quality 1/1; attitude 很满意 10; satisfaction
    # (1 + 2/3 + 2/3 + 0)/4 = 0.583 -> 5.8; the substantiated complaint against him: 10 - 5 = 5.0.
    assert scores == {"attitude": 10.0, "response": 10.0, "quality": 10.0, "solve": 0.0, "satisfaction": 5.8,
                      "complaints": 5.0}

    # -- report monthly and stats: counted once, the owner named -----------------------------------
    monthly = report(cli, "monthly")
    assert (monthly["totals"]["received"], monthly["totals"]["by_level"]) == (2, {"A": 1, "C": 1})
    assert (monthly["totals"]["resolved"], monthly["totals"]["open"]) == (2, 0)
    lines = {c["id"]: c for g in monthly["groups"] for c in g["cases"]}
    assert sorted(lines) == [main, complaint] and lines[main]["assignee"] == "ma.qiang"
    assert lines[main]["resolution"] == "Line card replaced; gates online."
    assert lines[main]["affected_callers"] == [dup]  # the outage once, with the second caller's case
    assert lines[complaint]["resolution"] == "到场超时属实；夜间备件改放福田站。"
    assert monthly["counted_with"] == sla["counted_with"]
    stats = report(cli, "stats")
    assert (stats["trend"]["received"], stats["resolved"], stats["open"]) == (2, 2, 0)
    by_level = {r["key"]: r["count"] for b in stats["breakdowns"] if b["dimension"] == "level" for r in b["rows"]}
    assert by_level == {"A": 1, "C": 1}
    by_engineer = {r["key"]: r["count"] for b in stats["breakdowns"] if b["dimension"] == "engineer"
                   for r in b["rows"]}
    assert by_engineer == {"ma.qiang": 1, "sun.li": 1}  # the outage's owner through both escalations
    # Every format gives the same figures: the Markdown bulletin names the owner and lists the duplicate apart.
    text = cli("report", "monthly", "--month", "2026-10", "--lang", "en", now=REPORT_AT).out
    assert "ma.qiang" in text or "Ma Qiang" in text
    assert f"Also reported as: {dup}" in text
    zh = cli("report", "monthly", "--month", "2026-10", "--lang", "zh", now=REPORT_AT).out
    assert "尚未解决" not in zh  # both are resolved, and the bulletin says so on every line
    assert f"{dup} 福田站闸机离线（第二位来电）: duplicate of {main}" in text
