"""Business calendars and working-time arithmetic (SPEC section 3).

Pure values in, values out: no files, no git, no clock.  A `WorkCalendar` says
when a desk works — a time zone, opening hours per weekday, and the official
working days of a country (`casefile.officialdays`) plus policy overrides — and
answers `due_at`, `working_time`, `next_opening`, `is_open` and `explain_due`.

The conventions, fixed by SPEC section 3:

* Counting starts at the next opening; a deadline that falls exactly on a
  closing instant keeps it (09:00 + 3h on 5x8 is 12:00, not 13:00).  Formally
  the deadline is the *earliest* instant by which the working time reaches the
  duration.
* ``Nd`` (`WorkingDays`) is the same local clock time on the Nth working day
  after the counting start.
* Opening hours are local wall-clock times; working time is real elapsed time,
  so a 24-hour day is 23 or 25 hours long when daylight saving changes.
* Local times that do not exist or exist twice are read like ``java.time``
  does (and PEP 495 ``fold=0``): a time in the spring-forward gap moves forward
  by the gap (02:30 → 03:30 summer time), an ambiguous time is its first
  occurrence (summer time).  Opening intervals that collapse to nothing are
  dropped; intervals that then overlap are merged.
* All arithmetic runs on UTC instants: Python compares and subtracts two
  datetimes with the *same* tzinfo by wall clock, which is wrong across a DST
  change.  Results are returned in the calendar's zone, seconds kept.

Speed: working intervals are computed once per date and cached on the
calendar, and the arithmetic steps interval by interval, never minute by minute.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casefile.worktime.duration import Duration, WorkingDays
from casefile.errors import CasefileError
from casefile.worktime.officialdays import (
    DayKind,
    DeclaredYear,
    MissingYear,
    OfficialDay,
    OfficialDays,
    PolicyDateError,
    official_days,
    parse_dates,
)

__all__ = [
    "DEFAULT_CALENDARS",
    "DEFAULT_CALENDARS_YAML",
    "DEFAULT_TIMEZONE",
    "CalendarDay",
    "CalendarError",
    "DayKind",
    "DueExplanation",
    "MissingYear",
    "Opening",
    "SpanReason",
    "TimelineSpan",
    "WorkCalendar",
    "calendar_from_policy",
    "calendars_from_policy",
]

DEFAULT_TIMEZONE = "Asia/Shanghai"  # SPEC 3: "the time zone is the desk's (default Asia/Shanghai)"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONDAY_TO_FRIDAY = WEEKDAYS[:5]
# A calendar with no working day for this long is a policy mistake, not a wait.
HORIZON_DAYS = 366 * 100
_SUMMED_SPAN_DAYS = 3  # spans with more whole days than this add up running sums per day
_ONE_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)  # the resolution of datetime
_ZERO = timedelta(0)
_HOURS_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")

Interval = tuple[datetime, datetime]


class CalendarError(CasefileError):
    """A calendar in the policy that cannot be used; the message names the key."""


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


@dataclass(frozen=True, order=True)
class Opening:
    """One local wall-clock opening interval, in minutes after midnight (end ≤ 1440)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


@dataclass(frozen=True)
class CalendarDay:
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


@dataclass(frozen=True)
class TimelineSpan:
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
        return self.elapsed if self.counted else _ZERO


@dataclass(frozen=True)
class DueExplanation:
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


@dataclass(frozen=True, slots=True)
class _Plan:
    """A date's cached working intervals (UTC) and its boundaries."""

    day: CalendarDay
    begin: datetime  # local midnight, UTC
    end: datetime  # next local midnight, UTC
    intervals: tuple[Interval, ...]
    working: timedelta  # the day's working time: the sum of its intervals


@dataclass(frozen=True, slots=True)
class _Closed:
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


