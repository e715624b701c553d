"""Case statistics (seed 000): counts by type, level, category, channel, customer, engineer; major cases.

Pure.  Counts are of the cases received (opened) in the period, each beside
the count of the period before (a month: the month before) and the change.
The engineer is the case's assignee now ("—" when nobody is assigned).
Major cases are levels A and B (the levels with management escalation
ladders, seed 000 "重大case的处理过程"): every one is listed, and the most
recent `timelines` of them (TIMELINES unless asked otherwise) with their
whole activity log, including the alerts and escalations `casefile check`
recorded.  A quarter of a desk has a few dozen; three years of a busy one
had 14,000, whose logs were 700 MB in memory and a report nobody reads (the
Markdown one hit the template's time limit), so the others are listed
without theirs (`timeline` None) and the report says how many.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from casefile.reports import facts
from casefile.reports.kinds.availability import SystemAvailability
from casefile.reports.kinds.changes import ChangeFigures
from casefile.reports.kinds.problems import ProblemFigures
from casefile.reports.model import DayCount, day_counts
from casefile.reports.period import Period
from casefile.values import Struct, replace

DIMENSIONS = ("type", "level", "category", "channel", "customer", "engineer", "status")
MAJOR_LEVELS = ("A", "B")
NONE_KEY = "—"
TIMELINES = 200  # major cases shown with their activity log, the most recent first chosen


class Count(Struct, frozen=True):
    key: str
    label: str | None  # a customer's name
    count: int
    previous: int
    change: int


class Breakdown(Struct, frozen=True):
    dimension: str
    rows: tuple[Count, ...]


class Trend(Struct, frozen=True):
    received: int
    previous: int
    change: int
    change_percent: float | None  # None when the period before had none


class MajorCase(Struct, frozen=True):
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
    timeline: tuple[facts.Step, ...] | None  # None: one of the older major cases beyond `CaseStats.timelines`


class CaseStats(Struct, frozen=True):
    previous_period: Period
    trend: Trend
    resolved: int
    closed: int
    open: int
    breakdowns: tuple[Breakdown, ...]
    per_day: tuple[DayCount, ...]
    major: tuple[MajorCase, ...]
    timelines: int = TIMELINES  # how many of the most recent major cases have their timeline
    availability: tuple[SystemAvailability, ...] = ()  # the customers' systems (可用性管理)
    problems: ProblemFigures | None = None  # 问题管理
    changes: ChangeFigures | None = None  # 变更管理


def _field(dimension: str) -> str:
    return "assignee" if dimension == "engineer" else dimension


def _key(data: Mapping[str, Any], dimension: str) -> str:
    value = data.get(_field(dimension))
    return str(value) if value not in (None, "") else NONE_KEY


def breakdown(dimension: str, now: Sequence[Mapping[str, Any]], before: Sequence[Mapping[str, Any]],
              order: Sequence[str] = (), names: Mapping[str, str] | None = None) -> Breakdown:
    """Counts per value, most frequent first (or in `order`), values seen in either period."""
    current = Counter(_key(d, dimension) for d in now)
    previous = Counter(_key(d, dimension) for d in before)
    return ranked(dimension, current, previous, order, names)


def ranked(dimension: str, current: Counter[str], previous: Counter[str], order: Sequence[str] = (),
           names: Mapping[str, str] | None = None) -> Breakdown:
    """`breakdown` from counts already made."""
    keys = set(current) | set(previous)
    if order:
        ranked = [k for k in order if k in keys] + sorted(keys - set(order))
    else:
        ranked = sorted(keys, key=lambda k: (k == NONE_KEY, -current[k], -previous[k], k))
    return Breakdown(dimension, tuple(Count(k, (names or {}).get(k), current[k], previous[k], current[k] - previous[k]) for k in ranked))


def _major(data: Mapping[str, Any]) -> MajorCase:
    """A major case without its timeline (`Tally.stats` adds it to the most recent)."""
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
        timeline=None,
    )


def timeline(data: Mapping[str, Any]) -> tuple[facts.Step, ...]:
    """A major case's handling process: its activity log, without the edits of its fields."""
    return facts.timeline(data, ("edited",))


