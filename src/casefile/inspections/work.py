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

from collections import Counter
from datetime import date, datetime, time
from typing import Any

from casefile.cases.listing import CaseFilter, select
from casefile.customers.assets import EquipmentChange, apply_changes
from casefile.customers.model import CUSTOMERS_DIR, CustomerNotFound, customer_path, require_customer
from casefile.customers.model import FIELD_ORDER as CUSTOMER_ORDER
from casefile.errors import CasefileError
from casefile.inspections.checklists import fill
from casefile.inspections.model import (
    CLOSED_STATUSES,
    FIELD_ORDER,
    INSPECTIONS_DIR,
    RESULT_LABELS_ZH,
    CheckResult,
    InspectionNotFound,
    InspectionStatus,
    find_inspection_file,
    inspection_id,
    inspection_path,
)
from casefile.inspections.plan import (
    InspectionDefaults,
    InspectionDue,
    InspectionPlan,
    due_inspections,
    periods_to_plan,
    plan_of,
    planned_record,
)
from casefile.policy.inspections import pick_checklist
from casefile.policy.people import check_handle
from casefile.records import yamlio
from casefile.records.change import Change, CommitMessage, Done, done
from casefile.records.fieldorder import set_in_order
from casefile.records.file import EditableRecord, RecordEntry, read_record_file
from casefile.records.kinds import CUSTOMERS, INSPECTIONS
from casefile.records.transaction import Transaction
from casefile.records.yamlio import RecordError
from casefile.render.cells import minute
from casefile.session import Edit, Session
from casefile.values import Struct
from casefile.worktime.cadence import Cadence, Period
from casefile.i18n import _


class PlanRequest(Struct, frozen=True):
    cadence: str | None = None
    since: date | None = None
    lead_days: int | None = None
    grace_days: int | None = None
    checklist: str | None = None
    inspector: str | None = None


class Visit(Struct, frozen=True):
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


class InspectionWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = session.catalog

    # -- reading ---------------------------------------------------------------

    @property
    def defaults(self) -> InspectionDefaults:
        return self.session.policy.inspections.defaults

    def _skip(self, error: RecordError) -> None:
        self.session.notes(_("skipped {error}").format(error=error))

    def plans(self) -> dict[str, InspectionPlan]:
        """Every customer's plan; a plan that cannot be read is reported and left out."""
        plans = {}
        defaults = self.defaults
        for entry in self.catalog.records(CUSTOMERS_DIR, self._skip):
            try:
                plan = plan_of(entry.data, defaults)
            except CasefileError as error:
                self.session.notes(_("skipped the inspection plan of {path}: {error}").format(path=entry.path, error=error))
                continue
            if plan is not None:
                plans[str(entry.data.get("id"))] = plan
        return plans

    def records(self) -> list[RecordEntry]:
        return list(self.catalog.records(INSPECTIONS_DIR, self._skip))

    def entry(self, ident: str) -> RecordEntry:
        return read_record_file(self.session.root, self.session.root / find_inspection_file(self.session.root, ident))

    def listing(self, customer: str | None = None, statuses: frozenset[str] = frozenset()) -> list[RecordEntry]:
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

    def report_context(self, ident: str) -> dict[str, Any]:
        """What the system running-status report of a done inspection says (`inspections.report` renders it)."""
        return _report_context(self.session, self.entry(ident))

    def due(self) -> list[InspectionDue]:
        """Inspections due or overdue today (the desk's clock), overdue first."""
        return due_inspections(self.plans(), (e.data for e in self.records()), self.session.now().date())

    # -- the plan ----------------------------------------------------------------

    def plan(self, customer_id: str, request: PlanRequest) -> Done:
        """Set a customer's plan; the planned inspections already due are created in the same commit."""
        ident = require_customer(self.session.root, customer_id)
        today = self.session.now().date()
        defaults = self.defaults
        cadence = Cadence.parse(request.cadence) if request.cadence else defaults.cadence
        if request.inspector:
            self.session.people.get(check_handle(request.inspector))
        if request.checklist:
            self.session.policy.inspections.checklist(request.checklist)
        plan = InspectionPlan(
            cadence=cadence,
            since=request.since or today,
            lead_days=request.lead_days if request.lead_days is not None else defaults.lead_days,
            grace_days=request.grace_days,
            checklist=request.checklist,
            inspector=request.inspector,
        )

        def apply(edit: Edit) -> Change:
            set_in_order(edit.data, "inspection_plan", yamlio.new_map(plan.as_map()), CUSTOMER_ORDER)
            created = [str(d["id"]) for d in self.write_planned(edit.txn, today, {ident: plan})]
            detail = f"Planned inspections created: {', '.join(created)}." if created else None
            return Change("inspect-plan", f"inspection plan {cadence.text} from {plan.since}",
                          tuple(("Casefile-Inspection", c) for c in created),
                          tuple(f"planned inspection {c}" for c in created), detail)

        return self.session.change(CUSTOMERS, ident, apply, missing=CustomerNotFound(ident))

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
            self.session.validate(INSPECTIONS, record)
            txn.write(path, record.render())
            written.append(data)
        return written

    def schedule(self) -> Done | None:
        """Create every missing planned inspection that is due or overdue today; None when there is none.

        Idempotent: a second run finds the files and commits nothing.  The files
        carry no time or author, so two clones create identical files.
        """
        today = self.session.now().date()
        plans = self.plans()
        if not periods_to_plan(plans, (e.data for e in self.records()), today):
            return None
        actor = self.session.actor

        def body(txn: Transaction) -> Done | None:
            created = [str(d["id"]) for d in self.write_planned(txn, today, plans)]
            if not created:
                return None
            when = self.session.now()
            first = INSPECTIONS.path(created[0])
            words = "planned inspection" if len(created) == 1 else f"plan {len(created)} inspections"
            message = CommitMessage.for_records(INSPECTIONS, created, words, "inspect-schedule",
                                                "Planned: " + ", ".join(created) + ".")
            commit = txn.commit(message.text(), self.session.author(actor), when)
            text = (self.session.root / first).read_text(encoding="utf-8")
            return done(first, text, message, commit, tuple(f"planned inspection {c}" for c in created))

        return self.session.mutate(body)

    # -- the visit ---------------------------------------------------------------

    def record(self, visit: Visit) -> Done:
        """Record a visit: fill the planned inspection of its period (or a new one) and update the assets."""
        customer = require_customer(self.session.root, visit.customer)
        inspector = self.session.people.get(check_handle(visit.inspector)).handle
        today = self.session.now().date()
        if visit.inspected_on > today:
            raise CasefileError(
                _("the inspection date {inspected_on} is in the future (today is {today})").format(inspected_on=visit.inspected_on, today=today),
                _("record a visit once it has happened; planned visits come from `casefile inspect plan`"),
            )
        plan = plan_of(self.entry_of_customer(customer), self.defaults)
        ident, fresh_data = self._target(customer, plan, visit)
        path = inspection_path(ident)
        assert path is not None
        checklists = self.session.policy.inspections.checklists

        def apply(edit: Edit) -> Change:
            record, data = edit.record, edit.data
            if record is not fresh and data.get("status") in CLOSED_STATUSES:
                raise CasefileError(
                    _("inspection {ident} is {get} already").format(ident=ident, get=data.get('status')),
                    _("give the visit's own date, or --period for another period"),
                )
            checklist = pick_checklist(checklists, data.get("checklist_name") or (plan.checklist if plan else None))
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
                "recorded_by": edit.by,
                "recorded_at": edit.at,
            }
            if visit.changes:
                fields["equipment"] = [yamlio.new_map(e) for e in self._change_assets(edit, customer, visit.changes, on)]
            for key, value in fields.items():
                if value not in (None, ""):
                    set_in_order(data, key, value, FIELD_ORDER)
            notes = visit.notes.strip()
            if notes:
                record.body = (record.body.rstrip("\n") + "\n\n" if record.body.strip() else "") + notes + "\n"
            changed = f"; {len(visit.changes)} equipment change(s)" if visit.changes else ""
            return Change("inspect-record", f"inspection done on {on} by {inspector}{changed}",
                          (("Casefile-Customer", customer),), detail=visit.findings)

        fresh = EditableRecord.new(path, fresh_data, "")
        return self.session.change(INSPECTIONS, ident, apply, fresh=fresh)

    def default_inspector(self, customer: str) -> str:
        """The plan's inspector, else the person acting."""
        plan = plan_of(self.entry_of_customer(require_customer(self.session.root, customer)), self.defaults)
        return plan.inspector if plan is not None and plan.inspector else self.session.actor.handle

    def entry_of_customer(self, customer: str) -> dict[str, Any]:
        return read_record_file(self.session.root, self.session.root / customer_path(customer)).data

    def _target(self, customer: str, plan: InspectionPlan | None, visit: Visit) -> tuple[str, dict[str, Any]]:
        """The id of the inspection a visit fills, and the record to start from if it does not exist."""
        if visit.period:
            period = Period.parse(visit.period)
            if plan is not None and period.unit is not plan.cadence.unit:
                raise CasefileError(
                    _("{key} is not a period of {customer}'s plan ({text})").format(key=period.key, customer=customer, text=plan.cadence.text),
                    f"e.g. {plan.cadence.period_of(visit.inspected_on).key}",
                )
            if visit.inspected_on < period.start:
                raise CasefileError(
                    _("the inspection date {inspected_on} is before the period {key}").format(inspected_on=visit.inspected_on, key=period.key)
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
                _("an inspection of {customer} on {on} is recorded already ({ident})").format(customer=customer, on=on, ident=ident),
                _("see it with: casefile inspect show {ident}").format(ident=ident),
            )
        return ident, {"id": ident, "customer": customer, "status": str(InspectionStatus.PLANNED)}

    def _status_of(self, ident: str) -> str | None:
        path = inspection_path(ident)
        if path is None or not (self.session.root / path).is_file():
            return None
        return str(read_record_file(self.session.root, self.session.root / path).data.get("status"))

    def _change_assets(
        self, edit: Edit, customer: str, changes: tuple[EquipmentChange, ...], on: str
    ) -> list[dict[str, str]]:
        """Apply equipment changes to the customer's file in the same commit; the entries for the inspection."""
        entries: list[dict[str, str]] = []

        def change(record: EditableRecord) -> None:
            if not isinstance(record.data.get("assets"), list):
                set_in_order(record.data, "assets", [], CUSTOMER_ORDER)
            entries.extend(apply_changes(record.data["assets"], changes, on, customer))

        edit.also(CUSTOMERS, customer_path(customer), change, CustomerNotFound(customer))
        return entries

    def cancel(self, ident: str, reason: str) -> Done:
        if not reason.strip():
            raise CasefileError(_("the reason is empty"), _("say why with --reason"))
        path = find_inspection_file(self.session.root, ident)

        def apply(edit: Edit) -> Change:
            status = edit.data.get("status")
            if status in CLOSED_STATUSES:
                raise CasefileError(_("inspection {ident} is {status} already").format(ident=ident, status=status))
            set_in_order(edit.data, "status", str(InspectionStatus.CANCELLED), FIELD_ORDER)
            set_in_order(edit.data, "findings", reason.strip(), FIELD_ORDER)
            set_in_order(edit.data, "recorded_by", edit.by, FIELD_ORDER)
            set_in_order(edit.data, "recorded_at", edit.at, FIELD_ORDER)
            return Change("inspect-cancel", "inspection cancelled",
                          (("Casefile-Customer", str(edit.data.get("customer"))),), detail=reason)

        return self.session.change(INSPECTIONS, ident, apply, path=path, missing=InspectionNotFound(ident))


