"""The monthly bulletin (《公司通讯》, seed 001): every problem received, how it was handled and resolved.

Pure.  Every case received (opened) in the period, grouped by customer (the
bulletin goes to each customer; cases without one come last), oldest first
within a group; for each: what was reported, the handling steps (every
activity except `casefile check`'s alerts and hand edits), the resolution and
the customer's confirmation.  Totals for the whole period and per customer:
received, resolved (resolved or closed), closed, still open, and counts by
type and level.

When it is due (seed 001): on the policy's day of the month after (default the
5th), moved to the next working day of the policy's calendar when that day is
a holiday or a weekend (`due_on`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from casefile.reports import facts
from casefile.reports.kinds.availability import SystemAvailability
from casefile.reports.kinds.changes import ChangeRow
from casefile.reports.model import DayCount, per_day
from casefile.reports.period import Period, month_after
from casefile.reports.records import Issue
from casefile.values import Struct
from casefile.worktime.calendar import WorkCalendar

HANDLING_LEAVES_OUT = (*facts.CHECK_EVENTS, "opened", "edited")
TYPE_ORDER = ("incident", "request", "consultation", "complaint")


class Totals(Struct, frozen=True):
    received: int
    resolved: int
    closed: int
    open: int
    by_type: dict[str, int]
    by_level: dict[str, int]


class BulletinCase(Struct, frozen=True):
    id: str
    title: str
    type: str
    level: str
    status: str
    channel: str | None
    category: str | None
    caller: str | None
    assignee: str | None
    opened_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    confirmed_by: str | None
    first_contact: bool
    description: str
    handling: tuple[facts.Step, ...]
    resolution: str | None
    affected_callers: tuple[str, ...] = ()  # a major incident's callers and the duplicates, counted with it


class CustomerGroup(Struct, frozen=True):
    customer: str | None
    name: str | None
    totals: Totals
    cases: tuple[BulletinCase, ...]


class BulletinProblem(Struct, frozen=True):
    """A problem (问题管理) behind incidents received in the period: what is known, and which of them it caused."""

    id: str
    title: str
    status: str
    customer: str | None
    root_cause: str | None
    workaround: str | None
    article: str | None
    incidents: tuple[str, ...]  # the period's incidents it links


class Bulletin(Struct, frozen=True):
    due_day: int  # the policy's day of the month after
    due_on: date | None  # only for a calendar month
    due_note: str | None  # why `due_on` is not known (e.g. next year's holidays not published)
    issued: Issue | None
    totals: Totals
    per_day: tuple[DayCount, ...]
    groups: tuple[CustomerGroup, ...]
    problems: tuple[BulletinProblem, ...] = ()
    availability: tuple[SystemAvailability, ...] = ()  # the customers' systems (可用性管理)
    changes: tuple[ChangeRow, ...] = ()  # the changes whose window lies in the period (变更管理)


def due_on(month: str, day: int, calendar: WorkCalendar) -> date:
    """The bulletin of `month` is due on `day` of the month after, or the next working day."""
    return calendar.working_day_on_or_after(month_after(month).replace(day=day))


def totals(cases: Sequence[Mapping[str, Any]], levels: Sequence[str]) -> Totals:
    statuses = Counter(str(c.get("status")) for c in cases)
    types = Counter(str(c.get("type")) for c in cases)
    by_level = Counter(str(c.get("level")) for c in cases)
    order = [*levels, *sorted(set(by_level) - set(levels))]
    return Totals(
        received=len(cases),
        resolved=statuses["resolved"] + statuses["closed"],
        closed=statuses["closed"],
        open=statuses["open"] + statuses["pending"],
        by_type={key: types[key] for key in [*TYPE_ORDER, *sorted(set(types) - set(TYPE_ORDER))] if types[key]},
        by_level={key: by_level[key] for key in order if by_level[key]},
    )


def _case(data: Mapping[str, Any], body: str) -> BulletinCase:
    def text(key: str) -> str | None:
        value = data.get(key)
        return str(value) if value not in (None, "") else None

    return BulletinCase(
        id=str(data.get("id")),
        title=str(data.get("title") or ""),
        type=str(data.get("type")),
        level=str(data.get("level")),
        status=str(data.get("status")),
        channel=text("channel"),
        category=text("category"),
        caller=facts.caller_name(data),
        assignee=text("assignee"),
        opened_at=facts.opened_at(data),
        resolved_at=facts.when(data.get("resolved_at")),
        closed_at=facts.when(data.get("closed_at")),
        confirmed_by=text("confirmed_by"),
        first_contact=facts.first_contact(data),
        description=body.strip(),
        handling=facts.timeline(data, HANDLING_LEAVES_OUT),
        resolution=text("resolution"),
        affected_callers=tuple(facts.linked(data, "child") + facts.linked(data, "duplicate")),
    )


def build(
    period: Period,
    cases: Sequence[tuple[Mapping[str, Any], str]],
    names: Mapping[str, str],
    levels: Sequence[str],
    due_day: int,
    due: date | None,
    issued: Issue | None,
    due_note: str | None = None,
    problems: Sequence[Mapping[str, Any]] = (),
) -> Bulletin:
    """`cases` are (front matter, body) of the cases received in the period, oldest first; `problems` the
    front matter of problems, of which those linking a case of the period are listed."""
    groups: dict[str | None, list[tuple[Mapping[str, Any], str]]] = {}
    for data, body in cases:
        customer = data.get("customer")
        groups.setdefault(str(customer) if customer else None, []).append((data, body))
    ordered = sorted(groups, key=lambda key: (key is None, key or ""))
    return Bulletin(
        due_day=due_day,
        due_on=due,
        due_note=due_note,
        issued=issued,
        totals=totals([data for data, _body in cases], levels),
        per_day=per_day(period, (facts.opened_at(data) for data, _body in cases)),
        groups=tuple(
            CustomerGroup(
                customer=key,
                name=names.get(key, key) if key else None,
                totals=totals([data for data, _body in groups[key]], levels),
                cases=tuple(_case(data, body) for data, body in groups[key]),
            )
            for key in ordered
        ),
        problems=_problems(problems, [str(data.get("id")) for data, _body in cases]),
    )


def _problems(problems: Sequence[Mapping[str, Any]], received: Sequence[str]) -> tuple[BulletinProblem, ...]:
    def text(data: Mapping[str, Any], key: str) -> str | None:
        value = data.get(key)
        return str(value) if value not in (None, "") else None

    wanted = set(received)
    found = []
    for data in problems:
        linked = [str(case) for case in data.get("incidents") or [] if str(case) in wanted]
        if linked:
            found.append(BulletinProblem(str(data.get("id")), str(data.get("title") or ""), str(data.get("status")),
                                         text(data, "customer"), text(data, "root_cause"), text(data, "workaround"),
                                         text(data, "article"), tuple(linked)))
    return tuple(sorted(found, key=lambda p: p.id))
