"""Work orders (派工单 / 现场工作清单, seed 004): an on-site visit as the sheet the engineer hands to the desk.

A work order is an `onsite` entry of the case's activity log with more in its fields, so the visit
is one thing however it was recorded:

    - at: 2026-12-02T12:20:00+08:00      # when the desk recorded it
      by: wang.fang
      kind: onsite
      text: Replaced the fuser unit; printed 20 test pages.     # the work done
      fields:
        workorder: KMT-00417-W1
        engineer: li.na
        dispatched_at: ...                # set off for the site: the SLA's `dispatched` (stops `depart`)
        arrived_at: ...                   # on site: the SLA's `onsite` (stops `onsite`), and `onsite_at`
        departed_at: ...                  # left the site: ends the visit; stops no clock
        parts: [Fuser unit RM2-5425 x1]
        replaced: [...]                   # devices swapped, as `note -k onsite --replace` writes them
        spent: 2h
        signed_by: Zhang Wei              # the customer's sign-off
        signed_at: ...

A sign-off that comes later (the signed sheet is brought back) is a `workorder-signed` entry naming
the order.  A visit lacks a signed order when its work order is not signed, or when an on-site note
(`note -k onsite`) has no work order recorded after it on that case.  Pure: values in, values out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from casefile.cases.model import CaseDoc, EventKind, NoteKind, Visibility
from casefile.errors import CasefileError
from casefile.records.change import Change
from casefile.values import Struct, field, replace
from casefile.worktime.clock import parse_stored
from casefile.i18n import _

SIGNED = str(EventKind.WORKORDER_SIGNED)
_NUMBER = re.compile(r"^(?P<case>[A-Z]{3}-\d{5})-W(?P<n>\d+)$")


class WorkOrderRefused(CasefileError):
    pass


class Visit(Struct, frozen=True):
    """What `casefile workorder` is told (times as stored)."""

    engineer: str
    work: str
    dispatched_at: str
    arrived_at: str
    departed_at: str | None = None
    parts: tuple[str, ...] = ()
    signed_by: str | None = None
    signed_at: str | None = None


class WorkOrder(Struct, frozen=True):
    number: str
    case: str
    engineer: str
    work: str
    dispatched_at: str | None
    arrived_at: str | None
    departed_at: str | None
    parts: tuple[str, ...]
    replaced: tuple[Mapping[str, Any], ...]
    spent: str | None
    signed_by: str | None
    signed_at: str | None
    recorded_at: str
    recorded_by: str

    @property
    def signed(self) -> bool:
        return bool(self.signed_by)

    def as_json(self) -> dict[str, Any]:
        return {"number": self.number, "case": self.case, "engineer": self.engineer, "work": self.work,
                "dispatched_at": self.dispatched_at, "arrived_at": self.arrived_at,
                "departed_at": self.departed_at, "parts": list(self.parts),
                "replaced": [dict(r) for r in self.replaced], "spent": self.spent, "signed": self.signed,
                "signed_by": self.signed_by, "signed_at": self.signed_at, "recorded_at": self.recorded_at,
                "recorded_by": self.recorded_by}


class Unsigned(Struct, frozen=True):
    """A visit the desk has no signed work order for."""

    case: str
    title: str
    customer: str | None
    engineer: str
    arrived_at: str | None
    number: str | None  # None: an on-site note with no work order at all
    reason: str = field(default="")

    def as_json(self) -> dict[str, Any]:
        return {"case": self.case, "title": self.title, "customer": self.customer, "engineer": self.engineer,
                "arrived_at": self.arrived_at, "workorder": self.number, "reason": self.reason}


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def orders_of(data: Mapping[str, Any]) -> list[WorkOrder]:
    """The case's work orders in the order they were recorded, with later sign-offs applied.  Two clones
    that recorded a visit at once may have given both the same number: both are listed, and a sign-off
    of that number signs the first one not signed yet."""
    orders: list[WorkOrder] = []
    case_id = str(data.get("id") or "")
    for event in data.get("events") or []:
        if not isinstance(event, Mapping) or not isinstance(event.get("fields"), Mapping):
            continue
        fields = event["fields"]
        number = _text(fields.get("workorder"))
        if number is None:
            continue
        if event.get("kind") == NoteKind.ONSITE:
            parts = fields.get("parts") if isinstance(fields.get("parts"), list) else []
            replaced = fields.get("replaced") if isinstance(fields.get("replaced"), list) else []
            orders.append(WorkOrder(
                number, case_id, str(fields.get("engineer") or event.get("by") or ""), str(event.get("text") or ""),
                _text(fields.get("dispatched_at")), _text(fields.get("arrived_at")), _text(fields.get("departed_at")),
                tuple(str(p) for p in parts), tuple(r for r in replaced if isinstance(r, Mapping)),
                _text(fields.get("spent")), _text(fields.get("signed_by")), _text(fields.get("signed_at")),
                str(event.get("at") or ""), str(event.get("by") or "")))
        elif event.get("kind") == SIGNED:
            for index, old in enumerate(orders):
                if old.number == number and not old.signed:
                    orders[index] = replace(old, signed_by=_text(fields.get("signed_by")),
                                            signed_at=_text(fields.get("signed_at")) or str(event.get("at") or ""))
                    break
    return orders


def next_number(data: Mapping[str, Any]) -> str:
    taken = [int(m["n"]) for o in orders_of(data) if (m := _NUMBER.match(o.number))]
    return f"{data.get('id')}-W{max(taken, default=0) + 1}"


def find(data: Mapping[str, Any], number: str | None) -> WorkOrder:
    """The order named `number` (`KMT-00417-W2` or `W2`); without one, the case's only unsigned order."""
    orders = orders_of(data)
    case_id = str(data.get("id"))
    if number:
        wanted = number.upper() if number.upper().startswith(case_id) else f"{case_id}-{number.upper()}"
        for order in orders:
            if order.number == wanted and not order.signed:
                return order
        for order in orders:
            if order.number == wanted:
                return order
        raise WorkOrderRefused(_("{case_id} has no work order {number}").format(case_id=case_id, number=number),
                               _("see its orders: casefile workorder list {case_id}").format(case_id=case_id))
    unsigned = [o for o in orders if not o.signed]
    if len(unsigned) == 1:
        return unsigned[0]
    if not orders:
        raise WorkOrderRefused(_("{case_id} has no work order").format(case_id=case_id), _("record the visit: casefile workorder {case_id} ...").format(case_id=case_id))
    if not unsigned:
        return orders[-1]
    raise WorkOrderRefused(_("{case_id} has {count} unsigned work orders").format(case_id=case_id, count=len(unsigned)),
                           _("name one: {names}").format(names=', '.join(o.number for o in unsigned)))


