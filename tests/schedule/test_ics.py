"""Issue 19, acceptance 2: `casefile calendar ics` — change windows and planned inspections as an RFC 5545 feed
(CRLF, lines folded at 75 octets, text escaped, a stable UID per record, DTSTAMP from the one clock, the desk's
TZID with its VTIMEZONE); parsed back here."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import icalendar

from clihelp import CLI

AT = "2026-11-{}:00+08:00"
TITLE = "Upgrade the MPU firmware of SW-FT-01, SW-FT-02; then reload — 升级福田站核心交换机主控板固件，切换后重启备用主控板"


def _change(cli: CLI, risk: str = "high") -> str:
    return cli("rfc", "open", "--title", TITLE, "--risk", risk, "--plan", "Standby MPU first, then switch over.",
               "--backout", "Boot the previous image from flash.", "--start", "2026-11-28T01:00",
               "--end", "2026-11-28T04:00", "--customer", "sz-metro", "--asset", "FOC2345X0AB",
               now=AT.format("21T10:00"), actor="li.na").out.split(":")[0]


def _events(raw: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(raw)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_the_feed_holds_the_change_window_and_the_planned_inspections(cli: CLI) -> None:
    change = _change(cli)
    cli("check", now=AT.format("21T10:05"))  # creates the planned inspections that are due
    out = cli.repo.parent / "desk.ics"
    written = cli("calendar", "ics", "-o", str(out), now=AT.format("22T08:30"))
    assert written.out.startswith("wrote ") and written.out.strip().endswith(f"to {out}")
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends with CRLF
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets
    for line in lines:
        line.decode("utf-8")  # never folded inside a character
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    assert b"TZID:Asia/Shanghai" in raw and b"BEGIN:VTIMEZONE" in raw

    events = _events(raw)
    window = events[f"{change}@changes.casefile.invalid"]
    assert str(window["SUMMARY"]) == f"变更 Change {change}: {TITLE}"  # unfolded and unescaped
    assert b"SW-FT-01\\, SW-FT-02\\; then" in raw.replace(b"\r\n ", b"")  # escaped on the wire
    start, end = window.decoded("DTSTART"), window.decoded("DTEND")
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert (start.astimezone(timezone.utc), end - start) == (datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc),
                                                            timedelta(hours=3))
    assert window.decoded("DTSTAMP") == datetime(2026, 11, 22, 0, 30, tzinfo=timezone.utc)  # the one clock
    assert str(window["STATUS"]) == "TENTATIVE"  # waiting for the review
    assert "Backout: Boot the previous image from flash." in str(window["DESCRIPTION"]).splitlines()

    inspection = events["sz-metro-2026-11@inspections.casefile.invalid"]
    assert str(inspection["SUMMARY"]) == "巡检 Inspection sz-metro (sz-metro-2026-11)"
    day = inspection.decoded("DTSTART")
    assert isinstance(day, date) and not isinstance(day, datetime)  # all day
    assert inspection.decoded("DTEND") - day == timedelta(days=1)

    # The same record keeps its UID; a rejected change stays in the feed, cancelled.
    cli("rfc", "review", change, "--reject", "-m", "No backout for the second MPU.", now=AT.format("23T09:00"),
        actor="zhou.min")
    again = _events(cli("calendar", "ics", now=AT.format("23T10:00")).out.encode("utf-8"))
    assert set(again) == set(events)
    assert str(again[f"{change}@changes.casefile.invalid"]["STATUS"]) == "CANCELLED"

    shown = cli("calendar", "ics", "--since", "2026-11-28", "--json", now=AT.format("23T10:00")).json
    assert [e["uid"] for e in shown if e["uid"].startswith("CHG-")] == [f"{change}@changes.casefile.invalid"]
    assert shown[0]["start"] <= shown[-1]["start"]
    assert cli("calendar", "ics", "--since", "2026-11-29", "--json", now=AT.format("23T10:00")).json == [
        e for e in shown if e["uid"] != f"{change}@changes.casefile.invalid" and e["end"] >= "2026-11-29"]
    assert "is not a date" in cli("calendar", "ics", "--since", "soon", expect=1).err
