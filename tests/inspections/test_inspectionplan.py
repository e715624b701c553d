"""Which inspections are due or overdue, and which planned records are missing (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from casefile.inspections.plan import (
    InspectionPlan,
    due_inspections,
    periods_to_plan,
    planned_record,
)
from casefile.worktime.cadence import Cadence, Period

QUARTERLY = InspectionPlan(
    Cadence.parse("quarterly"), since=date(2026, 10, 1), lead_days=14, inspector="zhao.lei"
)


def _states(today: date, records: list[dict[str, Any]] | None = None) -> list[tuple[str, str, int]]:
    return [
        (d.inspection_id, str(d.state), d.days_overdue)
        for d in due_inspections({"acme-sz": QUARTERLY}, records or [], today)
    ]


def test_a_quarterly_inspection_is_due_in_its_quarter_and_overdue_after_it() -> None:
    # Q4 is planned on 2026-10-01 and due by 2026-12-31; Q1 2027 is reported 14 days
    # before its planned day 2027-01-01, i.e. from 2026-12-18.
    assert _states(date(2026, 10, 1)) == [("acme-sz-2026-Q4", "due", 0)]
    assert _states(date(2026, 12, 17)) == [("acme-sz-2026-Q4", "due", 0)]
    assert _states(date(2026, 12, 18)) == [("acme-sz-2026-Q4", "due", 0), ("acme-sz-2027-Q1", "due", 0)]
    # 2027-01-03 is three days past 2026-12-31: overdue first.
    assert _states(date(2027, 1, 3)) == [("acme-sz-2026-Q4", "overdue", 3), ("acme-sz-2027-Q1", "due", 0)]


def test_a_done_or_cancelled_inspection_is_no_longer_due() -> None:
    done = {"id": "acme-sz-2026-Q4", "status": "done"}
    assert _states(date(2027, 1, 3), [done]) == [("acme-sz-2027-Q1", "due", 0)]
    cancelled = {"id": "acme-sz-2026-Q4", "status": "cancelled"}
    assert _states(date(2027, 1, 3), [cancelled]) == [("acme-sz-2027-Q1", "due", 0)]
    planned = {"id": "acme-sz-2026-Q4", "status": "planned"}
    assert [
        d.planned_record for d in due_inspections({"acme-sz": QUARTERLY}, [planned], date(2026, 11, 1))
    ] == [True]


def test_nothing_is_due_before_the_plan_starts_its_reminders() -> None:
    late = InspectionPlan(Cadence.parse("quarterly"), since=date(2027, 1, 1), lead_days=14)
    assert due_inspections({"x": late}, [], date(2026, 12, 17)) == []
    assert [d.inspection_id for d in due_inspections({"x": late}, [], date(2026, 12, 18))] == ["x-2027-Q1"]


def test_a_pattern_plan_with_grace_days() -> None:
    # Second Monday of November 2026 is the 9th; with 3 grace days it is overdue from the 13th.
    plan = InspectionPlan(
        Cadence.parse("second Monday of each month"), date(2026, 11, 1), lead_days=7, grace_days=3
    )
    assert [(d.state, d.due_by) for d in due_inspections({"m": plan}, [], date(2026, 11, 1))] == []
    assert [(str(d.state), d.due_by) for d in due_inspections({"m": plan}, [], date(2026, 11, 2))] == [
        ("due", date(2026, 11, 12))
    ]
    assert [(str(d.state), d.days_overdue) for d in due_inspections({"m": plan}, [], date(2026, 11, 13))] == [
        ("overdue", 1)
    ]


def test_a_plan_starting_mid_period_plans_that_period_from_its_first_day() -> None:
    plan = InspectionPlan(Cadence.parse("quarterly"), date(2026, 11, 20), lead_days=0)
    window = plan.window(Period.parse("2026-Q4"))
    assert (window.planned_on, window.due_by) == (date(2026, 11, 20), date(2026, 12, 31))


def test_missing_planned_records_and_their_content_depend_only_on_the_plan() -> None:
    today = date(2026, 12, 20)
    missing = periods_to_plan({"acme-sz": QUARTERLY}, [{"id": "acme-sz-2026-Q4", "status": "planned"}], today)
    assert [(c, w.period.key) for c, w in missing] == [("acme-sz", "2027-Q1")]
    record = planned_record("acme-sz", QUARTERLY, missing[0][1])
    assert record == {
        "id": "acme-sz-2027-Q1",
        "customer": "acme-sz",
        "status": "planned",
        "period": "2027-Q1",
        "planned_on": "2027-01-01",
        "due_by": "2027-03-31",
        "inspector": "zhao.lei",
    }
    # Another day (another clone, another run) gives the same record.
    assert (
        planned_record(
            "acme-sz", QUARTERLY, periods_to_plan({"acme-sz": QUARTERLY}, [], date(2027, 2, 1))[1][1]
        )
        == record
    )