@dataclass(frozen=True)
class WorkCalendar:
    """When a desk works.  Build it with `calendar_from_policy`."""

    name: str
    timezone: str
    always: bool = False  # 7x24: every instant counts, no holidays
    week: tuple[tuple[Opening, ...], ...] = ((),) * 7  # Monday..Sunday
    workday_hours: tuple[Opening, ...] = ()  # hours of a make-up or extra working day
    official: OfficialDays | None = None  # None: `holidays: none`
    years: tuple[DeclaredYear, ...] = ()
    extra_days_off: tuple[tuple[date, str | None], ...] = ()
    extra_working_days: tuple[tuple[date, str | None], ...] = ()
    zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _plans: dict[date, _Plan] = field(init=False, repr=False, compare=False, default_factory=dict)
    # Working time from the first date asked about to the start of each date, for every
    # date between the earliest and the latest asked about (see `_before`).
    _sums: dict[date, timedelta] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "zone", ZoneInfo(self.timezone))

    # -- days ---------------------------------------------------------------

    def day(self, day: date) -> CalendarDay:
        """The status and working intervals of one local date (may raise MissingYear)."""
        return self._plan(day).day

    def is_working_day(self, day: date) -> bool:
        """True if the desk has working hours on this date."""
        return self._plan(day).day.working

    def working_day_on_or_after(self, day: date) -> date:
        """This date if it is a working day, else the next one (monthly bulletin, SPEC 5)."""
        for offset in range(HORIZON_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise self._no_working_time(day)

    # -- instants -----------------------------------------------------------

    def localize(self, wall: datetime) -> datetime:
        """Attach the zone to a naive wall-clock time (gap: moved forward; ambiguous: first)."""
        if wall.tzinfo is not None:
            raise ValueError(f"localize() takes a naive datetime, got {wall.isoformat()}")
        return self._wall_to_utc(wall).astimezone(self.zone)

    def is_open(self, at: datetime) -> bool:
        """True if `at` lies inside a working interval (a closing instant is not open)."""
        moment = _utc(at)
        # Bounded: the answer never needs tomorrow's data (no MissingYear on 31 December).
        for opening, _closing in self._intervals_from(moment, before=moment + _TICK):
            return opening <= moment
        return False

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself if the calendar is open then, else the start of the next working interval."""
        moment = _utc(at)
        for opening, _closing in self._intervals_from(moment):
            return max(opening, moment).astimezone(self.zone)
        raise AssertionError("unreachable")  # pragma: no cover

    def closing_after(self, at: datetime) -> datetime | None:
        """When the working interval open at `at` ends; None if closed then, or never closing (7x24)."""
        if self.always:
            return None
        moment = _utc(at)
        for opening, closing in self._intervals_from(moment):
            return closing.astimezone(self.zone) if opening <= moment else None
        raise AssertionError("unreachable")  # pragma: no cover

    def working_time(
        self, start: datetime, end: datetime, closed: Iterable[Interval] = ()
    ) -> timedelta:
        """Working time between two instants, minus `closed` (pauses); zero if end <= start."""
        begin, finish = _utc(start), _utc(end)
        return self._working_time(begin, finish, _closed(closed))

    def due_at(
        self, start: datetime, duration: Duration, closed: Iterable[Interval] = ()
    ) -> datetime:
        """The deadline of `duration` (working time, or `WorkingDays`) counted from `start`.

        Working time: the earliest instant by which `duration` of working time
        has passed (a closing instant is kept).  `WorkingDays(n)`: the local
        clock time of the counting start on the nth working day after it —
        that instant even if the desk's hours differ on that day.  `closed`
        are (start, end) instants that do not count (a paused clock); for
        `WorkingDays` the working time lost to them extends the deadline.
        An ongoing pause can be passed as (paused_at, now): "due if resumed now".
        """
        pauses = _closed(closed)
        if isinstance(duration, WorkingDays):
            due = self._due_days(_utc(start), duration.days, pauses)[0]
        else:
            due = self._due_time(_utc(start), duration, pauses)
        return due.astimezone(self.zone)

    def explain_due(
        self, start: datetime, duration: Duration, closed: Iterable[Interval] = ()
    ) -> DueExplanation:
        """`due_at` with its working: counted intervals and skipped spans with reasons."""
        pauses = _closed(closed)
        begin = _utc(start)
        days: tuple[date, ...] = ()
        if isinstance(duration, WorkingDays):
            due, days = self._due_days(begin, duration.days, pauses)
        else:
            due = self._due_time(begin, duration, pauses)
        spans = self._timeline(begin, due, pauses)
        return DueExplanation(
            calendar=self.name,
            start=begin.astimezone(self.zone),
            counting_from=self._counting_from(begin, pauses).astimezone(self.zone),
            duration=duration,
            due=due.astimezone(self.zone),
            working=sum((span.working for span in spans), _ZERO),
            spans=spans,
            working_days=days,
        )

    def timeline(
        self, start: datetime, end: datetime, closed: Iterable[Interval] = ()
    ) -> tuple[TimelineSpan, ...]:
        """Every stretch between two instants, counted or skipped, with reasons."""
        return self._timeline(_utc(start), _utc(end), _closed(closed))

    # -- arithmetic on UTC instants ----------------------------------------

    def _intervals_from(
        self, moment: datetime, before: datetime | None = None
    ) -> Iterator[Interval]:
        """Working intervals (UTC) that end after `moment`, in order.

        With `before`, only days that begin before it are looked at, so a
        question about 2026 never touches (and never fails on) 2027.
        """
        day = moment.astimezone(self.zone).date()
        for _ in range(HORIZON_DAYS):
            if before is not None and self._day_begin(day) >= before:
                return
            for interval in self._plan(day).intervals:
                if interval[1] > moment:
                    yield interval
            day += _ONE_DAY
        raise self._no_working_time(moment.date())

    def _counting_from(self, start: datetime, closed: _Closed) -> datetime:
        for opening, closing in self._intervals_from(start):
            for piece_from, _to, paused in closed.pieces(max(opening, start), closing):
                if not paused:
                    return piece_from
        raise AssertionError("unreachable")  # pragma: no cover

    def _due_time(self, start: datetime, duration: timedelta, closed: _Closed) -> datetime:
        if duration < _ZERO:
            raise ValueError(f"negative duration {duration}")
        remaining = duration
        if not remaining:
            return start  # the earliest instant with zero working time is the start
        for opening, closing in self._intervals_from(start):
            for piece_from, piece_to, paused in closed.pieces(max(opening, start), closing):
                if paused:
                    continue
                available = piece_to - piece_from
                # `>=`: a deadline exactly at a closing instant keeps it (SPEC 3).
                if available >= remaining:
                    return piece_from + remaining
                remaining -= available
        raise AssertionError("unreachable")  # pragma: no cover

    def _due_days(
        self, start: datetime, count: int, closed: _Closed
    ) -> tuple[datetime, tuple[date, ...]]:
        # SPEC 3: "2d" is the same clock time on the second working day after
        # the start, once a start outside hours has moved to the next opening.
        counting_from = self.next_opening(start)
        day = counting_from.date()
        days: list[date] = []
        for _ in range(HORIZON_DAYS):
            if len(days) == count:
                break
            day += _ONE_DAY
            if self.is_working_day(day):
                days.append(day)
        else:
            raise self._no_working_time(counting_from.date())
        due = self._wall_to_utc(datetime.combine(days[-1], counting_from.time()))
        if closed.spans:
            # A pause moves a working-day deadline on by the working time it took.
            lost = self._working_time(start, due, _NO_PAUSES) - self._working_time(
                start, due, closed
            )
            due = self._due_time(due, lost, closed)
        return due, tuple(days)

    def _working_time(self, start: datetime, end: datetime, closed: _Closed) -> timedelta:
        """Working time in [start, end) minus the (merged, disjoint) pauses in `closed`."""
        total = self._open_time(start, end)
        for paused_from, paused_to in closed.spans:
            begin, finish = max(paused_from, start), min(paused_to, end)
            if begin < finish:
                total -= self._open_time(begin, finish)
        return total

    def _open_time(self, start: datetime, end: datetime) -> timedelta:
        """Working time in [start, end): the two edge days counted, the whole days between summed.

        `check` and `list` ask this over months for cases open since long ago,
        so whole days come from running sums instead of being walked one by one.
        """
        if end <= start:
            return _ZERO
        first = start.astimezone(self.zone).date() + _ONE_DAY
        last = end.astimezone(self.zone).date()
        if (last - first).days < _SUMMED_SPAN_DAYS:
            return self._walked_time(start, end)
        return (
            self._walked_time(start, self._day_begin(first))
            + self._before(last) - self._before(first)
            + self._walked_time(self._day_begin(last), end)
        )

    def _before(self, day: date) -> timedelta:
        """Working time from the first date ever asked about up to the start of `day`."""
        sums = self._sums
        if day in sums:
            return sums[day]
        if not sums:
            sums[day] = _ZERO
            return _ZERO
        lowest, highest = min(sums), max(sums)  # sums covers every date between them
        if day > highest:
            running, current = sums[highest], highest
            while current < day:
                running += self._plan(current).working
                current += _ONE_DAY
                sums[current] = running
        else:
            running, current = sums[lowest], lowest
            while current > day:
                current -= _ONE_DAY
                running -= self._plan(current).working
                sums[current] = running
        return sums[day]

    def _walked_time(self, start: datetime, end: datetime) -> timedelta:
        total = _ZERO
        if end <= start:
            return total
        for opening, closing in self._intervals_from(start, before=end):
            if opening >= end:
                break
            total += min(closing, end) - max(opening, start)
        return total

    def _timeline(
        self, start: datetime, end: datetime, closed: _Closed
    ) -> tuple[TimelineSpan, ...]:
        raw: list[tuple[datetime, datetime, bool, SpanReason, str, str | None]] = []
        day = start.astimezone(self.zone).date()
        while self._day_begin(day) < end:
            plan = self._plan(day)
            for seg_from, seg_to, reason, label, name_zh in _segments(plan):
                seg_from, seg_to = max(seg_from, start), min(seg_to, end)
                if seg_from >= seg_to:
                    continue
                if reason is not SpanReason.WORKING:
                    raw.append((seg_from, seg_to, False, reason, label, name_zh))
                    continue
                for piece_from, piece_to, paused in closed.pieces(seg_from, seg_to):
                    if paused:
                        raw.append(
                            (piece_from, piece_to, False, SpanReason.PAUSED, "clock paused", None)
                        )
                    else:
                        raw.append((piece_from, piece_to, True, reason, label, name_zh))
            day += _ONE_DAY
        return tuple(self._span(*item) for item in _merge(raw))

    def _span(
        self,
        begin: datetime,
        end: datetime,
        counted: bool,
        reason: SpanReason,
        label: str,
        name_zh: str | None,
    ) -> TimelineSpan:
        return TimelineSpan(
            begin.astimezone(self.zone),
            end.astimezone(self.zone),
            counted,
            reason,
            label,
            name_zh,
            end - begin,
        )

    # -- per-date plans -----------------------------------------------------

    def _plan(self, day: date) -> _Plan:
        plan = self._plans.get(day)
        if plan is None:
            plan = self._plans[day] = self._make_plan(day)
        return plan

    def _day_begin(self, day: date) -> datetime:
        """Local midnight of a date, UTC (needs no official data)."""
        plan = self._plans.get(day)
        return plan.begin if plan else self._wall_to_utc(datetime.combine(day, time()))

    def _make_plan(self, day: date) -> _Plan:
        begin = self._day_begin(day)
        end = self._day_begin(day + _ONE_DAY)
        if self.always:
            status = OfficialDay(day, DayKind.WORKDAY, source="always (7x24)")
            hours: tuple[Opening, ...] = (Opening(0, 1440),)
        else:
            status = self._status(day)
            hours = self._hours(status)
        intervals = self._utc_intervals(day, hours)
        calendar_day = CalendarDay(
            day=day,
            kind=status.kind,
            hours=hours if intervals else (),
            intervals=tuple(
                (a.astimezone(self.zone), b.astimezone(self.zone)) for a, b in intervals
            ),
            name=status.name,
            name_zh=status.name_zh,
            in_lieu=status.in_lieu,
            source=status.source,
        )
        return _Plan(calendar_day, begin, end, intervals, sum((b - a for a, b in intervals), _ZERO))

    def _status(self, day: date) -> OfficialDay:
        """Policy extras first, then the policy's declared year, then the library."""
        where = f"policy calendars.{self.name}"
        extra_off = dict(self.extra_days_off)
        if day in extra_off:
            return OfficialDay(
                day, DayKind.EXTRA_DAY_OFF, extra_off[day], source=f"{where}.extra_days_off"
            )
        extra_on = dict(self.extra_working_days)
        if day in extra_on:
            return OfficialDay(
                day, DayKind.EXTRA_WORKING_DAY, extra_on[day], source=f"{where}.extra_working_days"
            )
        if self.official is None:
            # `holidays: none`: the desk's own week decides what a weekend is.
            kind = DayKind.WORKDAY if self.week[day.weekday()] else DayKind.WEEKEND
            return OfficialDay(day, kind, source=f"{where}.weekdays")
        for declared in self.years:
            if declared.year == day.year:
                return declared.day(day)
        if self.official.covers(day.year):
            return self.official.day(day)
        # SPEC 3: an unknown year is a loud error, never a guess of Monday to Friday.
        raise MissingYear(self.name, day.year, self.official.publisher, self.official.package)

    def _hours(self, status: OfficialDay) -> tuple[Opening, ...]:
        if status.kind in (DayKind.HOLIDAY, DayKind.EXTRA_DAY_OFF):
            return ()
        if status.kind in (DayKind.MAKEUP_WORKDAY, DayKind.EXTRA_WORKING_DAY):
            # A make-up day (调休) works like a normal working day, whatever its weekday.
            return self.workday_hours
        return self.week[status.day.weekday()]

    def _utc_intervals(self, day: date, hours: tuple[Opening, ...]) -> tuple[Interval, ...]:
        midnight = datetime.combine(day, time())
        result: list[Interval] = []
        for opening in hours:
            begin = self._wall_to_utc(midnight + timedelta(minutes=opening.start))
            end = self._wall_to_utc(midnight + timedelta(minutes=opening.end))
            if end <= begin:
                continue  # collapsed inside a DST gap
            if result and begin <= result[-1][1]:
                result[-1] = (result[-1][0], max(end, result[-1][1]))
            else:
                result.append((begin, end))
        return tuple(result)

    def _wall_to_utc(self, wall: datetime) -> datetime:
        # fold=0: a gap time moves forward by the gap, an ambiguous time is the first.
        return wall.replace(tzinfo=self.zone, fold=0).astimezone(UTC)

    def _no_working_time(self, day: date) -> CalendarError:
        return CalendarError(
            f"calendar {self.name} has no working time within "
            f"{HORIZON_DAYS // 366} years after {day}"
        )


_NO_PAUSES = _Closed((), ())


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, got naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _closed(spans: Iterable[Interval]) -> _Closed:
    ordered = sorted((_utc(a), _utc(b)) for a, b in spans)
    merged: list[Interval] = []
    for begin, end in ordered:
        if end <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return _Closed(tuple(merged), tuple(end for _begin, end in merged)) if merged else _NO_PAUSES


def _segments(plan: _Plan) -> Iterator[tuple[datetime, datetime, SpanReason, str, str | None]]:
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
    return "break between working hours" if reason is SpanReason.BREAK else "outside working hours"


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
        return SpanReason.WEEKEND, "weekend"
    return SpanReason.NO_HOURS, f"no working hours on {DAY_NAMES[day.day.weekday()]}s"


def _working_label(day: CalendarDay) -> tuple[str, str | None]:
    if day.kind is DayKind.MAKEUP_WORKDAY:
        suffix = f" for {day.name}" if day.name else ""
        return f"make-up working day (调休){suffix}", day.name_zh
    if day.kind is DayKind.EXTRA_WORKING_DAY:
        return f"extra working day by policy{': ' + day.name if day.name else ''}", None
    return "working hours", None


def _merge(
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


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# -- building calendars from the policy ------------------------------------

_KEYS = {
    "timezone",
    "always",
    "holidays",
    "hours",
    "weekdays",
    "extra_days_off",
    "extra_working_days",
    "years",
}
_NOT_WITH_ALWAYS = _KEYS - {"timezone", "always"}


def calendars_from_policy(section: object) -> dict[str, WorkCalendar]:
    """Every calendar of a policy's `calendars:` mapping, by name."""
    if not isinstance(section, Mapping):
        raise CalendarError(f"calendars: expected a mapping of calendar names, got {section!r}")
    return {str(name): calendar_from_policy(str(name), body) for name, body in section.items()}


def calendar_from_policy(name: str, mapping: object) -> WorkCalendar:
    """Build one calendar from its policy mapping (plain dicts/lists/str as loaded from YAML).

    Keys (errors name them, e.g. ``calendars.5x8.hours``):

    ``timezone``
        IANA name, default ``Asia/Shanghai``.
    ``always: true``
        7x24: every instant counts; no other key but ``timezone`` allowed.
    ``holidays``
        ``CN`` (official days from chinese-calendar) or ``none``; required.
    ``hours``
        a list of ``"HH:MM-HH:MM"`` ranges (``24:00`` allowed as an end) for
        every day in ``weekdays``; or a mapping ``{mon: [...], …, sat: [...]}``
        per weekday (a missing day is closed) plus an optional ``workday``
        entry.  A make-up working day (调休) or extra working day uses the hours
        of a normal working day: the list, or ``workday``, or — when
        ``workday`` is absent — Monday–Friday's hours if they are all equal.
    ``weekdays``
        only with a list of hours; default ``[mon, tue, wed, thu, fri]``.
        With ``holidays: CN`` a listed day still closes on statutory holidays.
    ``extra_days_off`` / ``extra_working_days``
        dates, ``2026-10-01..2026-10-07`` ranges, or a mapping
        ``{date: name}``; they win over everything else.
    ``years``
        only with a country: ``{2027: {days_off: [...], working_days: [...]}}``
        (same date forms).  A declared year replaces the library for that
        year: Saturday and Sunday off, ``days_off`` off, ``working_days`` on.
    """
    where = f"calendars.{name}"
    if not isinstance(mapping, Mapping):
        raise CalendarError(f"{where}: expected a mapping, got {mapping!r}")
    unknown = sorted(str(key) for key in mapping if key not in _KEYS)
    if unknown:
        raise CalendarError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_KEYS))})"
        )
    zone = _timezone(mapping.get("timezone", DEFAULT_TIMEZONE), f"{where}.timezone")
    always = mapping.get("always", False)
    if not isinstance(always, bool):
        raise CalendarError(f"{where}.always: expected true or false, got {always!r}")
    if always:
        extra = sorted(key for key in _NOT_WITH_ALWAYS if key in mapping)
        if extra:
            raise CalendarError(
                f"{where}: `always: true` counts every minute; remove {', '.join(extra)}"
            )
        return WorkCalendar(name, zone, always=True)
    official = _country(mapping.get("holidays"), f"{where}.holidays")
    week, workday = _week(mapping, where)
    try:
        days_off = parse_dates(mapping.get("extra_days_off"), f"{where}.extra_days_off")
        working_days = parse_dates(mapping.get("extra_working_days"), f"{where}.extra_working_days")
        years = _years(mapping.get("years"), official, where)
    except PolicyDateError as error:
        raise CalendarError(error.message) from None
    _no_overlap(days_off, working_days, f"{where}: extra_days_off and extra_working_days")
    if workday is None and (official is not None or working_days):
        raise CalendarError(
            f"{where}.hours: the weekday hours differ, so add a `workday` entry with the hours "
            "of a make-up or extra working day"
        )
    if not any(week) and not working_days:
        raise CalendarError(f"{where}: no working hours on any day of the week")
    return WorkCalendar(
        name,
        zone,
        week=week,
        workday_hours=workday or (),
        official=official,
        years=years,
        extra_days_off=tuple(sorted(days_off.items())),
        extra_working_days=tuple(sorted(working_days.items())),
    )


