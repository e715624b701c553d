"""Issue 21, acceptance 1: `policy simulate` replays the demo history under a proposed policy that tightens
level C's solution target (the template's 6 h `reply`, "reply with a solution", stopped by the reply or the
restore) to 4 h, reports exactly the cases that would have breached, and changes nothing.

The expected set is worked out here from the case files, by hand, not by the engine: the demo day is one
working day (Thursday 2026-11-19), so a clock's working time is its wall time minus its customer pauses,
cut to the calendar's hours (5x24: the whole working day; 5x8, the complaints': 09:00-12:00, 13:00-18:00).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from clihelp import CLI, git
from headless import find_chromium

NOW = "2026-11-19T18:00:00+08:00"
DAY = "2026-11-19"


@pytest.fixture
def demo(demo_day: tuple[Path, list[str]], tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_day[0], tmp_path / "desk", symlinks=True))


def station(desk: Path) -> str:
    """The demo's case numbers start with its station's code: `BMY-00002`, or what the run drew."""
    return next((desk / "cases").rglob("*-00001.md")).name.split("-")[0]


def proposal(desk: Path, folder: Path, old: str = "      reply: 6h               # seed 001",
             new: str = "      reply: 4h               # proposed: solutions within 4 h") -> Path:
    text = (desk / "policy.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1  # level C's line (D's reply is 24h)
    path = folder / "proposed.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def fingerprint(desk: Path) -> tuple[str, str, str, str]:
    """HEAD, the index's entries, the status and every work-tree file's bytes (outside .git)."""
    files = hashlib.sha256()
    for path in sorted(p for p in desk.rglob("*") if p.is_file() and ".git" not in p.relative_to(desk).parts):
        files.update(str(path.relative_to(desk)).encode() + b"\0" + path.read_bytes())
    return (git(desk, "rev-parse", "HEAD"), git(desk, "ls-files", "-s"), git(desk, "status", "--porcelain"),
            files.hexdigest())


def at(text: str) -> datetime:
    return datetime.fromisoformat(str(text))


def working(start: datetime, end: datetime, hours: list[tuple[str, str]]) -> timedelta:
    """Working time between two instants of the same day, within `hours` (HH:MM pairs)."""
    total = timedelta(0)
    for a, b in hours:
        lo = max(start, at(f"{DAY}T{a}:00+08:00"))
        hi = min(end, at(f"{DAY}T{b}:00+08:00"))
        total += max(hi - lo, timedelta(0))
    return total


def reply_breached_by_hand(desk: Path, limit: timedelta) -> set[str]:
    """Level-C cases of the demo whose solution (reply or restore) took longer than `limit`, or that are
    still without one past it at 18:00."""
    yaml = YAML(typ="safe")
    found = set()
    for path in sorted((desk / "cases").rglob("*.md")):
        data = yaml.load(path.read_text(encoding="utf-8").split("---")[1])
        if data["level"] != "C" or any(link.get("rel") == "duplicate-of" for link in data.get("links") or []):
            continue
        assert str(data["opened_at"]).startswith(DAY)
        hours = [("09:00", "12:00"), ("13:00", "18:00")] if data["type"] == "complaint" else [("00:00", "23:59")]
        opened = at(data["opened_at"])
        stops = [at(e["at"]) for e in data["events"] if e["kind"] in ("reply", "resolved")]
        end = stops[0] if stops else at(NOW)
        elapsed = working(opened, end, hours)
        for pause in data.get("pauses") or []:
            if pause["waiting_on"] == "customer":
                elapsed -= working(at(pause["from"]), at(pause.get("until") or NOW), hours)
        if elapsed > limit or (not stops and elapsed >= limit):
            found.add(str(data["id"]))
    return found


def test_tightening_level_c_reports_exactly_the_cases_that_would_have_breached(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang", now=NOW)
    new = proposal(demo, tmp_path)
    before = fingerprint(demo)

    # By hand: BMY-00002 (printer, 5x24): 08:45 -> restored 14:30 = 5h45m, less the customer's password wait
    # 10:05-11:20 (1h15m) = 4h30m: met within 6 h, breached within 4 h (due 14:00, 30 min over).  The two
    # complaints run on 5x8 and have no solution yet: BMY-00006 since 15:20 (2h40m at 18:00), BMY-00007 since
    # 16:40 (1h20m): under 4 h either way.
    expected = reply_breached_by_hand(demo, timedelta(hours=4)) - reply_breached_by_hand(demo, timedelta(hours=6))
    printer = f"{station(demo)}-00002"
    assert expected == {printer}

    found = cli("policy", "simulate", str(new), "--month", "2026-11", "--json").json
    assert {(b["case"], b["target"]) for b in found["gained"]} == {(case, "reply") for case in expected}
    assert found["lost"] == []
    (gained,) = found["gained"]
    assert (gained["within"], gained["other_within"]) == ("4h", "6h")
    assert gained["due_at"] == "2026-11-19T14:00:00+08:00" and gained["over_by"]["text"] == "30m"
    # Everything else is as today: the other levels' figures, every other target.
    c_reply = next(t for t in found["targets"] if (t["level"], t["target"]) == ("C", "reply"))
    assert (c_reply["today"]["met"], c_reply["today"]["breached"]) == (1, 0)
    assert (c_reply["proposed"]["met"], c_reply["proposed"]["breached"]) == (0, 1)
    for row in found["targets"]:
        if (row["level"], row["target"]) != ("C", "reply"):
            assert row["today"] == row["proposed"], row
    assert found["today"]["sla"]["overall"]["breached"] + 1 == found["proposed"]["sla"]["overall"]["breached"]
    # Li Na restored the printer: her solve score falls; the breach notice reaches her and the desk.
    assert [(s["engineer"], s["score"]) for s in found["scores"]] == [("li.na", "solve")]
    people = {p["person"]: (p["today"], p["proposed"]) for p in found["people"]}
    assert people["li.na"] == (0, 1)
    # The same figures as `report sla` today.
    today = cli("report", "sla", "--month", "2026-11", "--json").json
    assert found["today"]["sla"]["levels"] == today["levels"]
    assert found["today"]["sla"]["breached"] == today["breached"]

    for fmt in ("md", "html"):
        cli("policy", "simulate", str(new), "--month", "2026-11", "--format", fmt, "--lang", "en")
    assert fingerprint(demo) == before


def test_the_same_policy_changes_nothing_and_markdown_names_the_cases(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang", now=NOW)
    same = tmp_path / "same.yaml"
    same.write_text((demo / "policy.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    found = cli("policy", "simulate", str(same), "--month", "2026-11", "--json").json
    assert found["gained"] == [] and found["lost"] == [] and found["scores"] == []
    assert all(row["today"] == row["proposed"] for row in found["targets"])
    assert found["letters"]["today"] == found["letters"]["proposed"]

    text = cli("policy", "simulate", str(proposal(demo, tmp_path)), "--month", "2026-11", "--lang", "zh").out
    printer = f"{station(demo)}-00002"
    assert "新增超时" in text and printer in text and "6h → 4h" in text


def test_a_proposed_contract_rule_for_one_customer(demo: Path, tmp_path: Path) -> None:
    """A rule for sz-metro alone (response 20m): only that customer's cases are replayed."""
    cli = CLI(demo, actor="wang.fang", now=NOW)
    text = (demo / "policy.yaml").read_text(encoding="utf-8")
    rule = "service_rules:\n  - name: metro-emergency\n    customer: sz-metro\n    level: A\n    targets: {response: 5m}\n"
    new = tmp_path / "metro.yaml"
    new.write_text(text + "\n" + rule, encoding="utf-8")
    found = cli("policy", "simulate", str(new), "--month", "2026-11", "--customer", "sz-metro", "--json").json
    assert found["customer"]["id"] == "sz-metro" and found["cases"] == 1
    # BMY-00001 was answered at 02:18, 8 minutes after the 02:10 report: within 1 h, not within 5 min.
    assert [(b["case"], b["target"], b["within"]) for b in found["gained"]] == [(f"{station(demo)}-00001", "response", "5m")]


