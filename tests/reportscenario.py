"""The fixed scenario repository of the report tests (issue 5, acceptance 1).

Jinqiao IT Services in October and November 2026, worked through the real
command line with `--now` at every step, plus hand-written customers,
surveys and inspections in the formats of issue 4 (README "Record formats"),
and one complaint that `concerns` the case it is about.  Case numbers are
fixed (station KMT).  Reports are taken at REPORT_NOW, Monday 2026-12-07
10:00, the day November's bulletin is due (the 5th is a Saturday).

    October (the period before)
      KMT-00001  C incident  acme-sz  Mon 10-12 10:00, li.na, closed
      KMT-00002  D request   sz-metro Tue 10-20 14:00, resolved at first contact by wang.fang
    November
      KMT-00003  A incident  sz-metro Mon 11-02 02:00 ma.qiang: on site late, restored in 1h40m, report next day
      KMT-00004  B incident  acme-sz  Tue 11-03 10:00 zhao.lei: restored remotely, incident report late
      KMT-00005  C incident  acme-sz  Wed 11-04 09:00 li.na: waits an hour for the customer, closed
      KMT-00006  D consult.  acme-sz  Thu 11-05 09:30 wang.fang: resolved at first contact, closed
      KMT-00007  C request   acme-sz  Fri 11-06 17:00 li.na: answered Monday, resolved, reopened, resolved
      KMT-00008  C complaint acme-sz  Mon 11-09 10:30 sun.li: about KMT-00004, raised by its survey
      KMT-00009  D incident  sz-metro Tue 11-10 14:00 ma.qiang: still open
      KMT-00010  C incident  sz-metro Mon 11-30 23:00 ma.qiang: resolved the next morning
    December
      KMT-00011  D request   acme-sz  Tue 12-01 09:00 (outside November)
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from clihelp import CLI

if TYPE_CHECKING:
    import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORT_NOW = "2026-12-07T10:00:00+08:00"
SURVEY_FIELDS = ("attitude", "quality", "technical", "speed")


def _at(text: str) -> str:
    return f"2026-{text}:00+08:00"


def _commit(root: Path, message: str) -> None:
    env_args = ["-c", "user.name=Wang Fang 王芳", "-c", "user.email=wang.fang@jinqiao-it.example"]
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), *env_args, "commit", "-q", "-m", message], check=True)


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build(root: Path) -> CLI:
    """Build the scenario in `root` (a new folder); returns the CLI at REPORT_NOW."""
    from casefile.records.stations import StationState
    from casefile.repo.demo import create_desk
    from casefile.session import Session

    create_desk(root, datetime(2026, 10, 1, 8, 0, tzinfo=SHANGHAI))
    StationState("KMT", "report-scenario", 1).save(Session.open(root).state_dir)
    cli = CLI(root, actor="wang.fang", now=REPORT_NOW)

    def run(when: str, *args: str, actor: str = "wang.fang") -> str:
        return cli(*args, now=_at(when), actor=actor).out.strip()

    def open_case(when: str, title: str, level: str, *extra: str, actor: str = "wang.fang") -> str:
        return run(when, "open", title, "--level", level, *extra, actor=actor)

    # -- October: the period before ----------------------------------------------------
    p1 = open_case("10-12T10:00", "Scanner on 2F not found", "C", "--customer", "acme-sz",
                   "--category", "hardware/scanner", "--caller-name", "Zhang Wei", "--assign", "li.na",
                   "-m", "The scanner is missing from the network.")
    run("10-12T10:20", "respond", p1, "-m", "Checking the scanner's network settings.", actor="li.na")
    run("10-12T15:00", "resolve", p1, "-m", "Reset the scanner's IP address.", actor="li.na")
    run("10-13T09:00", "close", p1, "--confirmed-by", "Zhang Wei")
    p2 = open_case("10-20T14:00", "Password reset for OA", "D", "--type", "request", "--channel", "web",
                   "--customer", "sz-metro", "--category", "accounts", "-m", "Huang Tao forgot his OA password.")
    run("10-20T14:05", "respond", p2, "-m", "Verified the caller; resetting.")
    run("10-20T14:10", "resolve", p2, "--first-contact", "-m", "Password reset on the phone.")

    # -- November ------------------------------------------------------------------------
    n1 = open_case("11-02T02:00", "Core switch down: ticket gates offline", "A", "--customer", "sz-metro",
                   "--category", "network/switch", "--caller-name", "Huang Tao", "--assign", "ma.qiang",
                   "-m", "All ticket gates at Futian offline since 01:55.", actor="ma.qiang")
    run("11-02T02:20", "respond", n1, "-m", "Called back; dispatching.", actor="ma.qiang")
    run("11-02T02:51", "note", n1, "-k", "onsite", "--dispatched-at", "02:25", "--arrived-at", "02:50",
        "-m", "On site in the equipment room.", actor="ma.qiang")
    run("11-02T03:00", "note", n1, "-k", "progress", "-m", "Told Huang Tao: PSU failed, swapping.", actor="ma.qiang")
    run("11-02T03:40", "resolve", n1, "-m", "Replaced the PSU; gates online.", actor="ma.qiang")
    run("11-03T10:00", "note", n1, "-k", "report", "-m", "Incident report sent to Huang Tao.", actor="ma.qiang")
    run("11-03T10:30", "close", n1, "--confirmed-by", "Huang Tao")

    n2 = open_case("11-03T10:00", "ERP month-end close slow for finance", "B", "--channel", "online",
                   "--customer", "acme-sz", "--category", "application/erp", "--caller-name", "Chen Hong",
                   "-m", "Posting a voucher takes 3 minutes.")
    run("11-03T10:05", "assign", n2, "zhao.lei")
    run("11-03T10:30", "respond", n2, "-m", "Reproduced; database CPU at 98%.", actor="zhao.lei")
    run("11-03T10:50", "note", n2, "-k", "progress", "-m", "Told Chen Hong: index rebuild running.",
        actor="zhao.lei")
    run("11-03T11:45", "resolve", n2, "-m", "Rebuilt the posting index; 2 seconds again.", actor="zhao.lei")
    run("11-06T09:45", "note", n2, "-k", "report", "-m", "Incident report sent to Chen Hong.", actor="zhao.lei")
    run("11-06T10:00", "close", n2, "--confirmed-by", "Chen Hong")

    n3 = open_case("11-04T09:00", "Printer on 3F prints nothing, shows E-04", "C", "--customer", "acme-sz",
                   "--category", "hardware/printer", "--caller-name", "Zhang Wei",
                   "-m", "HP M607 shows E-04; 40 jobs stuck.")
    run("11-04T09:05", "assign", n3, "li.na")
    run("11-04T09:40", "respond", n3, "-m", "Checking the print server.", actor="li.na")
    run("11-04T10:00", "pend", n3, "--reason", "Waiting for the admin password", actor="li.na")
    run("11-04T11:00", "resume", n3, "-m", "Password received.", actor="li.na")
    run("11-04T14:00", "resolve", n3, "-m", "Replaced the fuser unit; test page OK.", actor="li.na")
    run("11-04T16:00", "close", n3, "--confirmed-by", "Zhang Wei")

    n4 = open_case("11-05T09:30", "How to set up VPN on the new laptops?", "D", "--type", "consultation",
                   "--channel", "email", "--customer", "acme-sz", "--category", "network/vpn",
                   "--caller-name", "Liu Min", "-m", "Which VPN profile for the new ThinkPads?")
    run("11-05T09:41", "respond", n4, "-m", "Sent the VPN guide.")
    run("11-05T09:45", "resolve", n4, "--first-contact", "-m", "Guide and profile JQ-ACME sent.")
    run("11-05T11:00", "close", n4, "--confirmed-by", "Liu Min")

    n5 = open_case("11-06T17:00", "新员工开通邮箱和OA账号", "C", "--type", "request", "--channel", "qq",
                   "--customer", "acme-sz", "--category", "accounts", "--caller-name", "Zhang Wei",
                   "-m", "两名新员工周一入职。")
    run("11-06T17:20", "assign", n5, "li.na")
    run("11-09T09:10", "respond", n5, "-m", "Creating the accounts now.", actor="li.na")
    run("11-09T09:30", "resolve", n5, "-m", "Accounts created.", actor="li.na")
    run("11-09T11:00", "reopen", n5, "--reason", "One account cannot log in to OA.")
    run("11-09T11:30", "resolve", n5, "-m", "Fixed the OA group of the second account.", actor="li.na")

    n6 = open_case("11-09T10:30", "Complaint: the ERP fix took all morning", "C", "--type", "complaint",
                   "--customer", "acme-sz", "--caller-name", "Chen Hong",
                   "-m", "Survey SV-KMT-00004: nobody said how long it would take.")
    run("11-09T10:35", "assign", n6, "sun.li")
    run("11-09T11:00", "respond", n6, "-m", "Apologised; reviewing the case.", actor="sun.li")
    run("11-10T10:00", "resolve", n6, "-m", "Explained the fix; progress calls every 30 minutes from now on.",
        "--verdict", "substantiated", "--against", "zhao.lei", actor="sun.li")
    run("11-10T11:00", "close", n6, "--confirmed-by", "Chen Hong")

    n7 = open_case("11-10T14:00", "Ticket machine screen flickers", "D", "--channel", "web", "--customer",
                   "sz-metro", "--category", "hardware/display", "--caller-name", "Huang Tao",
                   "-m", "Machine 7 at Futian flickers.")
    run("11-10T14:10", "assign", n7, "ma.qiang")
    run("11-10T14:30", "respond", n7, "-m", "Ordered a new display cable.", actor="ma.qiang")

    n8 = open_case("11-30T23:00", "Gate reader offline at Chegongmiao", "C", "--customer", "sz-metro",
                   "--category", "network/gate", "--caller-name", "Huang Tao", "--assign", "ma.qiang",
                   "-m", "Reader 3 does not read cards.", actor="ma.qiang")
    run("11-30T23:30", "respond", n8, "-m", "Remote check: the reader's switch port is down.", actor="ma.qiang")
    run("12-01T08:00", "resolve", n8, "-m", "Replaced the patch cable.", actor="ma.qiang")

    open_case("12-01T09:00", "Toner for the 3F printer", "D", "--type", "request", "--customer", "acme-sz",
              "-m", "Two black cartridges.")
    assert (p1, n1, n8) == ("KMT-00001", "KMT-00003", "KMT-00010")

    _link_complaint(root, n6, n2)
    _records(root)
    cli("report", "explain-score", "zhao.lei", "--month", "2026-11", "--score", "complaints",
        "-m", "The complaint was about missing progress calls; zhao.lei now calls every 30 minutes.",
        now=_at("12-03T10:00"), actor="chen.jie")
    return cli


def _link_complaint(root: Path, complaint: str, concerned: str) -> None:
    """What issue 4's complaint handling writes: the complaint `concerns` the case (by hand here)."""
    path = root / "cases" / "2026" / "11" / f"{complaint}.md"
    text = path.read_text(encoding="utf-8")
    assert "\nlinks:\n" in text  # its own survey, issued when it was closed, is linked already
    text = text.replace("\nlinks:\n", f"\nlinks:\n  - {{rel: concerns, to: {concerned}}}\n"
                                       f"  - {{rel: survey, to: SV-{concerned}}}\n", 1)
    path.write_text(text, encoding="utf-8")
    _commit(root, f"{complaint}: link the case it concerns\n\nCasefile-Case: {complaint}\n")