def _timezone(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise CalendarError(f"{where}: expected a time zone name like Asia/Shanghai, got {value!r}")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            f"{where}: unknown time zone {value!r} (e.g. Asia/Shanghai, Europe/Berlin)"
        ) from None
    return value


def _country(value: object, where: str) -> OfficialDays | None:
    if value is None:
        raise CalendarError(
            f"{where}: say `holidays: CN` for China's official days, or `holidays: none`"
        )
    if not isinstance(value, str):
        raise CalendarError(f"{where}: expected a country code (CN) or none, got {value!r}")
    if value.strip().lower() == "none":
        return None
    official = official_days(value.strip())
    if official is None:
        raise CalendarError(
            f"{where}: unknown country {value!r} (known: CN, none; "
            "for other countries use none with extra_days_off)"
        )
    return official


def _week(
    mapping: Mapping[object, object], where: str
) -> tuple[tuple[tuple[Opening, ...], ...], tuple[Opening, ...] | None]:
    """Opening hours per weekday, and the hours of a make-up working day (None: undecidable)."""
    hours = mapping.get("hours")
    if hours is None:
        raise CalendarError(f'{where}.hours: missing (e.g. hours: ["09:00-12:00", "13:00-18:00"])')
    if isinstance(hours, Mapping):
        if "weekdays" in mapping:
            raise CalendarError(
                f"{where}: give either `weekdays` with a list of hours, or hours per weekday"
            )
        return _week_from_mapping(hours, f"{where}.hours")
    openings = _openings(hours, f"{where}.hours")
    weekdays = _weekday_names(mapping.get("weekdays", list(MONDAY_TO_FRIDAY)), f"{where}.weekdays")
    return tuple(openings if day in weekdays else () for day in WEEKDAYS), openings


