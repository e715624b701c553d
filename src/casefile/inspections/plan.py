"""A customer's inspection plan, and which inspections are due or overdue.

The plan lives in the customer's file (`inspection_plan:`): a cadence (default
from the policy: quarterly, seed 001), the day it starts, how many days before
the planned day an inspection is reported due (`lead_days`), and optionally
how many days after it it becomes overdue (`grace_days`; without it, an
inspection is overdue after the last day of its period — "at least once a
quarter").  The checklist and the usual inspector may be named too.

`due_inspections` and `periods_to_plan` are the seams `casefile check` calls:
pure functions of the plans, the inspection records and today's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from casefile.errors import CasefileError
from casefile.inspections.model import CLOSED_STATUSES, InspectionStatus, inspection_id
from casefile.policy.inspections import DEFAULT_LEAD_DAYS, InspectionDefaults
from casefile.records.problems import Checker, Problem
from casefile.values import Struct
from casefile.worktime.cadence import BadCadence, Cadence, Period
from casefile.i18n import _

PLAN_KEYS = ("cadence", "since", "lead_days", "grace_days", "checklist", "inspector")


class Window(Struct, frozen=True):
    """When one period's inspection is planned, reported due, and overdue."""

    period: Period
    planned_on: date
    due_by: date  # the last day it may be done on time
    remind_from: date

    def state(self, today: date) -> DueState | None:
        if today > self.due_by:
            return DueState.OVERDUE
        if today >= self.remind_from:
            return DueState.DUE
        return None


class DueState(StrEnum):
    DUE = "due"
    OVERDUE = "overdue"


class InspectionPlan(Struct, frozen=True):
    cadence: Cadence
    since: date
    lead_days: int = DEFAULT_LEAD_DAYS
    grace_days: int | None = None
    checklist: str | None = None
    inspector: str | None = None

    def window(self, period: Period) -> Window:
        planned = max(self.cadence.planned_on(period), self.since)
        due_by = planned + timedelta(days=self.grace_days) if self.grace_days is not None else period.end
        return Window(period, planned, max(due_by, planned), planned - timedelta(days=self.lead_days))

    def periods(self, until: date) -> Iterator[Period]:
        """Every period from the one the plan starts in to the one containing `until`."""
        period = self.cadence.period_of(self.since)
        while period.start <= until:
            yield period
            period = period.next()

    def as_map(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "cadence": self.cadence.text,
            "since": self.since.isoformat(),
            "lead_days": self.lead_days,
        }
        if self.grace_days is not None:
            data["grace_days"] = self.grace_days
        if self.checklist:
            data["checklist"] = self.checklist
        if self.inspector:
            data["inspector"] = self.inspector
        return data


def plan_of(customer: Mapping[str, Any], defaults: InspectionDefaults) -> InspectionPlan | None:
    """The customer's plan, or None; raises CasefileError if it cannot be read."""
    raw = customer.get("inspection_plan")
    if raw is None:
        return None
    problems = plan_problems(raw)
    if problems:
        raise CasefileError(
            _("customer {get}: {message}").format(get=customer.get('id'), message=problems[0].message), _("fix it with `casefile inspect plan`")
        )
    return InspectionPlan(
        cadence=Cadence.parse(str(raw.get("cadence") or defaults.cadence.text)),
        since=date.fromisoformat(str(raw["since"])),
        lead_days=int(raw.get("lead_days", defaults.lead_days)),
        grace_days=int(raw["grace_days"]) if raw.get("grace_days") is not None else None,
        checklist=str(raw["checklist"]) if raw.get("checklist") else None,
        inspector=str(raw["inspector"]) if raw.get("inspector") else None,
    )


def plan_problems(raw: Any) -> list[Problem]:
    c = Checker()
    where = ("inspection_plan",)
    if not isinstance(raw, dict):
        c.add(where, _("inspection_plan must be a mapping with cadence and since"))
        return c.problems
    if raw.get("cadence") is not None:
        try:
            Cadence.parse(str(raw["cadence"]))
        except BadCadence as error:
            c.add((*where, "cadence"), _("inspection_plan.cadence: {message}").format(message=error.message))
    try:
        date.fromisoformat(str(raw.get("since")))
    except ValueError:
        c.add((*where, "since"), _("inspection_plan.since {since!r} is not a date like 2026-10-01").format(since=raw.get('since')))
    for key in ("lead_days", "grace_days"):
        value = raw.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            c.add((*where, key), _("inspection_plan.{key} must be a whole number of days, 0 or more").format(key=key))
    for key in ("checklist", "inspector"):
        c.text(raw, key, where)
    return c.problems


class InspectionDue(Struct, frozen=True):
    """An inspection that is due or overdue today, for `check` and `inspect due`."""

    customer: str
    inspection_id: str
    period: str
    planned_on: date
    due_by: date
    state: DueState
    planned_record: bool  # the planned inspection file exists
    days_overdue: int

    def as_json(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "inspection": self.inspection_id,
            "period": self.period,
            "planned_on": self.planned_on.isoformat(),
            "due_by": self.due_by.isoformat(),
            "state": str(self.state),
            "planned_record": self.planned_record,
            "days_overdue": self.days_overdue,
        }


def _by_id(inspections: Iterable[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    return {str(data.get("id")): data for data in inspections}


def open_windows(
    plan: InspectionPlan, customer: str, records: Mapping[str, Mapping[str, Any]], today: date
) -> Iterator[tuple[str, Window]]:
    """Periods whose reminder has started and whose inspection is not done, oldest first."""
    for period in plan.periods(today + timedelta(days=plan.lead_days)):
        window = plan.window(period)
        ident = inspection_id(customer, period.key)
        record = records.get(ident)
        if record is not None and record.get("status") in CLOSED_STATUSES:
            continue
        if window.state(today) is not None:
            yield ident, window


def due_inspections(
    plans: Mapping[str, InspectionPlan], inspections: Iterable[Mapping[str, Any]], today: date
) -> list[InspectionDue]:
    """Every planned inspection that is due or overdue on `today`, overdue first, then by due date."""
    records = _by_id(inspections)
    result = []
    for customer, plan in sorted(plans.items()):
        for ident, window in open_windows(plan, customer, records, today):
            state = window.state(today)
            assert state is not None
            result.append(
                InspectionDue(
                    customer,
                    ident,
                    window.period.key,
                    window.planned_on,
                    window.due_by,
                    state,
                    ident in records,
                    max(0, (today - window.due_by).days),
                )
            )
    result.sort(key=lambda due: (due.state is not DueState.OVERDUE, due.due_by, due.customer))
    return result


def periods_to_plan(
    plans: Mapping[str, InspectionPlan], inspections: Iterable[Mapping[str, Any]], today: date
) -> list[tuple[str, Window]]:
    """(customer, window) of every due or overdue inspection that has no planned record yet."""
    records = _by_id(inspections)
    return [
        (customer, window)
        for customer, plan in sorted(plans.items())
        for ident, window in open_windows(plan, customer, records, today)
        if ident not in records
    ]


def planned_record(customer: str, plan: InspectionPlan, window: Window) -> dict[str, Any]:
    """The front matter of a planned inspection: only what the plan says, so every clone writes the same."""
    data: dict[str, Any] = {
        "id": inspection_id(customer, window.period.key),
        "customer": customer,
        "status": str(InspectionStatus.PLANNED),
        "period": window.period.key,
        "planned_on": window.planned_on.isoformat(),
        "due_by": window.due_by.isoformat(),
    }
    if plan.inspector:
        data["inspector"] = plan.inspector
    if plan.checklist:
        data["checklist_name"] = plan.checklist
    return data
