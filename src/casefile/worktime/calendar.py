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

from collections.abc import Iterable, Iterator
from typing import TypeVar
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from casefile.errors import CasefileError
from casefile.values import Struct
from casefile.worktime.duration import Duration, WorkingDays
from casefile.worktime.officialdays import DayKind, DeclaredYear, MissingYear, OfficialDay, OfficialDays
from casefile.worktime.spans import (
    NO_PAUSES,
    ZERO,
    CalendarDay,
    DayPlan,
    DueExplanation,
    Interval,
    Opening,
    Paused,
    SpanReason,
    TimelineSpan,
    merge_spans,
    paused_spans,
    segments,
    utc,
)
from casefile.i18n import _

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONDAY_TO_FRIDAY = WEEKDAYS[:5]
# A calendar with no working day for this long is a policy mistake, not a wait.
HORIZON_DAYS = 366 * 100
T = TypeVar("T")
_SUMMED_SPAN_DAYS = 3  # spans with more whole days than this add up running sums per day
_ONE_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)  # the resolution of datetime


class CalendarError(CasefileError):
    """A calendar in the policy that cannot be used; the message names the key."""


class WorkCalendar(Struct, frozen=True, dict=True):
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

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _plans(self) -> dict[date, DayPlan]:
        return {}

    @cached_property
    def _sums(self) -> dict[date, timedelta]:
        """Working time from the first date asked about to the start of each date, for every
        date between the earliest and the latest asked about (see `_before`)."""
        return {}

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
            raise ValueError(_("localize() takes a naive datetime, got {wall}").format(wall=wall.isoformat()))
        return self._wall_to_utc(wall).astimezone(self.zone)

    def is_open(self, at: datetime) -> bool:
        """True if `at` lies inside a working interval (a closing instant is not open)."""
        moment = utc(at)
        # Bounded: the answer never needs tomorrow's data (no MissingYear on 31 December).
        for opening, _closing in self._intervals_from(moment, before=moment + _TICK):
            return opening <= moment
        return False

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself if the calendar is open then, else the start of the next working interval."""
        moment = utc(at)
        for opening, _closing in self._intervals_from(moment):
            return max(opening, moment).astimezone(self.zone)
        raise AssertionError(_("unreachable"))  # pragma: no cover

    def closing_after(self, at: datetime) -> datetime | None:
        """When the working interval open at `at` ends; None if closed then, or never closing (7x24).

        Bounded like `is_open`: only the day of `at` is looked at (an interval ends by midnight).
        """
        if self.always:
            return None
        moment = utc(at)
        for opening, closing in self._intervals_from(moment, before=moment + _TICK):
            return closing.astimezone(self.zone) if opening <= moment else None
        return None

    def has_year(self, year: int) -> bool:
        """Whether the calendar can answer for every day of `year` (no `MissingYear`)."""
        if self.always or self.official is None:
            return True
        return any(declared.year == year for declared in self.years) or self.official.covers(year)

    def working_time(
        self, start: datetime, end: datetime, closed: Iterable[Interval] = ()
    ) -> timedelta:
        """Working time between two instants, minus `closed` (pauses); zero if end <= start."""
        begin, finish = utc(start), utc(end)
        return self._working_time(begin, finish, paused_spans(closed))

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
        pauses = paused_spans(closed)
        if isinstance(duration, WorkingDays):
            due = _found(self._due_days(utc(start), duration.days, pauses))[0]
        else:
            due = _found(self._due_time(utc(start), duration, pauses))
        return due.astimezone(self.zone)

    def due_by(
        self, start: datetime, duration: Duration, limit: datetime, closed: Iterable[Interval] = ()
    ) -> datetime | None:
        """`due_at`, if the deadline falls at or before `limit`; None if it falls later.

        Looks at no day after `limit`: whether a clock that stopped on 31 December
        was met, or whether a running one is overdue now, never needs next year's
        official days.  (A day up to `limit` without data still raises `MissingYear`.)
        """
        pauses = paused_spans(closed)
        bound = utc(limit)
        if isinstance(duration, WorkingDays):
            found = self._due_days(utc(start), duration.days, pauses, bound)
            return found[0].astimezone(self.zone) if found is not None else None
        due = self._due_time(utc(start), duration, pauses, bound)
        return due.astimezone(self.zone) if due is not None else None

    def explain_due(
        self, start: datetime, duration: Duration, closed: Iterable[Interval] = ()
    ) -> DueExplanation:
        """`due_at` with its working: counted intervals and skipped spans with reasons."""
        pauses = paused_spans(closed)
        begin = utc(start)
        days: tuple[date, ...] = ()
        if isinstance(duration, WorkingDays):
            due, days = _found(self._due_days(begin, duration.days, pauses))
        else:
            due = _found(self._due_time(begin, duration, pauses))
        spans = self._timeline(begin, due, pauses)
        return DueExplanation(
            calendar=self.name,
            start=begin.astimezone(self.zone),
            counting_from=self._counting_from(begin, pauses).astimezone(self.zone),
            duration=duration,
            due=due.astimezone(self.zone),
            working=sum((span.working for span in spans), ZERO),
            spans=spans,
            working_days=days,
        )

    def timeline(
        self, start: datetime, end: datetime, closed: Iterable[Interval] = ()
    ) -> tuple[TimelineSpan, ...]:
        """Every stretch between two instants, counted or skipped, with reasons."""
        return self._timeline(utc(start), utc(end), paused_spans(closed))

    # -- arithmetic on UTC instants ----------------------------------------

    def _intervals_from(
        self, moment: datetime, before: datetime | None = None
    ) -> Iterator[Interval]:
        """Working intervals (UTC) that end after `moment`, in order.

        With `before`, only days that begin before it are looked at, so a
        question about 2026 never touches (and never fails on) 2027.
        """
        day = moment.astimezone(self.zone).date()
        for __ in range(HORIZON_DAYS):
            if before is not None and self._day_begin(day) >= before:
                return
            for interval in self._plan(day).intervals:
                if interval[1] > moment:
                    yield interval
            day += _ONE_DAY
        raise self._no_working_time(moment.date())

    def _counting_from(self, start: datetime, closed: Paused) -> datetime:
        for opening, closing in self._intervals_from(start):
            for piece_from, _to, paused in closed.pieces(max(opening, start), closing):
                if not paused:
                    return piece_from
        raise AssertionError(_("unreachable"))  # pragma: no cover

    def _due_time(
        self, start: datetime, duration: timedelta, closed: Paused, limit: datetime | None = None
    ) -> datetime | None:
        """The deadline; with `limit`, None when it falls after it (no day after `limit` is read)."""
        if duration < ZERO:
            raise ValueError(_("negative duration {duration}").format(duration=duration))
        remaining = duration
        if not remaining:
            # The earliest instant with zero working time is the start.
            return start if limit is None or start <= limit else None
        before = None if limit is None else limit + _TICK
        for opening, closing in self._intervals_from(start, before=before):
            if limit is not None and opening > limit:
                return None
            for piece_from, piece_to, paused in closed.pieces(max(opening, start), closing):
                if paused:
                    continue
                available = piece_to - piece_from
                # `>=`: a deadline exactly at a closing instant keeps it (SPEC 3).
                if available >= remaining:
                    due = piece_from + remaining
                    return due if limit is None or due <= limit else None
                remaining -= available
        return None  # only with a limit: the intervals up to it did not add up

    def _opening_by(self, start: datetime, limit: datetime | None) -> datetime | None:
        """`next_opening` (UTC); with `limit`, None when the next opening is after it."""
        before = None if limit is None else limit + _TICK
        for opening, _closing in self._intervals_from(start, before=before):
            found = max(opening, start)
            return found if limit is None or found <= limit else None
        return None

    def _due_days(
        self, start: datetime, count: int, closed: Paused, limit: datetime | None = None
    ) -> tuple[datetime, tuple[date, ...]] | None:
        # SPEC 3: "2d" is the same clock time on the second working day after
        # the start, once a start outside hours has moved to the next opening.
        opening = self._opening_by(start, limit)
        if opening is None:
            return None
        counting_from = opening.astimezone(self.zone)
        day = counting_from.date()
        days: list[date] = []
        for __ in range(HORIZON_DAYS):
            if len(days) == count:
                break
            day += _ONE_DAY
            if limit is not None and self._day_begin(day) > limit:
                return None  # the deadline lies on this day or later: after `limit`
            if self.is_working_day(day):
                days.append(day)
        else:
            raise self._no_working_time(counting_from.date())
        due: datetime | None = self._wall_to_utc(datetime.combine(days[-1], counting_from.time()))
        if limit is not None and due is not None and due > limit:
            return None
        if closed.spans and due is not None:
            # A pause moves a working-day deadline on by the working time it took.
            lost = self._working_time(start, due, NO_PAUSES) - self._working_time(
                start, due, closed
            )
            due = self._due_time(due, lost, closed, limit)
        return (due, tuple(days)) if due is not None else None

    def _working_time(self, start: datetime, end: datetime, closed: Paused) -> timedelta:
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
            return ZERO
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
            sums[day] = ZERO
            return ZERO
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
        total = ZERO
        if end <= start:
            return total
        for opening, closing in self._intervals_from(start, before=end):
            if opening >= end:
                break
            total += min(closing, end) - max(opening, start)
        return total

    def _timeline(
        self, start: datetime, end: datetime, closed: Paused
    ) -> tuple[TimelineSpan, ...]:
        raw: list[tuple[datetime, datetime, bool, SpanReason, str, str | None]] = []
        day = start.astimezone(self.zone).date()
        while self._day_begin(day) < end:
            plan = self._plan(day)
            for seg_from, seg_to, reason, label, name_zh in segments(plan):
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
        return tuple(self._span(*item) for item in merge_spans(raw))

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

    def _plan(self, day: date) -> DayPlan:
        plan = self._plans.get(day)
        if plan is None:
            plan = self._plans[day] = self._make_plan(day)
        return plan

    def _day_begin(self, day: date) -> datetime:
        """Local midnight of a date, UTC (needs no official data)."""
        plan = self._plans.get(day)
        return plan.begin if plan else self._wall_to_utc(datetime.combine(day, time()))

    def _make_plan(self, day: date) -> DayPlan:
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
        return DayPlan(calendar_day, begin, end, intervals, sum((b - a for a, b in intervals), ZERO))

    def _status(self, day: date) -> OfficialDay:
        """Policy extras first, then the calendar's own declared year, then the official days (the repository's
        `calendars/official/*.yaml` over the package, see `officialdays.AddedDays`)."""
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


def _found(value: T | None) -> T:
    """An unbounded search always finds (or raises): its answer, typed."""
    assert value is not None
    return value