def _week_from_mapping(
    hours: Mapping[object, object], where: str
) -> tuple[tuple[tuple[Opening, ...], ...], tuple[Opening, ...] | None]:
    unknown = sorted(str(key) for key in hours if key not in (*WEEKDAYS, "workday"))
    if unknown:
        raise CalendarError(f"{where}: unknown day {unknown[0]!r} (use mon, tue, … sun, workday)")
    week = tuple(_openings(hours.get(day) or [], f"{where}.{day}") for day in WEEKDAYS)
    if "workday" in hours:
        return week, _openings(hours["workday"], f"{where}.workday")
    # Without `workday`, a make-up day can only borrow Monday–Friday hours if they agree.
    weekday_hours = set(week[:5])
    return week, weekday_hours.pop() if len(weekday_hours) == 1 and week[0] else None


def _weekday_names(value: object, where: str) -> set[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(day, str) for day in value):
        raise CalendarError(
            f"{where}: expected a list like [mon, tue, wed, thu, fri], got {value!r}"
        )
    names = {day.strip().lower()[:3] for day in value}
    unknown = sorted(names - set(WEEKDAYS))
    if unknown:
        raise CalendarError(
            f"{where}: unknown weekday {unknown[0]!r} (use mon, tue, wed, thu, fri, sat, sun)"
        )
    return names


