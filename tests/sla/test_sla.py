"""The pure SLA engine and the SLA part of the policy, without a repository."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from casefile.policy.model import default_policy_text, parse_policy
from casefile.records.yamlio import RecordError
from casefile.sla.engine import AlertKind, ClockState, evaluate
from casefile.sla.facts import facts_of

SH = ZoneInfo("Asia/Shanghai")
POLICY = parse_policy(default_policy_text())
SLA = POLICY.sla


def t(text: str) -> str:
    return f"2026-{text}:00+08:00"


def when(text: str) -> datetime:
    return datetime.fromisoformat(t(text))


def case(level: str = "A", kind: str = "incident", opened: str = "10-03T02:00", **extra: Any) -> dict[str, Any]:
    events = [{"at": t(opened), "by": "x", "kind": "opened"}] + extra.pop("events", [])
    return {"id": "KMT-00001", "level": level, "type": kind, "channel": "phone", "status": "open",
            "opened_at": t(opened), "events": events, "pauses": extra.pop("pauses", []), **extra}


def ev(kind: str, at: str, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"at": t(at), "by": "x", "kind": kind}
    if fields:
        event["fields"] = fields
    return event


def clocks(data: dict[str, Any], now: str) -> dict[str, Any]:
    return {c.name: c for c in evaluate(facts_of(data), SLA, when(now)).clocks}


def test_default_policy_is_spec_section_3() -> None:
    targets = {code: {t.clock.name: (str(t.within), t.calendar) for t in level.targets}
               for code, level in SLA.levels.items()}
    assert targets["A"]["restore"] == ("2:00:00", "7x24")
    assert targets["B"]["restore"] == ("4:00:00", "7x24")
    assert targets["C"]["reply"] == ("6:00:00", "5x24")
    assert targets["D"]["reply"] == ("1 day, 0:00:00", "5x8")
    assert targets["A"]["incident-report"] == ("2 days, 0:00:00", "7x24")
    assert [level.ladder for level in SLA.levels.values()] == ["fault-level-1", "fault-level-2", "fault-level-3", None]
    assert SLA.ladder_for("C", "complaint").name == "complaint"  # type: ignore[union-attr]
    assert SLA.ladder_for("D", "incident") is None
    steps = [(str(s.after), s.roles) for s in SLA.ladders["fault-level-2"].steps]
    assert steps == [("1:00:00", ("customer-service-engineer",)), ("2:00:00", ("technical-support-supervisor",)),
                     ("4:00:00", ("general-manager",))]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      restore: 2h ", "      restore: 2x ", "policy.yaml:48: levels.A.targets.restore: cannot read duration '2x'"),
        ("    stop: [responded, resolved]", "    stop: [answered]", "clocks.response.stop: unknown event 'answered'"),
        ("    pause: [customer]\n  onsite:", "    pause: [pending]\n  onsite:",
         "clocks.response.pause: 'pending' is not who a case waits for (use customer, vendor)"),
        ("  warn_at: 80%", "  warn_at: 120%", "alerts.warn_at: '120%' must be between 1% and 99%"),
        ("      - {after: 2h, notify: general-manager}\n  fault-level-2:",
         "      - {after: 2h, notify: the-boss}\n  fault-level-2:",
         "ladders.fault-level-1.steps[2].notify: 'the-boss' is not a role under roles"),
        ("      - {after: 1h, notify: technical-support-supervisor}\n      - {after: 2h, notify: general-manager}\n  fault-level-2",
         "      - {after: 1h, notify: general-manager}\n      - {after: 2h, notify: general-manager}\n  fault-level-2",
         "ladders.fault-level-1.steps: general-manager is notified by two steps"),
        ("      depart: 48h", "      depart: 48h\n      lunch: 1h", "levels.D.targets.lunch: no clock 'lunch' under clocks"),
        ("    calendar: 7x24            # 48 hours", "    calendar: 24x7            # 48 hours",
         "clocks.incident-report.calendar: '24x7' is not a calendar under calendars"),
        ('    hours: ["09:00-12:00", "13:00-18:00"]', '    hours: ["09:00-12:00", "11:00-18:00"]',
         "calendars.5x8.hours: 09:00-12:00 overlaps 11:00-18:00"),
    ],
)
def test_policy_errors_are_one_line_naming_the_key(old: str, new: str, message: str) -> None:
    text = default_policy_text()
    assert old in text
    with pytest.raises(RecordError) as error:
        parse_policy(text.replace(old, new, 1))
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_validate_reports_policy_problems(cli: Any) -> None:
    path = cli.repo / "policy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  warn_at: 80%", "  warn_at: soon"), encoding="utf-8")
    done = cli("validate", expect=5)
    assert done.out.startswith("policy.yaml:")
    assert "alerts.warn_at" in done.out


def test_pauses_count_per_clock_and_only_for_whom_it_waits() -> None:
    # Waiting for a vendor 02:10-02:40: the default policy pauses only for the customer.
    vendor = case(pauses=[{"from": t("10-03T02:10"), "until": t("10-03T02:40"), "waiting_on": "vendor"}])
    assert clocks(vendor, "10-03T02:50")["restore"].due_at == when("10-03T04:00")
    customer = case(pauses=[{"from": t("10-03T02:10"), "until": t("10-03T02:40"), "waiting_on": "customer"}])
    found = clocks(customer, "10-03T02:50")
    assert found["restore"].due_at == when("10-03T04:30")
    assert found["restore"].elapsed == timedelta(minutes=20)
    assert found["depart"].state is ClockState.NOT_APPLICABLE  # no pause key, and not dispatched


def test_level_change_recomputes_from_the_report_with_the_pauses() -> None:
    data = case(level="C", opened="11-19T10:15",
                pauses=[{"from": t("11-19T10:30"), "until": t("11-19T10:45"), "waiting_on": "customer"}],
                events=[ev("changed", "11-19T11:05", level={"from": "C", "to": "B"})])
    data["level"] = "B"
    found = clocks(data, "11-19T11:10")
    # B: restore 4h on 7x24 from 10:15, 15 minutes paused -> 14:30.
    assert found["restore"].due_at == when("11-19T14:30")
    assert found["onsite"].state is ClockState.BREACHED  # 30m from 10:15 (+15m pause) = 11:00
    sla = evaluate(facts_of(data), SLA, when("11-19T11:20"))
    assert sla.ladder and sla.ladder.name == "fault-level-2"
    assert [a.key for a in sla.alerts if a.kind is AlertKind.LADDER] == ["ladder/customer-service-engineer"]


def test_reopen_resumes_the_clocks_and_skips_the_time_in_between() -> None:
    data = case(events=[ev("resolved", "10-03T03:00"), ev("reopened", "10-03T05:00")], status="open")
    found = clocks(data, "10-03T05:30")
    # 60m before the resolution, 30m after the reopen; the 2h in between do not count.
    assert found["restore"].elapsed == timedelta(minutes=90)
    assert found["restore"].due_at == when("10-03T06:00")
    assert found["restore"].closed == ((when("10-03T03:00"), when("10-03T05:00")),)
    assert found["incident-report"].state is ClockState.NOT_STARTED  # the restore was undone
    data["events"].append(ev("resolved", "10-03T05:40"))
    again = clocks(data, "10-03T06:00")
    assert again["restore"].state is ClockState.MET
    assert again["incident-report"].start_at == when("10-03T05:40")


def test_progress_clock_restarts_and_judges_every_cycle() -> None:
    data = case(events=[ev("progress", "10-03T03:10"), ev("progress", "10-03T03:50")])
    sla = evaluate(facts_of(data), SLA, when("10-03T04:40"))
    progress = {c.name: c for c in sla.clocks}["progress"]
    # 02:00 -> 03:10 was late (due 03:00); 03:10 -> 03:50 in time; the current cycle is due
    # 04:50 and its warning (48 minutes in) at 04:38.
    assert progress.cycle == 2 and progress.breached_cycles == 1
    assert progress.due_at == when("10-03T04:50")
    assert [a.key for a in sla.alerts if a.subject == "progress"] == [
        "breach/progress@2026-10-03T02:00:00+08:00",
        "warning/progress@2026-10-03T03:50:00+08:00",
    ]


def test_closing_stops_the_clocks_except_the_incident_report() -> None:
    # Issue 14: a clock the customer's early close stopped was never reached: not applicable, never met.
    data = case(level="D", opened="11-20T17:30", status="closed",
                events=[ev("closed", "11-23T09:10", confirmed_by="x")])
    found = clocks(data, "11-30T09:00")
    assert found["reply"].stopped_at == when("11-23T09:10") and found["reply"].state is ClockState.NOT_APPLICABLE
    assert found["response"].state is ClockState.NOT_APPLICABLE  # closed at 09:10, before 09:30
    assert found["response"].note == "not reached: closed before its deadline"
    # Closed after a deadline had passed: that one was breached all the same.
    late = case(level="D", opened="11-20T17:30", status="closed", events=[ev("closed", "11-23T10:00", confirmed_by="x")])
    assert clocks(late, "11-30T09:00")["response"].state is ClockState.BREACHED


def test_complaints_use_the_complaint_ladder_on_working_hours() -> None:
    data = case(level="C", kind="complaint", opened="11-20T17:30")
    sla = evaluate(facts_of(data), SLA, when("11-24T18:00"))
    assert sla.ladder and sla.ladder.name == "complaint"
    # 0m: at once (Friday 17:30, inside working hours); 4h on 5x8: 30m Fri + 3h30m Mon -> 13:30
    # (lunch skipped); 1d: Monday 17:30; 2d: Tuesday 17:30.
    assert [(s.due_at, s.reached) for s in sla.ladder.steps] == [
        (when("11-20T17:30"), True), (when("11-23T13:30"), True), (when("11-23T17:30"), True),
        (when("11-24T17:30"), True),
    ]
    assert sla.alerts[0].label == "reported, not resolved: escalate to customer-service-manager"


def test_an_unknown_year_is_never_guessed_and_stops_only_its_own_clock() -> None:
    # Issue 12 changed this: the clock that needs 2027 is "needs data", with the year and the fix; the
    # other clocks of the case are computed (before, the whole case raised MissingYear).
    data = case(level="D", opened="12-31T17:30")
    sla = evaluate(facts_of(data), SLA, datetime(2027, 1, 4, 10, 0, tzinfo=SH))
    found = {c.name: c for c in sla.clocks}
    # response 1h on 5x8 from Thu 17:30: 30m on 12-31, then 2027, of which nothing is known.
    for name in ("response", "reply"):
        assert found[name].state is ClockState.NEEDS_DATA
        assert found[name].needs_year == 2027 and found[name].due_at is None
        assert "no official working days for 2027" in found[name].note
        assert "casefile calendar import-notice" in found[name].fix
    assert found["depart"].state is ClockState.NOT_APPLICABLE
    assert sorted(a.key for a in sla.alerts) == ["uncomputable/reply/2027", "uncomputable/response/2027"]
    # At 17:50 on 12-31 the response deadline still needs 2027, but it is known not to be overdue yet.
    early = clocks(data, "12-31T17:50")["response"]
    assert early.state is ClockState.NEEDS_DATA and early.elapsed == timedelta(minutes=20)


def test_working_day_steps_and_a_stop_inside_the_year_without_data() -> None:
    # A complaint on Wed 12-30 14:00 (the complaint ladder on 5x8: 0m, 4h, 1d, 2d): 0m at once; 4h is
    # 14:00-18:00 the same day; 1d is Thu 12-31 14:00; 2d is the second working day after 12-30: in 2027,
    # not known yet.
    data = case(level="C", kind="complaint", opened="12-30T14:00")
    sla = evaluate(facts_of(data), SLA, when("12-31T15:00"))
    assert sla.ladder is not None
    assert [(s.due_at, s.reached, s.needs_year) for s in sla.ladder.steps] == [
        (when("12-30T14:00"), True, None), (when("12-30T18:00"), True, None), (when("12-31T14:00"), True, None),
        (None, False, 2027)]
    assert "uncomputable/ladder/2027" in {a.key for a in sla.alerts}
    # Resolved on 12-31: the ladder stopped before the 2d step, which then needs nothing more.
    resolved = case(level="C", kind="complaint", opened="12-30T14:00",
                    events=[ev("resolved", "12-31T16:00")], status="resolved")
    done = evaluate(facts_of(resolved), SLA, when("12-31T17:00"))
    assert done.ladder is not None and [s.needs_year for s in done.ladder.steps] == [None] * 4
    assert not [a for a in done.alerts if a.kind is AlertKind.UNCOMPUTABLE]
    # A first response given on 2027-01-04, with no 2027 data: whether it was in time cannot be known.
    late = case(level="D", opened="12-31T17:30", events=[ev("responded", "12-31T17:45")])
    late["events"][-1]["at"] = "2027-01-04T09:10:00+08:00"
    found = {c.name: c for c in evaluate(facts_of(late), SLA, datetime(2027, 1, 4, 10, tzinfo=SH)).clocks}
    response = found["response"]
    assert response.state is ClockState.NEEDS_DATA and response.stopped_at is not None
    assert response.needs_year == 2027 and response.due_at is None
