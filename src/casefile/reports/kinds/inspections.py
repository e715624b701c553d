"""Inspections (巡检, seed 001/004): planned against done per customer and quarter, overdue, findings.

Pure.  The fields read, as issue 4 writes them (README "Inspection"): `id`,
`customer`, `status` (planned | done | cancelled), `period`, `planned_on`,
`due_by`, `inspected_on`, `inspector`, `work_order`, `findings`,
`suggestions`, `checklist` (items with `item`, `result`, `note`).

An inspection belongs to the report when it was planned for, or done in, the
period; every inspection overdue at the report's time is listed too (overdue
= not done or cancelled, and its `due_by` — else the end of its planned
quarter — has passed; "Overdue inspections are reported like SLA breaches").
The quarter of an inspection is that of its planned day, else of the visit.
Checklist items whose result is neither `ok` nor `n/a` are findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from casefile.records.kinds import INSPECTIONS
from casefile.reports.period import Period, quarter_of
from casefile.values import Struct

QUIET_RESULTS = frozenset({"ok", "n/a", "not-checked", None, ""})


class CheckItem(Struct, frozen=True):
    item: str
    result: str
    note: str | None


class InspectionRow(Struct, frozen=True):
    id: str
    customer: str | None
    status: str
    quarter: str | None
    period: str | None
    planned_on: date | None
    due_by: date | None
    inspected_on: date | None
    inspector: str | None
    work_order: str | None
    overdue: bool
    days_overdue: int | None
    findings: str | None
    suggestions: str | None
    attention: tuple[CheckItem, ...]


class QuarterRow(Struct, frozen=True):
    customer: str | None
    quarter: str
    planned: int
    done: int
    done_unplanned: int
    cancelled: int
    overdue: int


class InspectionStatus(Struct, frozen=True):
    today: date
    planned: int
    done: int
    overdue: int
    grid: tuple[QuarterRow, ...]
    inspections: tuple[InspectionRow, ...]
    overdue_list: tuple[InspectionRow, ...]


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3 + 1) * 3
    following = date(day.year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value).strip() if value not in (None, "") else None


def row_of(path: str, data: Mapping[str, Any], today: date) -> InspectionRow:
    planned, done_on = _day(data.get("planned_on")), _day(data.get("inspected_on"))
    status = str(data.get("status") or ("done" if done_on else "planned"))
    if done_on and status == "planned":
        status = "done"
    due = _day(data.get("due_by")) or (_quarter_end(planned) if planned else None)
    overdue = status == "planned" and due is not None and due < today
    checklist = data.get("checklist") if isinstance(data.get("checklist"), list) else []
    attention = tuple(
        CheckItem(str(item.get("item") or item.get("key") or "?"), str(item.get("result")), _text(item, "note"))
        for item in checklist or []
        if isinstance(item, Mapping) and item.get("result") not in QUIET_RESULTS
    )
    anchor = planned or done_on
    return InspectionRow(
        id=str(data.get("id") or INSPECTIONS.id_of(path)),
        customer=_text(data, "customer"),
        status=status,
        quarter=quarter_of(anchor) if anchor else None,
        period=_text(data, "period"),
        planned_on=planned,
        due_by=due,
        inspected_on=done_on,
        inspector=_text(data, "inspector"),
        work_order=_text(data, "work_order"),
        overdue=overdue,
        days_overdue=(today - due).days if overdue and due else None,
        findings=_text(data, "findings"),
        suggestions=_text(data, "suggestions"),
        attention=attention,
    )


def _grid(rows: Sequence[InspectionRow]) -> tuple[QuarterRow, ...]:
    keys = sorted({(r.customer or "", r.quarter or "") for r in rows})
    grid = []
    for customer, quarter in keys:
        mine = [r for r in rows if (r.customer or "") == customer and (r.quarter or "") == quarter]
        grid.append(QuarterRow(
            customer=customer or None,
            quarter=quarter,
            planned=sum(1 for r in mine if r.planned_on and r.status != "cancelled"),
            done=sum(1 for r in mine if r.status == "done"),
            done_unplanned=sum(1 for r in mine if r.status == "done" and not r.planned_on),
            cancelled=sum(1 for r in mine if r.status == "cancelled"),
            overdue=sum(1 for r in mine if r.overdue),
        ))
    return tuple(grid)


def build(period: Period, records: Sequence[tuple[str, Mapping[str, Any]]], today: date) -> InspectionStatus:
    rows = [row_of(path, data, today) for path, data in records]
    chosen = [
        r for r in rows
        if (r.planned_on and period.contains_day(r.planned_on))
        or (r.inspected_on and period.contains_day(r.inspected_on))
        or r.overdue
    ]
    chosen.sort(key=lambda r: (r.customer or "", r.planned_on or r.inspected_on or date.max, r.id))
    overdue = sorted((r for r in chosen if r.overdue), key=lambda r: (-(r.days_overdue or 0), r.id))
    return InspectionStatus(
        today=today,
        planned=sum(1 for r in chosen if r.planned_on and r.status != "cancelled"),
        done=sum(1 for r in chosen if r.status == "done"),
        overdue=len(overdue),
        grid=_grid(chosen),
        inspections=tuple(chosen),
        overdue_list=tuple(overdue),
    )