def _span(data: dict[str, Any]) -> tuple[date, date]:
    """The days the report covers: the inspection's period, else the 90 days up to the visit."""
    if data.get("period"):
        period = Period.parse(str(data["period"]))
        return period.start, period.end
    on = date.fromisoformat(str(data["inspected_on"]))
    return date.fromordinal(on.toordinal() - 90), on


def _report_context(session: Session, entry: RecordEntry) -> dict[str, Any]:
    data = entry.data
    if data.get("status") != InspectionStatus.DONE:
        raise CasefileError(
            _("inspection {get} is {get2}, not done; there is nothing to report yet").format(get=data.get('id'), get2=data.get('status')),
            _("record the visit first: casefile inspect record {get} --date ...").format(get=data.get('customer')),
        )
    customer = read_record_file(session.root, session.root / customer_path(str(data["customer"]))).data
    checklist = session.policy.inspections.checklist(data.get("checklist_name"))
    labels = {item.key: item for item in checklist.items}
    rows = [
        {
            "item": row.get("item"),
            "label": labels[row["item"]].label if row.get("item") in labels else row.get("item"),
            "label_zh": labels[row["item"]].label_zh if row.get("item") in labels else row.get("item"),
            "result": row.get("result"),
            "result_zh": RESULT_LABELS_ZH.get(str(row.get("result")), str(row.get("result"))),
            "note": row.get("note") or "",
        }
        for row in data.get("checklist") or []
    ]
    first, last = _span(data)
    zone = session.policy.zone
    cases = select(
        session.catalog.cases(lambda error: session.notes(_("skipped {error}").format(error=error))),
        CaseFilter(
            everything=True,
            customer=str(data["customer"]),
            since=datetime.combine(first, time(), zone),
            until=datetime.combine(last, time.max, zone),
        ),
    )
    return {
        "desk": session.policy.desk_name,
        "inspection": data,
        "notes": entry.body.strip("\n"),
        "customer": customer,
        "checklist": rows,
        "results": dict(Counter(str(row["result"]) for row in rows)),
        "assets": customer.get("assets") or [],
        "equipment": data.get("equipment") or [],
        "cases": cases,
        "open_cases": [c for c in cases if c["status"] in ("open", "pending")],
        "cases_by_level": dict(sorted(Counter(str(c["level"]) for c in cases).items())),
        "span": {"from": first.isoformat(), "until": last.isoformat()},
        "generated_at": minute(session.stamp(), zone),  # templates get times as text, to the minute
    }
