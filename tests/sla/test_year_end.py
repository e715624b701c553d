"""Issue 12, acceptance 1 and 2: the year end with the package's data only (chinese-calendar 1.11.0 stops
at 2026), and after the 2027 notice is imported.

Level D is 5x8 (09:00-12:00, 13:00-18:00 on official working days), level C 5x24 (whole official working
days) with the level-3 ladder (2h, 4h, 8h).  2026-12-30 is a Wednesday, 12-31 a Thursday; 2027-01-01 is a
Friday.  The 2027 notice is the made-up fixture (tests/worktime/notices/2027-made-up.txt): 2027-01-01..03
off, nothing else in January.  Every expected time is worked out by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from clihelp import CLI, TESTS, commit_count, git

NOTICE_2027 = TESTS / "worktime" / "notices" / "2027-made-up.txt"
EVE = "2026-12-31T18:30:00+08:00"
NIGHT = "2026-12-31T23:30:00+08:00"
SATURDAY = "2027-01-02T10:00:00+08:00"


@pytest.fixture
def desk_path(cases_only_desk: Path) -> Path:
    return cases_only_desk


def at(text: str) -> str:
    return f"{text}:00+08:00"


def year_end_cases(cli: CLI) -> dict[str, str]:
    """The cases of the scenario, opened as the desk works on 30 and 31 December."""
    cases = {}
    # R: 5x8, opened Wed 09:00, first response at 09:20 (due 10:00: met).  Reply 24h of working time:
    # 8h on 12-30, 8h on 12-31, 8h in 2027 -> needs 2027.
    cases["R"] = cli.open("Report export is slow", "D", now=at("2026-12-30T09:00"))
    cli("respond", cases["R"], "-m", "Looking at it.", now=at("2026-12-30T09:20"))
    # V: 5x8, opened Wed 10:00 and never answered: the response is due at 11:00 and breached.
    cases["V"] = cli.open("VPN drops at the Shekou office", "D", now=at("2026-12-30T10:00"))
    # M: 5x8, every clock met in December: response at 14:10 (due 15:00), the reply at 12-31 16:00
    # after 4h + 6h = 10h of working time; its 24h deadline itself would lie in 2027.
    cases["M"] = cli.open("Mailbox quota warning", "D", now=at("2026-12-30T14:00"))
    cli("respond", cases["M"], "-m", "Raised the quota for now.", now=at("2026-12-30T14:10"))
    cli("note", cases["M"], "--kind", "reply", "-m", "Quota doubled; archive set up.", now=at("2026-12-31T16:00"))
    return cases


def clocks(cli: CLI, case: str, now: str) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in cli("show", case, "--json", now=now).json["sla"]["clocks"]}


def fired(result: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in result["fired"]:
        found.setdefault(item["record"], []).append(item["key"])
    return {record: sorted(keys) for record, keys in found.items()}


def test_at_the_year_end_every_clock_that_can_be_computed_is(cli: CLI) -> None:
    cases = year_end_cases(cli)
    # -- New Year's Eve, 18:30 (the desk closed at 18:00) ---------------------------------------
    found = clocks(cli, cases["R"], EVE)
    assert found["response"]["state"] == "met" and found["response"]["due_at"] == at("2026-12-30T10:00")
    reply = found["reply"]
    assert reply["state"] == "needs_data" and reply["needs_year"] == 2027 and reply["due_at"] is None
    assert "casefile calendar import-notice NOTICE.txt --commit" in reply["fix"]
    assert reply["elapsed"] == "16h" and reply["difference"] == "+8h"  # 8h still to count, in 2027
    shown = cli("show", cases["R"], now=EVE).out
    reply_line = next(line for line in shown.splitlines() if line.startswith("  reply "))
    assert "needs 2027" in reply_line and "after 2026" in reply_line
    assert "casefile calendar import-notice" in reply_line
    assert "cannot be computed" not in shown  # the case's clocks were computed, one at a time

    # M: every clock met in December: nothing that reads as an error.
    shown_m = cli("show", cases["M"], now=EVE)
    assert shown_m.err == ""
    met = clocks(cli, cases["M"], EVE)
    assert {name: c["state"] for name, c in met.items()} == {"response": "met", "reply": "met",
                                                             "depart": "not_applicable"}
    assert met["reply"]["difference"] == "+14h" and met["reply"]["fix"] is None
    assert "needs" not in shown_m.out and "error" not in shown_m.out

    listed = cli("list", "--json", now=EVE)
    rows = {row["id"]: row["sla"] for row in listed.json}
    assert rows[cases["R"]]["needs"] == [{"clock": "reply", "year": 2027}]
    assert rows[cases["V"]]["next_clock"] == "response" and rows[cases["V"]]["breached"] == ["response"]
    assert "needs" not in rows[cases["M"]]
    assert "need the official days of 2027" in listed.err and "clocks not computed" not in listed.err
    table = cli("list", now=EVE).out
    assert "reply needs 2027" in table and "!response 12-30 11:00" in table

    explained = cli("explain", cases["R"], now=EVE).out
    assert "Reply with a solution (reply, 回复): needs 2027" in explained
    assert "= 16h of working time counted up to Fri 2027-01-01 00:00" in explained
    assert "Met: responded at Wed 2026-12-30 09:20, 40m of working time to spare." in explained

    # check: exit 0; the breach of V recorded although V's reply needs 2027; each clock that cannot be
    # computed reported once, in its case.
    result = cli("check", "--json", now=EVE).json
    assert result["broken"] == []
    assert fired(result) == {
        cases["R"]: ["uncomputable/reply/2027"],
        cases["V"]: ["breach/response", "uncomputable/reply/2027"],
    }
    breach = next(item for item in result["fired"] if item["key"] == "breach/response")
    assert breach["due_at"] == at("2026-12-30T11:00")
    # Held until the desk opens?  The next opening is in 2027, which nobody can compute: paged now.
    assert breach["page_at"] == breach["due_at"]
    events = cli("show", cases["R"], "--json", now=EVE).json["events"]
    told = [e for e in events if e["kind"] == "uncomputable"]
    assert len(told) == 1 and told[0]["fields"]["year"] == 2027 and told[0]["fields"]["clock"] == "reply"
    before = commit_count(cli.repo)
    assert cli("check", "--json", now=at("2026-12-31T18:35")).json["fired"] == []  # said once
    assert commit_count(cli.repo) == before

    # -- a level-C case at 20:00 on New Year's Eve: 5x24, ladder 2h, 4h, 8h ------------------------
    cases["C"] = cli.open("Core switch fan alarm", "C", now=at("2026-12-31T20:00"))
    night = cli("check", "--json", now=NIGHT).json
    # response 1h -> 21:00, breached; ladder 2h -> 22:00 reached; 4h -> 2027-01-01 00:00 exactly (the
    # closing instant of 12-31, known without 2027); 8h needs 2027; reply 6h: 4h in 2026, 2h in 2027.
    assert fired(night) == {cases["C"]: ["breach/response", "ladder/customer-service-engineer",
                                         "uncomputable/ladder/2027", "uncomputable/reply/2027"]}
    sla = cli("show", cases["C"], "--json", now=NIGHT).json["sla"]
    assert [(s["due_at"], s["reached"], s["needs_year"]) for s in sla["ladder"]["steps"]] == [
        (at("2026-12-31T22:00"), True, None), (at("2027-01-01T00:00"), False, None), (None, False, 2027)]

    # -- Saturday 2027-01-02, 10:00: inside the year without data ----------------------------------
    for case in cases.values():
        cli("show", case, now=SATURDAY)
        cli("explain", case, now=SATURDAY)
    assert clocks(cli, cases["R"], SATURDAY)["response"]["state"] == "met"
    assert clocks(cli, cases["V"], SATURDAY)["response"]["state"] == "breached"
    assert clocks(cli, cases["V"], SATURDAY)["response"]["elapsed"] is None  # counting it needs 2027
    assert cli("show", cases["M"], now=SATURDAY).err == ""
    cli("list", now=SATURDAY)
    saturday = cli("check", "--json", now=SATURDAY)
    assert saturday.code == 0 and saturday.json["broken"] == []
    # The 4h step fell due at midnight: known without 2027, and recorded.
    assert fired(saturday.json) == {cases["C"]: ["ladder/technical-support-supervisor"]}
    assert cli("check", "--json", now=at("2027-01-02T10:05")).json["fired"] == []


def test_after_the_notice_the_december_cases_compute_across_the_new_year(cli: CLI) -> None:
    cases = year_end_cases(cli)
    cases["C"] = cli.open("Core switch fan alarm", "C", now=at("2026-12-31T20:00"))
    policies = {case: cli("show", case, "--json", now=EVE).json["policy"] for case in cases.values()}
    cli("check", now=NIGHT)
    assert "reply needs 2027" in cli("list", now=SATURDAY).out  # kept in the record index

    before = commit_count(cli.repo)
    cli("calendar", "import-notice", str(NOTICE_2027), "--commit", now=at("2027-01-04T08:00"))
    assert commit_count(cli.repo) == before + 1

    # No `policy adopt`: every case keeps its policy version and reads the new year's days.
    for case, version in policies.items():
        assert cli("show", case, "--json", now=at("2027-01-04T14:00")).json["policy"] == version
    # R: 16h by the year end, 01-01..03 off, 8h on Mon 01-04 -> 18:00.  Its warning at 80% (19h12m):
    # 3h12m on 01-04: 09:00-12:00, then 13:00-13:12.
    reply = clocks(cli, cases["R"], at("2027-01-04T14:00"))["reply"]
    assert (reply["state"], reply["due_at"], reply["warn_at"], reply["needs_year"]) == (
        "running", at("2027-01-04T18:00"), at("2027-01-04T13:12"), None)
    # V: 7h on 12-30 (from 10:00), 8h on 12-31, 8h on 01-04, 1h on 01-05 -> 10:00.
    assert clocks(cli, cases["V"], at("2027-01-04T14:00"))["reply"]["due_at"] == at("2027-01-05T10:00")
    # The list's cached rows were computed under the old data: the data's version is in the view's name.
    rows = {row["id"]: row["sla"] for row in cli("list", "--json", now=at("2027-01-04T14:00")).json}
    assert rows[cases["R"]]["next_due_at"] == at("2027-01-04T18:00") and "needs" not in rows[cases["R"]]
    assert "reply needs" not in cli("list", now=at("2027-01-04T14:00")).out
    explained = cli("explain", cases["R"], now=at("2027-01-04T14:00")).out
    assert "statutory holiday: New Year's Day (元旦)" in explained

    # check records what became due: C's reply 6h on 5x24 (4h by the year end, 2h on 01-04 -> 02:00),
    # its ladder: 4h -> 01-01 00:00 and 8h -> 01-04 04:00; R's warning at 13:12.  C's reply warning
    # (80% -> 00:48) is not news once its breach is due too.
    result = cli("check", "--json", now=at("2027-01-04T14:00")).json
    assert result["broken"] == []
    assert fired(result) == {
        cases["C"]: ["breach/reply", "ladder/general-manager", "ladder/technical-support-supervisor"],
        cases["R"]: ["warning/reply"],
    }
    assert {item["key"]: item["due_at"] for item in result["fired"] if item["record"] == cases["C"]} == {
        "breach/reply": at("2027-01-04T02:00"), "ladder/general-manager": at("2027-01-04T04:00"),
        "ladder/technical-support-supervisor": at("2027-01-01T00:00")}
    log = git(cli.repo, "log", "--format=%s", "-n", "3")
    assert "official days CN: add 2027 from 国务院办公厅关于2027年部分节假日安排的通知" in log


def test_open_says_when_a_new_clock_needs_a_missing_year(cli: CLI) -> None:
    opened = cli("open", "Scanner offline", "--level", "D", "-m", "Shows E-12.", now=at("2026-12-31T17:00"))
    assert opened.out.strip().count("\n") == 0  # the case number alone, as scripts read it
    assert opened.err.strip() == (
        f"casefile: {opened.out.strip()}: the reply clock cannot be computed until the official days of 2027 are in "
        "(the State Council publishes them around November; add 2027 once with `casefile calendar import-notice "
        "NOTICE.txt --commit`, or upgrade chinese-calendar); every other clock runs as usual")
    assert cli("open", "Toner low", "--level", "D", "-m", "x", now=at("2026-11-20T10:00")).err == ""