def test_survey_letters_follow_the_proposed_sample(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang", now="2026-11-20T18:00:00+08:00")
    none = proposal(demo, tmp_path, "  sample_percent: 100", "  sample_percent: 0")
    found = cli("policy", "simulate", str(none), "--month", "2026-11", "--json").json
    letters = found["letters"]
    assert letters["closed"] >= 1 and letters["today"] == letters["closed"] and letters["proposed"] == 0
    assert f"{station(demo)}-00002" in letters["lost"]


def test_a_bad_proposal_is_one_line_and_writes_nothing(demo: Path, tmp_path: Path) -> None:
    cli = CLI(demo, actor="wang.fang", now=NOW)
    before = fingerprint(demo)
    missing = cli("policy", "simulate", str(tmp_path / "nope.yaml"), "--month", "2026-11", expect=None)
    assert missing.code != 0 and "no proposed policy" in missing.err and "Traceback" not in missing.err
    broken = proposal(demo, tmp_path, "      reply: 6h               # seed 001", "      reply: soon")
    bad = cli("policy", "simulate", str(broken), "--month", "2026-11", expect=None)
    assert bad.code != 0 and "the proposed policy is not valid" in bad.err and len(bad.err.strip().splitlines()) == 1
    assert fingerprint(demo) == before


BROWSER = find_chromium()


@pytest.mark.skipif(BROWSER is None and not os.environ.get("CASEFILE_REQUIRE_BROWSER"),
                    reason="Chromium is not installed (apt-get install chromium)")
def test_the_html_shows_both_sides_with_charts_in_a_real_browser(demo: Path, tmp_path: Path) -> None:
    from headless import open_page

    assert BROWSER is not None
    cli = CLI(demo, actor="wang.fang", now=NOW)
    out = tmp_path / "whatif.html"
    cli("policy", "simulate", str(proposal(demo, tmp_path)), "--month", "2026-11", "-o", str(out), "--lang", "en")
    probe = """JSON.stringify({
      svgs: document.querySelectorAll('.sides svg').length,
      sides: [...document.querySelectorAll('.sides')[0].children].map(s => s.getBoundingClientRect().left),
      gained: document.querySelector('section.gained').innerText,
      bad: [...document.querySelectorAll('section.proposed rect.bad')].map(r => r.textContent),
      scripts: document.scripts.length,
      overflow: document.documentElement.scrollWidth - window.innerWidth
    })"""
    page = open_page(BROWSER, out, probe)
    found = json.loads(page.value)
    assert page.errors == []
    assert found["svgs"] == 2 and found["sides"][0] < found["sides"][1]  # today left, proposed right
    assert f"{station(demo)}-00002" in found["gained"] and found["scripts"] == 0 and found["overflow"] <= 0
    assert any(text.startswith("C") for text in found["bad"])  # level C's bar drops below 90 %


def test_pages_to_the_person_on_duty_per_person_and_night(demo: Path, tmp_path: Path) -> None:
    """With the demo team's rota: the outage's ladder pages at 02:40 (customer service engineer: zhao.lei on
    the weekday night shift 20:30-08:30) and 03:10 (the supervisor chen.jie), both in the night of 11-18."""
    from pagehelp import ROTA

    cli = CLI(demo, actor="wang.fang", now=NOW)
    new = proposal(demo, tmp_path)
    assert cli("policy", "simulate", str(new), "--month", "2026-11", "--json").json["pages"] == []  # no rota
    (demo / "rota.yaml").write_text(ROTA, encoding="utf-8")
    found = cli("policy", "simulate", str(new), "--month", "2026-11", "--json").json
    pages = {p["person"]: (p["today"], p["proposed"]) for p in found["pages"]}
    assert pages["zhao.lei"][0] == pages["zhao.lei"][1] >= 1 and "chen.jie" in pages
    nights = {n["night"]: (n["today"], n["proposed"]) for n in found["page_nights"]}
    assert nights["2026-11-18"][0] == nights["2026-11-18"][1] >= 2