def _survey(ident: str, kind: str, case: str | None, customer: str, issued: str, status: str,
            answered: str | None = None, ratings: dict[str, str] | None = None, complaint: str | None = None,
            opinions: str | None = None, expires: str | None = None) -> str:
    lines = ["---", f"id: {ident}", f"kind: {kind}"]
    if case:
        lines.append(f"case: {case}")
    lines += [f"customer: {customer}", f"status: {status}", f"issued_at: {_at(issued)}"]
    lines.append(f"expires_at: {_at(expires)}" if expires else "expires_at:")
    lines.append("questions: [attitude, quality, technical, speed]")
    lines.append(f"answered_at: {_at(answered)}" if answered else "answered_at:")
    if ratings:
        lines.append("ratings: {" + ", ".join(f"{k}: {ratings[k]}" for k in SURVEY_FIELDS) + "}")
    if opinions:
        lines.append(f"opinions: {opinions}")
    if complaint:
        lines.append(f"complaint: {complaint}")
    return "\n".join(lines) + "\n---\n"


def _ratings(*answers: str) -> dict[str, str]:
    return dict(zip(SURVEY_FIELDS, answers))


def _records(root: Path) -> None:
    """Customers, surveys and inspections as issue 4 writes them."""
    _write(root, "customers/acme-sz.md", "---\nid: acme-sz\nname: ACME Shenzhen\ncoverage: 5x24\n---\n")
    _write(root, "customers/sz-metro.md", "---\nid: sz-metro\nname: Shenzhen Metro Ticketing\ncoverage: 7x24\n---\n")
    very, fair, neutral, low = "very-satisfied", "satisfied", "neutral", "dissatisfied"
    surveys = {
        "SV-KMT-00001": _survey("SV-KMT-00001", "case", "KMT-00001", "acme-sz", "10-13T09:00", "answered",
                                "10-14T10:00", _ratings(very, very, very, very)),
        "SV-sz-metro-2026-Q4": _survey("SV-sz-metro-2026-Q4", "scheduled", None, "sz-metro", "11-02T09:00",
                                       "answered", "11-20T10:00", _ratings(fair, fair, fair, fair)),
        "SV-acme-sz-2026-Q4": _survey("SV-acme-sz-2026-Q4", "scheduled", None, "acme-sz", "11-02T09:00", "sent",
                                      expires="12-02T09:00"),
        "SV-KMT-00003": _survey("SV-KMT-00003", "case", "KMT-00003", "sz-metro", "11-03T10:30", "answered",
                                "11-04T09:00", _ratings(fair, very, very, neutral)),
        "SV-KMT-00005": _survey("SV-KMT-00005", "case", "KMT-00005", "acme-sz", "11-04T16:00", "answered",
                                "11-05T10:00", _ratings(very, fair, very, fair)),
        # Entered as 很满意 by `casefile survey record`, which stores the answer's key.
        "SV-KMT-00006": _survey("SV-KMT-00006", "case", "KMT-00006", "acme-sz", "11-05T11:00", "answered",
                                "11-05T15:00", _ratings(very, very, very, very)),
        "SV-KMT-00004": _survey("SV-KMT-00004", "case", "KMT-00004", "acme-sz", "11-06T10:00", "answered",
                                "11-09T10:20", _ratings(fair, fair, fair, low), complaint="KMT-00008",
                                opinions="Nobody told us the fix would take all morning."),
        "SV-KMT-00008": _survey("SV-KMT-00008", "case", "KMT-00008", "acme-sz", "11-10T11:00", "sent",
                                expires="12-10T11:00"),
    }
    for ident, text in surveys.items():
        month = "10" if ident == "SV-KMT-00001" else "11"
        _write(root, f"surveys/2026/{month}/{ident}.md", text)
    inspections = {
        "acme-sz-2026-Q3": "status: planned\nperiod: 2026-Q3\nplanned_on: 2026-07-15\ndue_by: 2026-09-30\n"
                           "inspector: zhao.lei\n",
        "sz-metro-2026-Q3": "status: done\nperiod: 2026-Q3\nplanned_on: 2026-08-10\ndue_by: 2026-09-30\n"
                            "inspector: ma.qiang\ninspected_on: 2026-09-20\nfindings: All normal.\n",
        "acme-sz-2026-Q4": "status: done\nperiod: 2026-Q4\nplanned_on: 2026-10-15\ndue_by: 2026-12-31\n"
                           "inspector: zhao.lei\ninspected_on: 2026-11-19\nwork_order: PG-20261119-01\n"
                           "checklist:\n  - {item: hardware, result: ok}\n"
                           "  - {item: backup, result: attention, note: last full backup 9 days ago}\n"
                           "  - {item: environment, result: fault, note: UPS battery worn out}\n"
                           "findings: UPS battery worn out; backups run late.\n"
                           "suggestions: Replace the UPS battery; fix the backup job.\n",
        "sz-metro-2026-Q4": "status: planned\nperiod: 2026-Q4\nplanned_on: 2026-11-16\ndue_by: 2026-11-30\n"
                            "inspector: ma.qiang\n",
        "acme-sz-2026-11-25": "status: done\ninspected_on: 2026-11-25\ninspector: li.na\n"
                              "findings: Switch fan noisy in the 2F rack.\n"
                              "suggestions: Replace the fan at the next visit.\n",
    }
    for ident, body in inspections.items():
        customer = ident.split("-2026")[0]
        _write(root, f"inspections/2026/{ident}.md", f"---\nid: {ident}\ncustomer: {customer}\n{body}---\n")
    _commit(root, "Customers, surveys and inspections (issue 4's formats, written by hand)\n")


def isolated_build(factory: "pytest.TempPathFactory") -> Path:
    """Build the scenario once for a test module, isolated like every test (see conftest)."""
    from conftest import isolation

    root = factory.mktemp("scenario") / "desk"
    with isolation(factory.mktemp("scenario-home"), factory.mktemp("scenario-git-templates")):
        build(root)
    return root


def copy_of(root: Path, target: Path) -> Path:
    """A copy of the scenario to change (a git repository copies as files)."""
    import shutil

    shutil.copytree(root, target, symlinks=True)
    return target
