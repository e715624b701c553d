"""Inspections: plan, schedule, record, cancel, list, show, and what is due.

`due` and `schedule` are what `casefile check` calls: the first says which
inspections are due or overdue now; the second creates the planned inspection
records that are missing, in one commit, and does nothing when they exist — so
running it twice, or on two clones, gives one record per customer and period
(the planned file's path and bytes depend only on the plan and the period).
Recording a visit that replaced equipment changes the customer's asset list in
the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile.records import yamlio
from casefile.customers.assets import EquipmentChange, apply_changes
from casefile.worktime.cadence import Cadence, Period
from casefile.index.catalog import CaseEntry, read_record_file
from casefile.inspections.checklists import checklists_from_policy, fill, pick_checklist
from casefile.customers.model import CUSTOMERS_DIR, CustomerNotFound, customer_path, customer_problems, require_customer
from casefile.customers.model import FIELD_ORDER as CUSTOMER_ORDER
from casefile.desk import Desk
from casefile.errors import CasefileError
from casefile.records.fieldorder import set_in_order
from casefile.inspections.model import (
    CLOSED_STATUSES,
    FIELD_ORDER,
    INSPECTIONS_DIR,
    CheckResult,
    InspectionNotFound,
    InspectionStatus,
    find_inspection_file,
    inspection_id,
    inspection_path,
    inspection_problems,
)
from casefile.inspections.plan import (
    InspectionDefaults,
    InspectionDue,
    InspectionPlan,
    due_inspections,
    inspection_defaults,
    periods_to_plan,
    plan_of,
    planned_record,
)
from casefile.policy.people import check_handle
from casefile.records.file import EditableRecord
from casefile.records.change import Done, commit_message, done, open_committed, raise_problems
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError


@dataclass(frozen=True)
class PlanRequest:
    cadence: str | None = None
    since: date | None = None
    lead_days: int | None = None
    grace_days: int | None = None
    checklist: str | None = None
    inspector: str | None = None


@dataclass(frozen=True)
class Visit:
    """What `inspect record` is told about a visit."""

    customer: str
    inspected_on: date
    inspector: str
    period: str | None = None
    work_order: str | None = None
    checks: tuple[tuple[str, CheckResult, str], ...] = ()
    rest: CheckResult = CheckResult.NOT_CHECKED
    findings: str | None = None
    suggestions: str | None = None
    training: str | None = None
    summary: str | None = None
    changes: tuple[EquipmentChange, ...] = ()
    notes: str = ""


def _trailers(ident: str, customer: str) -> dict[str, str]:
    return {"Casefile-Inspection": ident, "Casefile-Customer": customer}


class InspectionWork:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.catalog = desk.catalog

    # -- reading ---------------------------------------------------------------

    @property
    def defaults(self) -> InspectionDefaults:
        return inspection_defaults(self.desk.policy.raw)

    def _skip(self, error: RecordError) -> None:
        self.desk.notes(f"skipped {error}")

    def plans(self) -> dict[str, InspectionPlan]:
        """Every customer's plan; a plan that cannot be read is reported and left out."""
        plans = {}
        defaults = self.defaults
        for entry in self.catalog.records(CUSTOMERS_DIR, self._skip):
            try:
                plan = plan_of(entry.data, defaults)
            except CasefileError as error:
                self.desk.notes(f"skipped the inspection plan of {entry.path}: {error}")
                continue
            if plan is not None:
                plans[str(entry.data.get("id"))] = plan
        return plans

    def records(self) -> list[CaseEntry]:
        return list(self.catalog.records(INSPECTIONS_DIR, self._skip))

    def entry(self, ident: str) -> CaseEntry:
        return read_record_file(self.desk.root, self.desk.root / find_inspection_file(self.desk.root, ident))

    def listing(self, customer: str | None = None, statuses: frozenset[str] = frozenset()) -> list[CaseEntry]:
        rows = [
            e
            for e in self.records()
            if (customer is None or e.data.get("customer") == customer)
            and (not statuses or e.data.get("status") in statuses)
        ]
        rows.sort(
            key=lambda e: (
                str(e.data.get("inspected_on") or e.data.get("planned_on") or ""),
                str(e.data.get("id")),
            )
        )
        return rows

    def due(self) -> list[InspectionDue]:
        """Inspections due or overdue today (the desk's clock), overdue first."""
        return due_inspections(self.plans(), (e.data for e in self.records()), self.desk.now().date())

    # -- the plan ----------------------------------------------------------------

    def plan(self, customer_id: str, request: PlanRequest) -> Done:
        """Set a customer's plan; the planned inspections already due are created in the same commit."""
        ident = require_customer(self.desk.root, customer_id)
        today = self.desk.now().date()
        defaults = self.defaults
        cadence = Cadence.parse(request.cadence) if request.cadence else defaults.cadence
        if request.inspector:
            self.desk.people.get(check_handle(request.inspector))
        if request.checklist:
            pick_checklist(checklists_from_policy(self.desk.policy.raw), request.checklist)
        plan = InspectionPlan(
            cadence=cadence,
            since=request.since or today,
            lead_days=request.lead_days if request.lead_days is not None else defaults.lead_days,
            grace_days=request.grace_days,
            checklist=request.checklist,
            inspector=request.inspector,
        )
        actor = self.desk.actor
        path = customer_path(ident)

        def body(txn: Transaction) -> Done:
            record = open_committed(txn, path, CustomerNotFound(ident))
            set_in_order(record.data, "inspection_plan", yamlio.new_map(plan.as_map()), CUSTOMER_ORDER)
            calendars = list(self.desk.policy.raw.get("calendars") or {})
            raise_problems(record, customer_problems(record.data, ident, calendars))
            created = [str(d["id"]) for d in self.write_planned(txn, today, {ident: plan})]
            when = self.desk.now()
            text = record.render()
            txn.write(path, text)
            detail = f"Planned inspections created: {', '.join(created)}." if created else None
            message = commit_message(
                f"{ident}: inspection plan {cadence.text} from {plan.since}",
                "inspect-plan",
                {"Casefile-Customer": ident},
                detail,
            )
            notes = tuple(f"planned inspection {c}" for c in created)
            return done(path, text, message, txn.commit(message, self.desk.author(actor), when), notes)

        return self.desk.mutate(body)

    def write_planned(
        self, txn: Transaction, today: date, plans: dict[str, InspectionPlan] | None = None
    ) -> list[dict[str, Any]]:
        """Write into `txn` every missing planned inspection of `plans` (default: all) due by `today`."""
        plans = self.plans() if plans is None else plans
        written = []
        for customer, window in periods_to_plan(plans, (e.data for e in self.records()), today):
            data = planned_record(customer, plans[customer], window)
            path = inspection_path(data["id"])
            assert path is not None
            if txn.committed(path) is not None:
                continue  # another clone's planned record arrived meanwhile: the same file
            record = EditableRecord.new(path, data, "")
            raise_problems(record, inspection_problems(data, data["id"]))
            txn.write(path, record.render())
            written.append(data)
        return written

    def schedule(self) -> Done | None:
        """Create every missing planned inspection that is due or overdue today; None when there is none.

        Idempotent: a second run finds the files and commits nothing.  The files
        carry no time or author, so two clones create identical files.
        """
        today = self.desk.now().date()
        plans = self.plans()
        if not periods_to_plan(plans, (e.data for e in self.records()), today):
            return None
        actor = self.desk.actor

        def body(txn: Transaction) -> Done | None:
            created = [str(d["id"]) for d in self.write_planned(txn, today, plans)]
            if not created:
                return None
            when = self.desk.now()
            first = inspection_path(created[0])
            assert first is not None
            subject = (
                f"{created[0]}: planned inspection"
                if len(created) == 1
                else f"plan {len(created)} inspections"
            )
            message = commit_message(
                subject,
                "inspect-schedule",
                {"Casefile-Inspections": ", ".join(created)},
                "Planned: " + ", ".join(created) + ".",
            )
            commit = txn.commit(message, self.desk.author(actor), when)
            text = (self.desk.root / first).read_text(encoding="utf-8")
            return done(first, text, message, commit, tuple(f"planned inspection {c}" for c in created))

        return self.desk.mutate(body)

    # -- the visit ---------------------------------------------------------------

    def record(self, visit: Visit) -> Done:
        """Record a visit: fill the planned inspection of its period (or a new one) and update the assets."""
        customer = require_customer(self.desk.root, visit.customer)
        inspector = self.desk.people.get(check_handle(visit.inspector)).handle
        today = self.desk.now().date()
        if visit.inspected_on > today:
            raise CasefileError(
                f"the inspection date {visit.inspected_on} is in the future (today is {today})",
                "record a visit once it has happened; planned visits come from `casefile inspect plan`",
            )
        plan = plan_of(self.entry_of_customer(customer), self.defaults)
        ident, fresh = self._target(customer, plan, visit)
        path = inspection_path(ident)
        assert path is not None
        checklists = checklists_from_policy(self.desk.policy.raw)
        actor = self.desk.actor

        def body(txn: Transaction) -> Done:
            content = txn.committed(path)
            if content is None:
                record = EditableRecord.new(path, fresh, "")
            else:
                record = EditableRecord.parse(content.decode("utf-8"), path)
                if record.data.get("status") in CLOSED_STATUSES:
                    raise CasefileError(
                        f"inspection {ident} is {record.data.get('status')} already",
                        "give the visit's own date, or --period for another period",
                    )
            data = record.data
            checklist = pick_checklist(
                checklists, data.get("checklist_name") or (plan.checklist if plan else None)
            )
            when = self.desk.now()
            on = visit.inspected_on.isoformat()
            fields: dict[str, Any] = {
                "status": str(InspectionStatus.DONE),
                "inspector": inspector,
                "checklist_name": checklist.name,
                "inspected_on": on,
                "work_order": visit.work_order,
                "checklist": [yamlio.new_map(row) for row in fill(checklist, list(visit.checks), visit.rest)],
                "findings": visit.findings,
                "suggestions": visit.suggestions,
                "training": visit.training,
                "summary": visit.summary,
                "recorded_by": actor.handle,
                "recorded_at": self.desk.stamp(when),
            }
            extra = self._change_assets(txn, customer, visit.changes, on) if visit.changes else None
            if extra is not None:
                fields["equipment"] = [yamlio.new_map(e) for e in extra[2]]
            for key, value in fields.items():
                if value not in (None, ""):
                    set_in_order(data, key, value, FIELD_ORDER)
            notes = visit.notes.strip()
            if notes:
                record.body = (
                    (record.body.rstrip("\n") + "\n\n" if record.body.strip() else "") + notes + "\n"
                )
            raise_problems(record, inspection_problems(data, ident))
            text = record.render()
            txn.write(path, text)
            if extra is not None:
                txn.write(extra[0], extra[1])
            changed = f"; {len(visit.changes)} equipment change(s)" if visit.changes else ""
            message = commit_message(
                f"{ident}: inspection done on {on} by {inspector}{changed}",
                "inspect-record",
                _trailers(ident, customer),
                visit.findings,
            )
            return done(path, text, message, txn.commit(message, self.desk.author(actor), when))

        return self.desk.mutate(body)

    def default_inspector(self, customer: str) -> str:
        """The plan's inspector, else the person acting."""
        plan = plan_of(self.entry_of_customer(require_customer(self.desk.root, customer)), self.defaults)
        return plan.inspector if plan is not None and plan.inspector else self.desk.actor.handle

    def entry_of_customer(self, customer: str) -> dict[str, Any]:
        return read_record_file(self.desk.root, self.desk.root / customer_path(customer)).data

    def _target(self, customer: str, plan: InspectionPlan | None, visit: Visit) -> tuple[str, dict[str, Any]]:
        """The id of the inspection a visit fills, and the record to start from if it does not exist."""
        if visit.period:
            period = Period.parse(visit.period)
            if plan is not None and period.unit is not plan.cadence.unit:
                raise CasefileError(
                    f"{period.key} is not a period of {customer}'s plan ({plan.cadence.text})",
                    f"e.g. {plan.cadence.period_of(visit.inspected_on).key}",
                )
            if visit.inspected_on < period.start:
                raise CasefileError(
                    f"the inspection date {visit.inspected_on} is before the period {period.key}"
                )
        elif plan is not None:
            period = plan.cadence.period_of(visit.inspected_on)
        else:
            return self._unplanned(customer, visit.inspected_on)
        ident = inspection_id(customer, period.key)
        existing = self._status_of(ident)
        if existing in CLOSED_STATUSES and not visit.period:
            return self._unplanned(customer, visit.inspected_on)  # an extra visit in a period already done
        if plan is not None:
            return ident, planned_record(customer, plan, plan.window(period))
        return ident, {
            "id": ident,
            "customer": customer,
            "status": str(InspectionStatus.PLANNED),
            "period": period.key,
        }

    def _unplanned(self, customer: str, on: date) -> tuple[str, dict[str, Any]]:
        ident = inspection_id(customer, on.isoformat())
        if self._status_of(ident) is not None:
            raise CasefileError(
                f"an inspection of {customer} on {on} is recorded already ({ident})",
                f"see it with: casefile inspect show {ident}",
            )
        return ident, {"id": ident, "customer": customer, "status": str(InspectionStatus.PLANNED)}

    def _status_of(self, ident: str) -> str | None:
        path = inspection_path(ident)
        if path is None or not (self.desk.root / path).is_file():
            return None
        return str(read_record_file(self.desk.root, self.desk.root / path).data.get("status"))

    def _change_assets(
        self, txn: Transaction, customer: str, changes: tuple[EquipmentChange, ...], on: str
    ) -> tuple[str, str, list[dict[str, str]]]:
        """Apply equipment changes to the customer's file: (path, new text, entries for the inspection)."""
        path = customer_path(customer)
        record = open_committed(txn, path, CustomerNotFound(customer))
        if not isinstance(record.data.get("assets"), list):
            set_in_order(record.data, "assets", [], CUSTOMER_ORDER)
        entries = apply_changes(record.data["assets"], changes, on, customer)
        calendars = list(self.desk.policy.raw.get("calendars") or {})
        raise_problems(record, customer_problems(record.data, customer, calendars))
        return path, record.render(), entries

    def cancel(self, ident: str, reason: str) -> Done:
        if not reason.strip():
            raise CasefileError("the reason is empty", "say why with --reason")
        path = find_inspection_file(self.desk.root, ident)
        actor = self.desk.actor

        def body(txn: Transaction) -> Done:
            record = open_committed(txn, path, InspectionNotFound(ident))
            status = record.data.get("status")
            if status in CLOSED_STATUSES:
                raise CasefileError(f"inspection {ident} is {status} already")
            when = self.desk.now()
            set_in_order(record.data, "status", str(InspectionStatus.CANCELLED), FIELD_ORDER)
            set_in_order(record.data, "findings", reason.strip(), FIELD_ORDER)
            set_in_order(record.data, "recorded_by", actor.handle, FIELD_ORDER)
            set_in_order(record.data, "recorded_at", self.desk.stamp(when), FIELD_ORDER)
            raise_problems(record, inspection_problems(record.data, ident))
            text = record.render()
            txn.write(path, text)
            message = commit_message(
                f"{ident}: inspection cancelled",
                "inspect-cancel",
                _trailers(ident, str(record.data.get("customer"))),
                reason,
            )
            return done(path, text, message, txn.commit(message, self.desk.author(actor), when))

        return self.desk.mutate(body)
