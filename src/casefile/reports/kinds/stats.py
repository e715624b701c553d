"""Case statistics (seed 000): counts by type, level, category, channel, customer, engineer; major cases.

Pure.  Counts are of the cases received (opened) in the period, each beside
the count of the period before (a month: the month before) and the change.
The engineer is the case's assignee now ("—" when nobody is assigned).
Major cases are levels A and B (the levels with management escalation
ladders, seed 000 "重大case的处理过程"): each with its whole activity log,
including the alerts and escalations `casefile check` recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from casefile.reports import facts
from casefile.reports.kinds.availability import SystemAvailability
from casefile.reports.kinds.changes import ChangeFigures
from casefile.reports.kinds.problems import ProblemFigures
from casefile.reports.model import DayCount, per_day
from casefile.reports.period import Period

DIMENSIONS = ("type", "level", "category", "channel", "customer", "engineer", "status")
MAJOR_LEVELS = ("A", "B")
NONE_KEY = "—"


@dataclass(frozen=True)
class Count:
    key: str
    label: str | None  # a customer's name
    count: int
    previous: int
    change: int


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    rows: tuple[Count, ...]


@dataclass(frozen=True)
class Trend:
    received: int
    previous: int
    change: int
    change_percent: float | None  # None when the period before had none


@dataclass(frozen=True)
class MajorCase:
    id: str
    title: str
    level: str
    type: str
    status: str
    customer: str | None
    assignee: str | None
    opened_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    resolution: str | None
    timeline: tuple[facts.Step, ...]


@dataclass(frozen=True)
class CaseStats:
    previous_period: Period
    trend: Trend
    resolved: int
    closed: int
    open: int
    breakdowns: tuple[Breakdown, ...]
    per_day: tuple[DayCount, ...]
    major: tuple[MajorCase, ...]
    availability: tuple[SystemAvailability, ...] = ()  # the customers' systems (可用性管理)
    problems: ProblemFigures | None = None  # 问题管理
    changes: ChangeFigures | None = None  # 变更管理


def _key(data: Mapping[str, Any], dimension: str) -> str:
    value = data.get("assignee" if dimension == "engineer" else dimension)
    return str(value) if value not in (None, "") else NONE_KEY


def breakdown(dimension: str, now: Sequence[Mapping[str, Any]], before: Sequence[Mapping[str, Any]],
              order: Sequence[str] = (), names: Mapping[str, str] | None = None) -> Breakdown:
    """Counts per value, most frequent first (or in `order`), values seen in either period."""
    current = Counter(_key(d, dimension) for d in now)
    previous = Counter(_key(d, dimension) for d in before)
    keys = set(current) | set(previous)
    if order:
        ranked = [k for k in order if k in keys] + sorted(keys - set(order))
    else:
        ranked = sorted(keys, key=lambda k: (k == NONE_KEY, -current[k], -previous[k], k))
    return Breakdown(dimension, tuple(Count(k, (names or {}).get(k), current[k], previous[k], current[k] - previous[k]) for k in ranked))


def _major(data: Mapping[str, Any]) -> MajorCase:
    return MajorCase(
        id=str(data.get("id")),
        title=str(data.get("title") or ""),
        level=str(data.get("level")),
        type=str(data.get("type")),
        status=str(data.get("status")),
        customer=str(data["customer"]) if data.get("customer") else None,
        assignee=str(data["assignee"]) if data.get("assignee") else None,
        opened_at=facts.opened_at(data),
        resolved_at=facts.when(data.get("resolved_at")),
        closed_at=facts.when(data.get("closed_at")),
        resolution=str(data["resolution"]) if data.get("resolution") else None,
        timeline=facts.timeline(data, ("edited",)),
    )


def build(
    period: Period,
    cases: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]],
    levels: Sequence[str],
    names: Mapping[str, str] | None = None,
) -> CaseStats:
    """`names`: customers' names by id."""
    received, before = len(cases), len(previous)
    statuses = Counter(str(c.get("status")) for c in cases)
    orders: dict[str, Sequence[str]] = {
        "level": levels,
        "type": ("incident", "request", "consultation", "complaint"),
        "status": ("open", "pending", "resolved", "closed"),
    }
    return CaseStats(
        previous_period=period.previous(),
        trend=Trend(received, before, received - before,
                    round((received - before) / before * 100, 1) if before else None),
        resolved=statuses["resolved"] + statuses["closed"],
        closed=statuses["closed"],
        open=statuses["open"] + statuses["pending"],
        breakdowns=tuple(breakdown(d, cases, previous, orders.get(d, ()), names if d == "customer" else None)
                         for d in DIMENSIONS),
        per_day=per_day(period, (facts.opened_at(c) for c in cases)),
        major=tuple(_major(c) for c in cases if str(c.get("level")) in MAJOR_LEVELS),
    )
