"""Issue 5, acceptance 1: every report kind, in Markdown and JSON (HTML for monthly and sla), on the
fixed scenario (tests/reportscenario.py), against golden files whose numbers are worked out by hand below.

Each test first asserts the figures of its report from the JSON, with the working in comments, then
compares the whole rendering with its golden file.  `UPDATE_GOLDEN=1 pytest tests/test_report_golden.py`
rewrites the golden files after a deliberate change (read the diff!).

Normalised answers (surveyscale): 很满意/very-satisfied 1, 较满意/satisfied 2/3, 一般/neutral 1/3,
不满意/dissatisfied 0.  Calendars: 7x24 counts every minute; 5x24 whole working days (November 2026
has no holidays; Saturdays and Sundays are off); 5x8 is 09:00-12:00 and 13:00-18:00 on working days.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from clihelp import CLI, GOLDEN_DIR
from reportscenario import REPORT_NOW, isolated_build

GOLDEN = GOLDEN_DIR / "reports"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return isolated_build(tmp_path_factory)


@pytest.fixture
def report(scenario: Path) -> Any:
    cli = CLI(scenario, actor="wang.fang", now=REPORT_NOW)

    def run(kind: str, fmt: str, lang: str = "en", *extra: str) -> str:
        return cli("report", kind, "--month", "2026-11", "--format", fmt, "--lang", lang, *extra).out

    return run


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 and read it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def data(report: Any, kind: str) -> Any:
    return json.loads(report(kind, "json"))


def by(items: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    found = [i for i in items if all(i.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_monthly(report: Any) -> None:
    r = data(report, "monthly")
    # Received in November: KMT-00003..00010 (8); KMT-00001/2 are October's, KMT-00011 December's.
    # Now (12-07 10:00): 00009 open; 00007 and 00010 resolved; the other five closed.
    assert (r["totals"]["received"], r["totals"]["resolved"], r["totals"]["closed"], r["totals"]["open"]) == (
        8, 7, 5, 1)
    assert r["totals"]["by_type"] == {"incident": 5, "request": 1, "consultation": 1, "complaint": 1}
    assert r["totals"]["by_level"] == {"A": 1, "B": 1, "C": 4, "D": 2}
    # The 5th of December 2026 is a Saturday: due on Monday the 7th (seed 001, 节假日顺延).
    assert (r["due_day"], r["due_on"], r["issued"]) == (5, "2026-12-07", None)
    # Grouped by customer: ACME 00004-00008 (all five resolved), Shenzhen Metro 00003, 00009, 00010.
    assert [(g["customer"], g["name"], [c["id"] for c in g["cases"]], g["totals"]["resolved"])
            for g in r["groups"]] == [
        ("acme-sz", "ACME Shenzhen", ["KMT-00004", "KMT-00005", "KMT-00006", "KMT-00007", "KMT-00008"], 5),
        ("sz-metro", "Shenzhen Metro Ticketing", ["KMT-00003", "KMT-00009", "KMT-00010"], 2),
    ]
    # Volume per day: one case on each of 11-02, 03, 04, 05, 06, 09, 10 and 30.
    assert [d["day"][8:] for d in r["per_day"] if d["count"]] == ["02", "03", "04", "05", "06", "09", "10", "30"]
    printer = by(r["groups"][0]["cases"], id="KMT-00005")
    # Handling leaves out the opening and check's alerts: assign, respond, pend, resume, resolve, close.
    assert [s["kind"] for s in printer["handling"]] == ["assigned", "responded", "paused", "resumed",
                                                       "resolved", "closed"]
    golden("monthly.json", report("monthly", "json"))
    golden("monthly.en.md", report("monthly", "md"))
    golden("monthly.zh.md", report("monthly", "md", "zh"))
    golden("monthly.zh.html", report("monthly", "html", "zh"))


def test_stats(report: Any) -> None:
    r = data(report, "stats")
    # 8 received against October's 2: +6, +300.0%.
    assert r["trend"] == {"received": 8, "previous": 2, "change": 6, "change_percent": 300.0}
    counts = {b["dimension"]: {row["key"]: (row["count"], row["previous"]) for row in b["rows"]}
              for b in r["breakdowns"]}
    # Types: incidents 00003/4/5/9/10 against October's 00001; requests 00007 against 00002.
    assert counts["type"] == {"incident": (5, 1), "request": (1, 1), "consultation": (1, 0), "complaint": (1, 0)}
    assert counts["level"] == {"A": (1, 0), "B": (1, 0), "C": (4, 1), "D": (2, 1)}
    # Channels: phone 00003/5/8/10, online 00004, e-mail 00006, QQ 00007, web 00009 (October: phone, web).
    assert counts["channel"] == {"phone": (4, 1), "web": (1, 1), "email": (1, 0), "online": (1, 0), "qq": (1, 0)}
    assert counts["customer"] == {"acme-sz": (5, 1), "sz-metro": (3, 1)}
    # Assignees: ma.qiang 00003/9/10, li.na 00005/7, zhao.lei 00004, sun.li 00008; 00006 never assigned.
    assert counts["engineer"] == {"ma.qiang": (3, 0), "li.na": (2, 1), "sun.li": (1, 0), "zhao.lei": (1, 0),
                                  "—": (1, 1)}
    assert counts["category"]["hardware/scanner"] == (0, 1)
    # Major cases: the A (00003) and the B (00004), each with its whole activity log: 00003 opened
    # (assigned at once), responded, on site, progress, resolved, report, closed = 8; 00004 opened,
    # assigned, responded, progress, resolved, report, closed = 7.
    assert [(m["id"], m["level"], len(m["timeline"])) for m in r["major"]] == [("KMT-00003", "A", 8),
                                                                                  ("KMT-00004", "B", 7)]
    golden("stats.json", report("stats", "json"))
    golden("stats.en.md", report("stats", "md"))


def test_sla(report: Any) -> None:
    r = data(report, "sla")
    rows = {(t["level"], t["target"]): t for t in r["targets"]}

    def figures(level: str, target: str) -> tuple[Any, ...]:
        t = rows[(level, target)]
        return (t["met"], t["breached"], t["running"], (t["mean_elapsed"] or {}).get("seconds"),
                (t["worst_elapsed"] or {}).get("seconds"), (t["mean_over"] or {}).get("seconds"))

    m, h = 60, 3600
    # A, KMT-00003 from 02:00 (7x24): answered 02:20; on site 02:50 against 02:30 (20m over); restored
    # 03:40 (1h40m); departed 02:25; progress at 03:00 (cycle 1 met exactly at its deadline), cycle 2
    # from 03:00 stopped by the restore at 03:40 (40m); incident report 11-03 10:00, 30h20m after 03:40.
    assert figures("A", "response") == (1, 0, 0, 20 * m, 20 * m, None)
    assert figures("A", "onsite") == (0, 1, 0, 50 * m, 50 * m, 20 * m)
    assert figures("A", "restore") == (1, 0, 0, 100 * m, 100 * m, None)
    assert figures("A", "depart") == (1, 0, 0, 25 * m, 25 * m, None)
    # Issue 14: a restarting clock is reported over every cycle (60m and 40m), not its last one.
    assert figures("A", "progress") == (1, 0, 0, 50 * m, 60 * m, None)
    assert (rows[("A", "progress")]["cycles"], rows[("A", "progress")]["late_cycles"]) == (2, 0)
    assert figures("A", "incident-report") == (1, 0, 0, 30 * h + 20 * m, 30 * h + 20 * m, None)
    # B, KMT-00004 from 11-03 10:00: nobody on site, so the on-site clock stops at the restore 11:45
    # (1h45m, 1h15m over); the incident report came 11-06 09:45, 70h after the restore (22h over 48h).
    # No visit: `depart` does not apply and has no row.
    assert figures("B", "onsite") == (0, 1, 0, 105 * m, 105 * m, 75 * m)
    assert figures("B", "progress") == (1, 0, 0, 52 * m + 30, 55 * m, None)  # cycles 50m (to 10:50) and 55m
    assert figures("B", "incident-report") == (0, 1, 0, 70 * h, 70 * h, 22 * h)
    assert ("B", "depart") not in rows
    # C response: 00005 40m, 00008 30m, 00010 30m met; 00007 opened Fri 17:00, answered Mon 09:10 =
    # 7h (Friday to midnight) + 9h10m = 16h10m, 15h10m over.  Mean (40+970+30+30)/4 = 267.5m.
    assert figures("C", "response") == (3, 1, 0, 267 * m + 30, 970 * m, 910 * m)
    # C reply (6h): 00005 4h (09:00-14:00 less the hour waiting for the password); 00007 7h + 9h30m to
    # the first resolve, reopened 11:00, resolved 11:30: 17h (11h over); 00008 from Mon 10:30 to Tue
    # 10:00 — a complaint, so on the complaint ladder's 5x8 (issue 14): 10:30-12:00, 13:00-18:00, 09:00-10:00
    # = 7h30m (1h30m over); 00010 from Mon 23:00 to Tue 08:00 = 9h (3h over).
    # Mean (4+17+7.5+9)/4 = 9h22m30s; mean over (11+1.5+3)/3 = 5h10m.
    assert figures("C", "reply") == (1, 3, 0, 9 * h + 22 * m + 30, 17 * h, 5 * h + 10 * m)
    # D reply (24h): 00006 resolved after 15m; 00009 is sz-metro's, whose contract buys 7x24 coverage, so
    # (issue 14: the customer's coverage is read) it runs on 7x24 from Tue 11-10 14:00, due 11-11 14:00,
    # and still runs: by Mon 12-07 10:00 it has 26 days 20h = 644h, 620h over.  Mean (15m + 644h)/2.
    assert figures("D", "reply") == (1, 1, 0, 322 * h + 7 * m + 30, 644 * h, 620 * h)
    # Per level: A 5 met 1 breached; B 3/2; C 4/4; D 3/1; all 15 met of 23 decided = 65.2%.
    assert [(x["level"], x["met"], x["breached"], x["compliance"]["share"]) for x in r["levels"]] == [
        ("A", 5, 1, 0.8333), ("B", 3, 2, 0.6), ("C", 4, 4, 0.5), ("D", 3, 1, 0.75)]
    assert (r["overall"]["met"], r["overall"]["breached"], r["overall"]["compliance"]["share"]) == (15, 8, 0.6522)
    breached = [(b["case"], b["target"], b["stopped_at"] is None, b["over_by"]["text"]) for b in r["breached"]]
    assert breached == [
        ("KMT-00003", "onsite", False, "20m"), ("KMT-00004", "onsite", False, "1h15m"),
        ("KMT-00004", "incident-report", False, "22h"), ("KMT-00007", "response", False, "15h10m"),
        ("KMT-00007", "reply", False, "11h"), ("KMT-00008", "reply", False, "1h30m"),
        ("KMT-00009", "reply", True, "620h"), ("KMT-00010", "reply", False, "3h"),
    ]
    golden("sla.json", report("sla", "json"))
    golden("sla.en.md", report("sla", "md"))
    golden("sla.en.html", report("sla", "html"))


def test_engineers(report: Any) -> None:
    r = data(report, "engineers")
    cards = {c["engineer"]: {s["key"]: s["score"] for s in c["scores"]} for c in r["cards"]}
    # li.na: answered 00005 (met) and 00007 (breached): 5.0.  Resolved 00005 (reply met) and 00007
    # (reply breached): solve 5.0.  Resolutions 00005, 00007, 00007 again; the first of 00007 was undone
    # by the reopen: quality 2/3 = 6.7.  Surveys of her cases: SV-KMT-00005 (very, satisfied, very,
    # satisfied): attitude 10.0, satisfaction (1 + 2/3 + 1 + 2/3)/4 = 0.833 -> 8.3.
    assert cards["li.na"] == {"attitude": 10.0, "response": 5.0, "quality": 6.7, "solve": 5.0,
                              "satisfaction": 8.3, "complaints": 10.0}
    # ma.qiang: answered 00003, 00009, 00010 in time: 10.0.  Resolved 00003 (restore met) and 00010
    # (reply 3h over): solve 5.0.  SV-KMT-00003 (satisfied, very, very, neutral): attitude 2/3 -> 6.7,
    # satisfaction (2/3 + 1 + 1 + 1/3)/4 = 0.75 -> 7.5.
    assert cards["ma.qiang"] == {"attitude": 6.7, "response": 10.0, "quality": 10.0, "solve": 5.0,
                                 "satisfaction": 7.5, "complaints": 10.0}
    # Issue 14: only holders of an engineer role (engineer, expert-group) are scored: sun.li (the
    # customer service manager who handled the complaint) and wang.fang (the service desk) are not.
    assert "sun.li" not in cards and "wang.fang" not in cards
    # zhao.lei: SV-KMT-00004 (satisfied x3, dissatisfied): attitude 6.7, satisfaction 2/4 -> 5.0; the
    # complaint 00008 about his 00004 was found substantiated against him: 10 - 5 = 5.0, explained by
    # chen.jie, so not flagged.
    assert cards["zhao.lei"] == {"attitude": 6.7, "response": 10.0, "quality": 10.0, "solve": 10.0,
                                 "satisfaction": 5.0, "complaints": 5.0}
    zhao = by(r["cards"], engineer="zhao.lei")
    complaints = by(zhao["scores"], key="complaints")
    assert (complaints["needs_explanation"], complaints["explanation"]["by"]) == (False, "chen.jie")
    assert [(c["engineer"], c["flagged"]) for c in r["cards"]] == [
        ("li.na", 3), ("ma.qiang", 3), ("zhao.lei", 2)]
    # 18 scores: five 5.0; three 6.7; one 7.5; one 8.3; eight 10.0.
    assert [b["count"] for b in r["distribution"]] == [0, 0, 0, 0, 0, 5, 3, 1, 1, 8]
    golden("engineers.json", report("engineers", "json"))
    golden("engineers.en.md", report("engineers", "md"))


def test_desk(report: Any) -> None:
    r = data(report, "desk")
    # Response clocks: all met but 00007's: 7/8; level C 3/4.
    assert (r["answered_in_time"]["part"], r["answered_in_time"]["whole"]) == (7, 8)
    assert [(x["level"], x["answered_in_time"]["part"], x["answered_in_time"]["whole"]) for x in r["per_level"]] \
        == [("A", 1, 1), ("B", 1, 1), ("C", 3, 4), ("D", 2, 2)]
    # Handed over to L2: 00003 and 00010 at once (opened into ma.qiang's hands), 00004 after 5m,
    # 00005 5m, 00007 20m (Friday 17:00-17:20, a working day on 5x24), 00009 10m (5x8).  00006 never;
    # 00008 went to sun.li, who has no tier.  Mean 40m/6 = 6m40s, median (5+5)/2 = 5m, worst 20m.
    handover = r["handover"]
    assert (handover["handed_over"]["part"], handover["mean"]["seconds"], handover["median"]["seconds"],
            handover["worst"]["seconds"]) == (6, 400, 300, 1200)
    # First contact: 00006 only, 1/8.  Resolved at the desk: 00006 and 00008 of the 7 resolved.
    assert (r["first_contact"]["part"], r["first_contact"]["whole"]) == (1, 8)
    assert (r["resolved_at_desk"]["part"], r["resolved_at_desk"]["whole"]) == (2, 7)
    assert (r["all_targets"]["part"], r["all_targets"]["whole"]) == (15, 23)
    # Attitude answers of the 5 surveys answered (issued in November): very 2 (00005, 00006),
    # satisfied 3 (00003, 00004, Shenzhen Metro Q4): (2 + 3 x 2/3)/5 = 0.8.  All 20 answers: 0.75.
    assert (r["courtesy"]["count"], r["courtesy"]["mean_normalised"]) == (5, 0.8)
    assert (r["satisfaction"]["count"], r["satisfaction"]["mean_normalised"]) == (20, 0.75)
    assert (r["survey_response"]["part"], r["survey_response"]["whole"]) == (5, 7)
    golden("desk.json", report("desk", "json"))
    golden("desk.en.md", report("desk", "md"))


def test_surveys(report: Any) -> None:
    r = data(report, "surveys")
    # Issued in November: 7 (SV-KMT-00001 was October's).  Answered 5; SV-KMT-00008 sent and not
    # expired; SV-acme-sz-2026-Q4 expired on 12-02: 5/7 = 71.4%.
    assert (r["issued"], r["answered"], r["pending"], r["expired"]) == (7, 5, 1, 1)
    questions = {q["question"]: ([a["count"] for a in q["answers"]], q["mean_normalised"]) for q in r["questions"]}
    # Attitude: very 00005, 00006; satisfied 00003, 00004, Metro Q4 -> 0.8.  Technical: very 00003, 00005,
    # 00006 -> (3 + 2 x 2/3)/5 = 13/15.  Speed: very 00006, satisfied 00005 and Metro Q4, neutral 00003,
    # dissatisfied 00004 -> (1 + 4/3 + 1/3)/5 = 8/15.
    assert questions == {"attitude": ([2, 3, 0, 0], 0.8), "quality": ([2, 3, 0, 0], 0.8),
                         "technical": ([3, 2, 0, 0], 0.8667), "speed": ([1, 2, 1, 1], 0.5333)}
    assert r["mean_normalised"] == 0.75
    # SV-KMT-00004's "dissatisfied" opened the complaint 00008, now closed: followed up, done.
    assert [(f["survey"], f["reasons"], f["complaint"], f["state"]) for f in r["follow_ups"]] == [
        ("SV-KMT-00004", ["speed"], "KMT-00008", "done")]
    golden("surveys.json", report("surveys", "json"))
    golden("surveys.en.md", report("surveys", "md"))


def test_inspections(report: Any) -> None:
    r = data(report, "inspections")
    # In November: ACME Q4 (done 11-19), Metro Q4 (planned 11-16, due by 11-30, not done), ACME's
    # unplanned visit of 11-25; ACME Q3 is still open since 09-30 and listed as overdue.  Metro Q3
    # (done in September) is not.
    assert [x["id"] for x in r["inspections"]] == ["acme-sz-2026-Q3", "acme-sz-2026-Q4", "acme-sz-2026-11-25",
                                                   "sz-metro-2026-Q4"]
    # Overdue as of 12-07: ACME Q3 by 68 days (31 in October + 30 in November + 7), Metro Q4 by 7.
    assert [(x["id"], x["days_overdue"]) for x in r["overdue_list"]] == [("acme-sz-2026-Q3", 68),
                                                                        ("sz-metro-2026-Q4", 7)]
    assert [(g["customer"], g["quarter"], g["planned"], g["done"], g["done_unplanned"], g["overdue"])
            for g in r["grid"]] == [("acme-sz", "2026-Q3", 1, 0, 0, 1), ("acme-sz", "2026-Q4", 1, 2, 1, 0),
                                    ("sz-metro", "2026-Q4", 1, 0, 0, 1)]
    acme = by(r["inspections"], id="acme-sz-2026-Q4")
    assert [(a["item"], a["result"]) for a in acme["attention"]] == [("backup", "attention"),
                                                                      ("environment", "fault")]
    golden("inspections.json", report("inspections", "json"))
    golden("inspections.en.md", report("inspections", "md"))


def test_one_customer(report: Any) -> None:
    """--customer keeps that customer's cases only (ACME: 00004-00008)."""
    r = json.loads(report("monthly", "json", "en", "--customer", "acme-sz"))
    assert r["customer"] == {"id": "acme-sz", "name": "ACME Shenzhen"}
    assert r["totals"]["received"] == 5 and [g["customer"] for g in r["groups"]] == ["acme-sz"]
    # A bulletin for one customer is never the desk's issued one.
    assert r["issued"] is None
