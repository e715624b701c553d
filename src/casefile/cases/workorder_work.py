"""`casefile workorder`: record an on-site visit as a work order, sign it, print it, list the unsigned.

Recording is one `Session.change` of the case (and, with `--replace`, of the customer's asset list, as
`note -k onsite --replace` does): one commit.  Times are checked like every explicit time (after the
opening, not in the future) and in order: dispatched ≤ arrived ≤ departed, signed after arrival.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from casefile.cases.model import CaseDoc
from casefile.cases.timespent import record_spent
from casefile.cases.work import CaseWork
from casefile.errors import CasefileError
from casefile.cases.workorders import Unsigned, Visit, WorkOrder, find, orders_of, record, sign, visit_fields
from casefile.index.catalog import RecordView
from casefile.policy.people import check_handle
from casefile.records.change import Change, Done
from casefile.records.kinds import CASES
from casefile.records.yamlio import RecordError
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

if TYPE_CHECKING:
    from casefile.customers.assets import EquipmentChange
    from casefile.session import Session

VISITS = RecordView("workorders/1", lambda data, _body: visit_fields(data))


class VisitTimes(Struct, frozen=True):
    dispatched: datetime
    arrived: datetime
    departed: datetime | None = None
    signed: datetime | None = None


class Sheet(Struct, frozen=True):
    case: Mapping[str, Any]
    order: WorkOrder
    customer: Mapping[str, Any] | None
    engineer_name: str


class Recorded(Struct, frozen=True):
    done: Done
    order: WorkOrder


class WorkOrderWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.cases = CaseWork(session)

    def record(self, case_number: str, engineer: str, work: str, times: VisitTimes, parts: Sequence[str] = (),
               replacements: tuple[EquipmentChange, ...] = (), spent: timedelta | None = None,
               signed_by: str | None = None) -> Recorded:
        from casefile.cases.timeorder import refuse_outside

        self.session.people.get(check_handle(engineer))
        stamp = self.session.stamp

        def step(doc: CaseDoc, at: str, by: str) -> Change:
            now = parse_stored(at)
            for option, moment in (("--dispatched-at", times.dispatched), ("--arrived-at", times.arrived),
                                   ("--departed-at", times.departed), ("--signed-at", times.signed)):
                if moment is not None:
                    refuse_outside(doc.data, moment, now, option)
            visit = Visit(engineer, work, stamp(times.dispatched), stamp(times.arrived),
                          stamp(times.departed) if times.departed else None,
                          tuple(p.strip() for p in parts if p.strip()), signed_by,
                          stamp(times.signed) if times.signed else None)
            change = record(doc, at, by, visit)
            record_spent(doc.data["events"][-1], spent)
            return change

        also = self.cases._replace_assets(replacements) if replacements else None  # the same swap as a visit note
        done = self.cases.update(case_number, step, None, also=also)
        return Recorded(done, orders_of(done.entry.data)[-1])

    def sign(self, case_number: str, number: str | None, name: str, signed_at: datetime | None) -> Recorded:
        from casefile.cases.timeorder import refuse_outside

        stamp = self.session.stamp
        chosen: list[str] = []

        def step(doc: CaseDoc, at: str, by: str) -> Change:
            if signed_at is not None:
                refuse_outside(doc.data, signed_at, parse_stored(at), "--at")
            change = sign(doc, at, by, number, name, stamp(signed_at) if signed_at else None)
            chosen.append(change.trailers[0][1])
            return change

        done = self.cases.update(case_number, step)
        return Recorded(done, find(done.entry.data, chosen[0]))

    def sheet(self, case_number: str, number: str | None) -> Sheet:
        """What a printed work order shows: one order of the case (`number`, else the only unsigned one,
        else the last), the case, its customer's file and the engineer's name."""
        from casefile.records.file import read_record_file
        from casefile.records.kinds import CUSTOMERS

        data = self.cases.entry(case_number).data
        order = find(data, number)
        customer = None
        if data.get("customer"):
            path = self.session.root / CUSTOMERS.path(str(data["customer"]))
            if path.is_file():
                try:
                    customer = read_record_file(self.session.root, path).data
                except RecordError as error:
                    self.session.notes(f"skipped {error}")
        try:
            name = self.session.people.get(order.engineer).name
        except CasefileError:
            name = order.engineer
        return Sheet(data, order, customer, name)

    def orders(self, case_number: str) -> list[WorkOrder]:
        return orders_of(self.cases.entry(case_number).data)

    def unsigned(self, engineer: str | None = None, customer: str | None = None,
                 since: datetime | None = None) -> Iterator[Unsigned]:
        """Every visit without a signed work order, over all cases (open or closed), oldest first (`since`: those
        that arrived on site then or later); a record that cannot be read is skipped with a note."""
        found = []
        skipped: Callable[[RecordError], None] = lambda error: self.session.notes(f"skipped {error}")  # noqa: E731
        for _path, row in self.session.catalog.rows(CASES.folder, VISITS, skipped):
            for item in row.get("unsigned") or []:
                if engineer and item.get("engineer") != engineer:
                    continue
                if customer and item.get("customer") != customer:
                    continue
                if since is not None and not _arrived_since(item.get("arrived_at"), since):
                    continue
                found.append(Unsigned(str(item["case"]), str(item.get("title") or ""), item.get("customer"),
                                      str(item.get("engineer") or ""), item.get("arrived_at"), item.get("workorder"),
                                      str(item.get("reason") or "")))
        found.sort(key=lambda u: (u.arrived_at or "", u.case))
        yield from found


def _arrived_since(arrived: object, since: datetime) -> bool:
    try:
        return parse_stored(str(arrived)) >= since
    except ValueError:
        return True  # a hand-edited time: listed, so someone looks at it
