"""What a calendar answers with: a day's status and openings, and the stretches of a timeline —
counted or skipped, and why (nights, weekends, lunch breaks, holidays by name, make-up working days,
pauses) — which `casefile explain` and `calendar due --spans` read out.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from casefile.values import Struct
from casefile.worktime.duration import Duration
from casefile.worktime.officialdays import DayKind
from casefile.i18n import N_, _

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ZERO = timedelta(0)
Interval = tuple[datetime, datetime]


class SpanReason(StrEnum):
    """Why a stretch of time was counted or skipped, for `casefile explain`."""

    WORKING = "working"  # counted
    OUTSIDE_HOURS = "outside_hours"  # before opening or after closing (night)
    BREAK = "break"  # between two opening intervals of a day (lunch)
    WEEKEND = "weekend"  # an ordinary weekend day
    NO_HOURS = "no_hours"  # a working weekday on which this desk has no hours
    HOLIDAY = "holiday"  # statutory holiday or day off in lieu
    DAY_OFF = "day_off"  # policy `extra_days_off`
    PAUSED = "paused"  # working time inside a pause (`closed`)


class Opening(Struct, frozen=True, order=True):
    """One local wall-clock opening interval, in minutes after midnight (end ≤ 1440)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{hhmm(self.start)}-{hhmm(self.end)}"


class CalendarDay(Struct, frozen=True):
    """One date on a calendar: its status and the desk's working intervals."""

    day: date
    kind: DayKind
    hours: tuple[Opening, ...]  # wall clock; empty on a day off
    intervals: tuple[Interval, ...]  # the same as aware datetimes in the zone
    name: str | None = None  # holiday the day belongs to (English)
    name_zh: str | None = None
    in_lieu: bool = False
    source: str = ""  # e.g. "chinese-calendar 1.11.0", "policy calendars.5x8.years.2027"

    @property
    def working(self) -> bool:
        return bool(self.hours)


class TimelineSpan(Struct, frozen=True):
    """A stretch between two instants, counted as working time or skipped."""

    start: datetime
    end: datetime
    counted: bool
    reason: SpanReason
    label: str  # English, e.g. "statutory holiday: National Day"
    name_zh: str | None  # Chinese holiday name, e.g. "国庆节"
    elapsed: timedelta  # real elapsed time (computed in UTC)

    @property
    def working(self) -> timedelta:
        return self.elapsed if self.counted else ZERO


class DueExplanation(Struct, frozen=True):
    """How a deadline was reached: what was counted, what was skipped and why."""

    calendar: str
    start: datetime
    counting_from: datetime  # first instant that counted
    duration: Duration
    due: datetime
    working: timedelta  # working time counted between start and due
    spans: tuple[TimelineSpan, ...]  # the whole timeline from start to due, in order
    working_days: tuple[date, ...] = ()  # for `Nd`: the N working days counted

    @property
    def counted(self) -> tuple[TimelineSpan, ...]:
        return tuple(span for span in self.spans if span.counted)

    @property
    def skipped(self) -> tuple[TimelineSpan, ...]:
        return tuple(span for span in self.spans if not span.counted)


class DayPlan(Struct, frozen=True):
    """A date's cached working intervals (UTC) and its boundaries."""

    day: CalendarDay
    begin: datetime  # local midnight, UTC
    end: datetime  # next local midnight, UTC
    intervals: tuple[Interval, ...]
    working: timedelta  # the day's working time: the sum of its intervals


class Paused(Struct, frozen=True):
    """Pause spans as sorted, merged UTC intervals, with their ends for bisect."""

    spans: tuple[Interval, ...]
    ends: tuple[datetime, ...]

    def pieces(self, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime, bool]]:
        """Split [start, end) into (from, to, paused) pieces."""
        index = bisect_right(self.ends, start)
        cursor = start
        while cursor < end and index < len(self.spans):
            paused_from, paused_to = self.spans[index]
            if paused_from >= end:
                break
            if paused_from > cursor:
                yield cursor, paused_from, False
            cursor = max(cursor, min(paused_to, end))
            yield max(paused_from, start), cursor, True
            index += 1
        if cursor < end:
            yield cursor, end, False


NO_PAUSES = Paused((), ())


def utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(_("an aware datetime is needed, got naive {moment}").format(moment=moment.isoformat()))
    return moment.astimezone(UTC)


def paused_spans(spans: Iterable[Interval]) -> Paused:
    ordered = sorted((utc(a), utc(b)) for a, b in spans)
    merged: list[Interval] = []
    for begin, end in ordered:
        if end <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return Paused(tuple(merged), tuple(end for _begin, end in merged)) if merged else NO_PAUSES


def segments(plan: DayPlan) -> Iterator[tuple[datetime, datetime, SpanReason, str, str | None]]:
    """A day cut into working intervals and the gaps around them, with labels."""
    day = plan.day
    if not plan.intervals:
        reason, label = _day_off_reason(day)
        yield plan.begin, plan.end, reason, label, day.name_zh
        return
    label, name_zh = _working_label(day)
    cursor = plan.begin
    for index, (opening, closing) in enumerate(plan.intervals):
        if opening > cursor:
            gap = SpanReason.BREAK if index else SpanReason.OUTSIDE_HOURS
            yield cursor, opening, gap, _gap_label(gap), None
        yield opening, closing, SpanReason.WORKING, label, name_zh
        cursor = closing
    if cursor < plan.end:
        yield cursor, plan.end, SpanReason.OUTSIDE_HOURS, _gap_label(SpanReason.OUTSIDE_HOURS), None


def _gap_label(reason: SpanReason) -> str:
    return N_("break between working hours") if reason is SpanReason.BREAK else N_("outside working hours")


def _day_off_reason(day: CalendarDay) -> tuple[SpanReason, str]:
    named = f": {day.name}" if day.name else ""
    if day.kind is DayKind.HOLIDAY:
        if day.in_lieu:
            return (
                SpanReason.HOLIDAY,
                f"day off in lieu (调休){' for ' + day.name if day.name else ''}",
            )
        return SpanReason.HOLIDAY, f"statutory holiday{named}"
    if day.kind is DayKind.EXTRA_DAY_OFF:
        return SpanReason.DAY_OFF, f"day off by policy{named}"
    if day.kind is DayKind.WEEKEND:
        return SpanReason.WEEKEND, N_("weekend")
    return SpanReason.NO_HOURS, f"no working hours on {DAY_NAMES[day.day.weekday()]}s"


def _working_label(day: CalendarDay) -> tuple[str, str | None]:
    if day.kind is DayKind.MAKEUP_WORKDAY:
        suffix = f" for {day.name}" if day.name else ""
        return f"make-up working day (调休){suffix}", day.name_zh
    if day.kind is DayKind.EXTRA_WORKING_DAY:
        return f"extra working day by policy{': ' + day.name if day.name else ''}", None
    return N_("working hours"), None


def merge_spans(
    raw: list[tuple[datetime, datetime, bool, SpanReason, str, str | None]],
) -> list[tuple[datetime, datetime, bool, SpanReason, str, str | None]]:
    """Join touching spans with the same meaning (a holiday week is one span)."""
    merged: list[tuple[datetime, datetime, bool, SpanReason, str, str | None]] = []
    for item in raw:
        if merged and merged[-1][1] == item[0] and merged[-1][2:] == item[2:]:
            merged[-1] = (merged[-1][0], item[1], *item[2:])
        else:
            merged.append(item)
    return merged


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