def _openings(value: object, where: str) -> tuple[Opening, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise CalendarError(
            f'{where}: expected a list like ["09:00-12:00", "13:00-18:00"], got {value!r}'
        )
    openings = sorted(_opening(item, where) for item in items)
    merged: list[Opening] = []
    for opening in openings:
        if merged and opening.start < merged[-1].end:
            raise CalendarError(f"{where}: {merged[-1]} overlaps {opening}")
        if merged and opening.start == merged[-1].end:
            merged[-1] = Opening(merged[-1].start, opening.end)  # 09:00-12:00 + 12:00-13:00
        else:
            merged.append(opening)
    return tuple(merged)


def _opening(item: object, where: str) -> Opening:
    match = _HOURS_RE.fullmatch(item.strip()) if isinstance(item, str) else None
    if match is None:
        raise CalendarError(
            f'{where}: {item!r} is not a time range like "09:00-12:00" (quote it in YAML)'
        )
    start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
    start, end = start_h * 60 + start_m, end_h * 60 + end_m
    if start_h > 23 or end_h > 24 or start_m > 59 or end_m > 59 or end > 1440:
        raise CalendarError(f"{where}: {item!r} is not a time of day (00:00 to 24:00)")
    if end <= start:
        raise CalendarError(
            f"{where}: {item!r} ends before it starts "
            "(a night shift is two ranges: 22:00-24:00 and 00:00-06:00)"
        )
    return Opening(start, end)


def _years(value: object, official: OfficialDays | None, where: str) -> tuple[DeclaredYear, ...]:
    if not value:
        return ()
    if official is None:
        raise CalendarError(
            f"{where}.years: only for a calendar with official holidays; use extra_days_off"
        )
    if not isinstance(value, Mapping):
        raise CalendarError(
            f"{where}.years: expected a mapping like "
            "{2027: {days_off: [...], working_days: [...]}}"
        )
    return tuple(
        sorted(
            (_declared_year(key, body, where) for key, body in value.items()), key=lambda y: y.year
        )
    )


def _declared_year(key: object, body: object, where: str) -> DeclaredYear:
    if not (isinstance(key, int) or (isinstance(key, str) and key.isdigit())):
        raise CalendarError(f"{where}.years: {key!r} is not a year")
    year = int(key)
    here = f"{where}.years.{year}"
    if not isinstance(body, Mapping):
        raise CalendarError(f"{here}: expected days_off and working_days, got {body!r}")
    unknown = sorted(str(k) for k in body if k not in ("days_off", "working_days"))
    if unknown:
        raise CalendarError(f"{here}: unknown key {unknown[0]!r} (known: days_off, working_days)")
    days_off = parse_dates(body.get("days_off"), f"{here}.days_off")
    working_days = parse_dates(body.get("working_days"), f"{here}.working_days")
    for listed, name in ((days_off, "days_off"), (working_days, "working_days")):
        stray = sorted(day for day in listed if day.year != year)
        if stray:
            raise CalendarError(f"{here}.{name}: {stray[0]} is not in {year}")
    _no_overlap(days_off, working_days, f"{here}: days_off and working_days")
    return DeclaredYear(year, days_off, working_days, source=f"policy {here}")


def _no_overlap(first: Mapping[date, object], second: Mapping[date, object], where: str) -> None:
    both = sorted(set(first) & set(second))
    if both:
        raise CalendarError(f"{where} both list {both[0]}")


# -- shipped defaults (SPEC 3: 7x24, 5x24, 5x8 in China) --------------------

DEFAULT_CALENDARS_YAML = """\
calendars:
  # Level A/B coverage: every minute counts, holidays included.
  7x24:
    timezone: Asia/Shanghai
    always: true
  # Level C coverage: whole official working days (China, with 调休 make-up days).
  5x24:
    timezone: Asia/Shanghai
    holidays: CN
    hours: ["00:00-24:00"]
  # Level D coverage and online service: working hours on official working days.
  5x8:
    timezone: Asia/Shanghai
    holidays: CN
    hours: ["09:00-12:00", "13:00-18:00"]
    extra_days_off: []
    extra_working_days: []
    # A year the holiday library does not know yet, from the State Council notice:
    # years:
    #   2027:
    #     days_off: ["2027-01-01", "2027-02-05..2027-02-11"]
    #     working_days: ["2027-02-14"]
    years: {}
"""

DEFAULT_CALENDARS: Mapping[str, Mapping[str, object]] = {
    "7x24": {"timezone": "Asia/Shanghai", "always": True},
    "5x24": {"timezone": "Asia/Shanghai", "holidays": "CN", "hours": ["00:00-24:00"]},
    "5x8": {
        "timezone": "Asia/Shanghai",
        "holidays": "CN",
        "hours": ["09:00-12:00", "13:00-18:00"],
        "extra_days_off": [],
        "extra_working_days": [],
        "years": {},
    },
}