class Tally:
    """The statistics of cases added one at a time: counts, days, major cases — never the cases themselves.

    So a report over three years at 100,000 cases holds a few counters and
    the major cases without their logs, whatever the period (the cases come
    as report rows, `reports/rows.py`).  With `ordered`, major cases are
    listed by opening time and number whatever order they were added in
    (rows come in file order); without, in the order added (`build` gets
    them sorted).  `latest(n)` names the major cases whose timeline the
    report shows; the caller reads those and hands them to `stats`.
    """

    def __init__(self, period: Period, ordered: bool = False) -> None:
        self.period, self.ordered = period, ordered
        self.received = 0
        self.statuses: Counter[str] = Counter()
        self.keys: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
        self._fields = tuple((_field(d), counts) for d, counts in self.keys.items())  # `_key`, once per case
        self.days: Counter[date] = Counter()
        self._major: list[tuple[datetime, str, int, MajorCase, str | None]] = []  # ..., its file

    def count(self, data: Mapping[str, Any]) -> None:
        """Count a case in the breakdowns only (a case of the period before)."""
        self.received += 1
        get = data.get
        for field, counts in self._fields:  # `_key` written out: 700,000 calls over three years
            value = get(field)
            counts[str(value) if value not in (None, "") else NONE_KEY] += 1

    def add(self, data: Mapping[str, Any], path: str | None = None, opened: datetime | None = None) -> None:
        """Count a case of the period: breakdowns, statuses, its day, and list it if it is major (`path`:
        its file, for `latest`; `opened`: its opening time, if read already)."""
        self.count(data)
        self.statuses[str(data.get("status"))] += 1
        self.days[(opened or facts.opened_at(data)).astimezone(self.period.zone).date()] += 1
        if str(data.get("level")) in MAJOR_LEVELS:
            major = _major(data)
            self._major.append((major.opened_at, major.id, len(self._major), major, path))

    def _ordered(self) -> list[tuple[datetime, str, int, MajorCase, str | None]]:
        return sorted(self._major, key=lambda m: m[:3]) if self.ordered else self._major

    def latest(self, count: int) -> list[tuple[int, str | None]]:
        """(position as added, file) of the `count` most recent major cases, whose timeline is shown."""
        chosen = self._ordered()[max(len(self._major) - count, 0):] if count > 0 else []
        return [(m[2], m[4]) for m in chosen]

    def stats(self, before: Tally, levels: Sequence[str], names: Mapping[str, str] | None = None,
              timelines: Mapping[int, tuple[facts.Step, ...]] | None = None, limit: int = TIMELINES) -> CaseStats:
        """The statistics of the cases added here, beside those added to `before` (the period before);
        `timelines` by position as added (`latest(limit)`; a case missing from it is shown without)."""
        received, previous = self.received, before.received
        found = timelines or {}
        major = tuple(replace(m[3], timeline=found[m[2]]) if m[2] in found else m[3] for m in self._ordered())
        orders: dict[str, Sequence[str]] = {
            "level": levels,
            "type": ("incident", "request", "consultation", "complaint"),
            "status": ("open", "pending", "resolved", "closed"),
        }
        return CaseStats(
            previous_period=self.period.previous(),
            trend=Trend(received, previous, received - previous,
                        round((received - previous) / previous * 100, 1) if previous else None),
            resolved=self.statuses["resolved"] + self.statuses["closed"],
            closed=self.statuses["closed"],
            open=self.statuses["open"] + self.statuses["pending"],
            breakdowns=tuple(ranked(d, self.keys[d], before.keys[d], orders.get(d, ()),
                                    names if d == "customer" else None) for d in DIMENSIONS),
            per_day=day_counts(self.period, self.days),
            major=major,
            timelines=limit,
        )


def build(
    period: Period,
    cases: Sequence[Mapping[str, Any]],
    previous: Sequence[Mapping[str, Any]],
    levels: Sequence[str],
    names: Mapping[str, str] | None = None,
    limit: int = TIMELINES,
) -> CaseStats:
    """`names`: customers' names by id; `limit`: how many of the most recent major cases have their
    timeline."""
    now, before = Tally(period), Tally(period.previous())
    for data in cases:
        now.add(data)
    for data in previous:
        before.count(data)
    majors = [data for data in cases if str(data.get("level")) in MAJOR_LEVELS]
    timelines = {position: timeline(majors[position]) for position, _path in now.latest(limit)}
    return now.stats(before, levels, names, timelines, limit)