def _order_problem(dispatched: str, arrived: str, departed: str | None, signed_at: str | None) -> None:
    if parse_stored(arrived) < parse_stored(dispatched):
        raise WorkOrderRefused(_("the engineer cannot arrive before being dispatched"), _("check --arrived-at"))
    if departed and parse_stored(departed) < parse_stored(arrived):
        raise WorkOrderRefused(_("the engineer cannot leave the site before arriving"), _("check --departed-at"))
    if signed_at and parse_stored(signed_at) < parse_stored(arrived):
        raise WorkOrderRefused(_("the customer cannot sign the work order before the engineer arrived"),
                               _("check --signed-at"))


def record(doc: CaseDoc, at: str, by: str, visit: Visit) -> Change:
    """Add the visit as a work order; the first arrival on site is the case's `onsite_at`."""
    if not visit.work.strip():
        raise WorkOrderRefused(_("a work order says what was done on site"), _("add it: -m 'Replaced the fuser unit ...'"))
    if visit.signed_at and not visit.signed_by:
        raise WorkOrderRefused(_("--signed-at needs who signed"), _("add --signed-by NAME"))
    _order_problem(visit.dispatched_at, visit.arrived_at, visit.departed_at, visit.signed_at)
    number = next_number(doc.data)
    fields: dict[str, Any] = {"workorder": number, "engineer": visit.engineer, "dispatched_at": visit.dispatched_at,
                              "arrived_at": visit.arrived_at}
    if visit.departed_at:
        fields["departed_at"] = visit.departed_at
    if visit.parts:
        fields["parts"] = list(visit.parts)
    if visit.signed_by:
        fields["signed_by"] = visit.signed_by.strip()
        fields["signed_at"] = visit.signed_at or visit.departed_at or at
    if not doc.get("onsite_at"):
        doc.set("onsite_at", visit.arrived_at)
    doc.add_event(at, by, NoteKind.ONSITE, visit.work.strip(), fields, Visibility.INTERNAL)
    signed = ", signed" if visit.signed_by else ""
    return Change("workorder", f"work order {number} ({visit.engineer} on site{signed})",
                  (("Casefile-Workorder", number),))


def sign(doc: CaseDoc, at: str, by: str, number: str | None, name: str, signed_at: str | None) -> Change:
    """The customer's sign-off of an order recorded without it."""
    if not name.strip():
        raise WorkOrderRefused(_("say who signed the work order"), _("--by NAME"))
    order = find(doc.data, number)
    if order.signed:
        raise WorkOrderRefused(_("{number} was signed by {signed_by} at {signed_at}").format(number=order.number, signed_by=order.signed_by, signed_at=order.signed_at),
                               _("a signed work order is not signed again"))
    when = signed_at or at
    if order.arrived_at and parse_stored(when) < parse_stored(order.arrived_at):
        raise WorkOrderRefused(_("the customer cannot sign the work order before the engineer arrived"), _("check --at"))
    doc.add_event(at, by, SIGNED, None, {"workorder": order.number, "signed_by": name.strip(), "signed_at": when},
                  Visibility.INTERNAL)
    return Change("workorder", f"work order {order.number} signed by {name.strip()}",
                  (("Casefile-Workorder", order.number),))


def unsigned_visits(data: Mapping[str, Any]) -> list[Unsigned]:
    """The case's visits without a signed work order (see the module's text)."""
    found: list[Unsigned] = []
    case_id, title = str(data.get("id") or ""), str(data.get("title") or "")
    customer = _text(data.get("customer"))
    orders = orders_of(data)
    bare: list[Mapping[str, Any]] = []
    for event in data.get("events") or []:
        if not isinstance(event, Mapping) or event.get("kind") != NoteKind.ONSITE:
            continue
        fields = event["fields"] if isinstance(event.get("fields"), Mapping) else {}
        number = _text(fields.get("workorder"))
        if number is None:
            bare.append(event)
        elif bare:
            bare.pop(0)  # the work order of an on-site note recorded before it
    for event in bare:
        fields = event["fields"] if isinstance(event.get("fields"), Mapping) else {}
        found.append(Unsigned(case_id, title, customer, str(event.get("by") or ""), _text(fields.get("arrived_at")),
                              None, "no work order"))
    for order in orders:
        if not order.signed:
            found.append(Unsigned(case_id, title, customer, order.engineer, order.arrived_at, order.number,
                                  "not signed"))
    return found


def visit_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The few fields of a case `workorder list` needs (a catalog row)."""
    return {"unsigned": [u.as_json() for u in unsigned_visits(data)],
            "orders": [o.as_json() for o in orders_of(data)]}


def numbers(orders: Sequence[WorkOrder]) -> list[str]:
    return [o.number for o in orders]
