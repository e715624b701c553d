"""Issue 14, acceptance 1: a level-A core-network outage at 02:10 on National Day 2026,
worked through the CLI as a desk works it, `check` running every 5 simulated minutes,
and the October figures of every report checked against values worked out by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clihelp import CLI, git, is_clean

Action = Callable[[CLI], None]
DAY1, DAY2 = "2026-10-01", "2026-10-02"

RULE = """
service_rules:
  - name: metro-emergency          # seed 003: the customer's own emergency commitments
    customer: sz-metro
    contract: JQ-2026-031
    level: A
    targets:
      response: 20m
      onsite: 1h
"""


def at(text: str) -> str:
    return f"{text}:00+08:00"


def test_prototype(cli: CLI) -> None:
    repo = cli.repo
    (repo / "policy.yaml").write_text((repo / "policy.yaml").read_text(encoding="utf-8") + RULE, encoding="utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qam", "sz-metro's emergency commitments")
    cli("vendor", "add", "huawei", "--name", "Huawei Technologies",
        "--contact", "Huawei TAC;400-822-9999;tac@huawei.example;TAC", "--contract", "HW-SVC-2026-88",
        "--from", "2026-01-01", "--until", "2026-12-31", "--coverage", "7x24", "--commit", "response=30m",
        now="2026-09-30T10:00:00+08:00")
    case: dict[str, str] = {}

    def run(*args: str, actor: str = "ma.qiang") -> Action:
        def act(c: CLI) -> None:
            out = c(*[case.get(a, a) for a in args], actor=actor)
            print(c.now, args[:2], out.out[:300], out.err[:300])
        return act

    def open_main(c: CLI) -> None:
        case["MAIN"] = c.open("核心网络中断：福田站闸机离线", "A", "--customer", "sz-metro", "--category", "network/core",
                              "--caller-name", "Huang Tao", "--caller-phone", "0755-83345678",
                              "--caller-email", "huang.tao@szmetro.example", "--contract", "JQ-2026-031",
                              "--verified", "--assign", "ma.qiang", actor="wang.fang")

    def open_second(c: CLI) -> None:
        done = c("open", "福田站闸机离线（第二位来电）", "--level", "A", "--customer", "sz-metro", "--category",
                 "network/core", "--caller-name", "Li Gang", "--caller-phone", "0755-83345699", "-m", "Gates down.",
                 actor="wang.fang")
        print("SECOND", done.out, done.err)
        case["DUP"] = done.out.strip().splitlines()[0]

    actions = {
        f"{DAY1}T02:10": open_main,
        f"{DAY1}T02:18": run("respond", "MAIN", "-m", "已回电，正在派人。"),
        f"{DAY1}T02:30": open_second,
        f"{DAY1}T02:33": run("close", "DUP", "--duplicate-of", "MAIN", "-m", "Same outage.", actor="wang.fang"),
        f"{DAY1}T02:35": run("note", "MAIN", "-k", "onsite", "--dispatched-at", f"{DAY1}T02:35:00+08:00", "-m", "出发。"),
        f"{DAY1}T02:50": run("escalate", "MAIN", "--to", "L3", "--reason", "Core routing, needs the expert group"),
        f"{DAY1}T03:00": run("escalate", "MAIN", "--to", "vendor", "--vendor", "huawei", "--ticket", "HW-1",
                             "--reason", "Line card fault", actor="zhou.min"),
        f"{DAY1}T03:10": run("note", "MAIN", "-k", "progress", "-m", "Vendor engaged."),
        f"{DAY1}T03:20": run("note", "MAIN", "-k", "onsite", "--dispatched-at", f"{DAY1}T02:35:00+08:00",
                             "--arrived-at", f"{DAY1}T03:20:00+08:00", "-m", "On site."),
        f"{DAY1}T04:10": run("note", "MAIN", "-k", "progress", "-m", "Card swap."),
        f"{DAY1}T05:15": run("note", "MAIN", "-k", "progress", "-m", "Testing."),
        f"{DAY1}T05:40": run("resolve", "MAIN", "-m", "Line card replaced; gates online."),
        f"{DAY1}T09:30": run("close", "MAIN", "--confirmed-by", "Huang Tao", actor="wang.fang"),
        f"{DAY2}T10:00": run("survey", "record", "MAIN", "--rate", "attitude=很满意", "--rate", "quality=较满意",
                             "--rate", "technical=较满意", "--rate", "speed=不满意", "--answered-by", "Zhou Ping",
                             "--opinions", "到场太慢", actor="wang.fang"),
        f"{DAY2}T20:00": run("incident-report", "MAIN", "--cause", "Line card failed", "--improvement", "Spare card",
                             "--issue", actor="zhou.min"),
    }
    windows = [(f"{DAY1}T02:10", f"{DAY1}T10:00"), (f"{DAY2}T09:55", f"{DAY2}T20:30"),
               ("2026-10-08T08:00", "2026-10-08T10:00")]
    pending = sorted((datetime.fromisoformat(at(k)), v) for k, v in actions.items())
    fired = {}
    import time
    t0 = time.time()
    n = 0
    for start, end in windows:
        moment, last = datetime.fromisoformat(at(start)), datetime.fromisoformat(at(end))
        while moment <= last:
            while pending and pending[0][0] <= moment:
                when, act = pending.pop(0)
                act(CLI(repo, cli.actor, now=when.isoformat()))
            result = cli("check", "--json", now=moment.isoformat()).json
            n += 1
            for f in result["fired"]:
                fired.setdefault(moment.strftime("%m-%d %H:%M"), []).append((f["record"], f["key"], f["notified"]))
            moment += timedelta(minutes=5)
    print("checks", n, time.time() - t0)
    for k, v in fired.items():
        print(k, v)
    for kind in ("sla", "desk", "engineers", "monthly", "stats"):
        print(kind, cli("report", kind, "--month", "2026-10", "--json", now="2026-11-05T10:00:00+08:00").out[:6000])
    print(cli("show", case["MAIN"], now="2026-11-05T10:00:00+08:00").out)
    assert False
