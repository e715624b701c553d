"""The SLA engine: every clock and ladder step of one case at one instant.

Pure: `evaluate(facts, policy, now)` takes a case's facts (`casefacts`), the
SLA part of the policy version the case was opened under, and the time, and
returns values; no files, no git, no clock.

Rules (SPEC section 3; README "Service levels"):

* A clock starts at the first `start` event (a clock that starts at
  `resolved` or `closed` starts at the last one that was not undone by a
  reopen) and stops at the first `stop` event after it.  Closing a case stops
  every clock that did not start at the restore.
* Reopen: a stop at `resolved`/`closed` that a `reopened` event undoes is
  not a stop; the clock runs on from the reopen, and the time between the
  resolution and the reopen does not count (as if paused).
* Pauses are the case's `pauses` whose `waiting_on` the clock lists; they
  are measured on the clock's own calendar.  A pause still open counts up to
  `now` ("due if resumed now").
* A deadline is the earliest instant by which the working time reaches the
  target; a stop at or before it is met.  A clock running at or after its
  deadline is breached.
* A restarting clock (`restart: progress`) begins a new cycle at every
  restart event; each cycle is judged on its own.
* The level is the case's current level, always counted from the original
  report, so a level change recomputes everything with the recorded pauses.
* Ladder steps count on the level's coverage calendar (or the ladder's)
  from the report; the ladder stops at restore.  A step is reached when its
  working time passed before the ladder stopped.

Alerts: a warning is due at `warn_at` of a running clock; a breach at the
deadline; a ladder step at its time.  Each has a stable `key` built from the
case's data alone.  Breaches and ladder steps reached before the stop are
due even if the case has moved on since (nothing is silently skipped after a
missed run); warnings only while the clock still runs.  For a level whose
coverage calendar is closed at the due time (and `page_outside_hours` is
false) the alert is not paged before the next opening (`page_at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from casefile.policy.sla import ClockDef, LadderDef, SlaPolicy, Target, WarnRule
from casefile.sla.facts import CaseFacts, Interval
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.duration import Duration, format_duration

UNDOABLE = frozenset({"resolved", "closed"})  # a reopen undoes them
_SECOND = timedelta(seconds=1)
_ZERO = timedelta(0)


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"


class AlertKind(StrEnum):
    WARNING = "warning"
    BREACH = "breach"
    LADDER = "ladder"
    PAGE = "page"  # an unacknowledged page sent again (`check/paging.py`), never made by the engine
    REMINDER = "reminder"  # not from the engine: a report that is due (bulletinreminder)


@dataclass(frozen=True)
class ClockRun:
    """One clock of one case (for a restarting clock: its current cycle)."""

    name: str
    label: str
    label_zh: str
    calendar: str
    within: Duration
    state: ClockState
    start_at: datetime | None = None
    due_at: datetime | None = None
    stopped_at: datetime | None = None
    stopped_by: str | None = None
    warn_at: datetime | None = None
    elapsed: timedelta = _ZERO  # working time counted
    difference: timedelta | None = None  # + left or to spare, - over
    closed: tuple[Interval, ...] = ()  # pauses and reopen gaps that did not count
    cycle: int = 0  # restarting clocks: how many restarts before this cycle
    breached_cycles: int = 0  # restarting clocks: earlier cycles that were breached
    paused_since: datetime | None = None
    note: str = ""  # why not applicable / not started

    @property
    def breached(self) -> bool:
        return self.state is ClockState.BREACHED

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.state in (
            ClockState.RUNNING,
            ClockState.PAUSED,
            ClockState.BREACHED,
        )


@dataclass(frozen=True)
class Alert:
    """A warning, breach or ladder step that `check` records once."""

    key: str
    kind: AlertKind
    subject: str  # clock or ladder name
    label: str  # English words for reports
    due_at: datetime
    page_at: datetime  # not paged before this (quiet hours of business-hours levels)
    roles: tuple[str, ...]
    step: str = ""  # "30m" for a ladder step, "80%" for a warning

    @property
    def deferred(self) -> bool:
        return self.page_at > self.due_at


@dataclass(frozen=True)
class StepRun:
    after: Duration
    roles: tuple[str, ...]
    due_at: datetime | None
    reached: bool


@dataclass(frozen=True)
class LadderRun:
    name: str
    calendar: str
    start_at: datetime | None
    stopped_at: datetime | None
    steps: tuple[StepRun, ...]
    closed: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class CaseSla:
    case_id: str
    level: str
    policy: str | None
    now: datetime
    clocks: tuple[ClockRun, ...]
    ladder: LadderRun | None
    alerts: tuple[Alert, ...]  # every alert due by `now`, in order, fired or not
    fired: frozenset[str]  # keys already recorded in the case
    next_event: datetime | None = None  # a recorded event after `now` (a replay): it changes things too
    quiet_from: datetime | None = None  # when the level's business hours close: new alerts are held from then

    def new_alerts(self) -> tuple[Alert, ...]:
        """Due, pageable by now, and not yet recorded."""
        return tuple(a for a in self.alerts if a.key not in self.fired and a.page_at <= self.now)

    def deferred_alerts(self) -> tuple[Alert, ...]:
        return tuple(a for a in self.alerts if a.key not in self.fired and a.page_at > self.now)

    @property
    def breached(self) -> tuple[ClockRun, ...]:
        return tuple(c for c in self.clocks if c.breached)

    def next_change(self) -> datetime | None:
        """The first moment after `now` at which this evaluation may read differently.

        Only the working time counted so far changes in between (it grows with
        every working second).  What can change by itself: a running clock's
        warning or deadline, a ladder step not yet reached, an alert held until
        the desk opens.  Paused clocks, stopped ones and everything else change
        only with the case — a new event, a new blob, a new evaluation.  None:
        nothing falls due any more.  A moving deadline (a ladder that pauses)
        is taken as it reads now: the next look then finds it later again.
        """
        times = [
            moment
            for clock in self.clocks
            if clock.stopped_at is None and clock.state in (ClockState.RUNNING, ClockState.BREACHED)
            for moment in (clock.warn_at, clock.due_at)
            if moment is not None and moment > self.now
        ]
        if self.ladder is not None and self.ladder.stopped_at is None:
            times += [s.due_at for s in self.ladder.steps if s.due_at and not s.reached and s.due_at > self.now]
        times += [a.page_at for a in self.alerts if a.key not in self.fired and a.page_at > self.now]
        if self.next_event is not None:
            times.append(self.next_event)
        if self.quiet_from is not None and self.new_alerts():
            times.append(self.quiet_from)
        return min(times, default=None)

    def next_deadline(self) -> ClockRun | None:
        """The running clock (not paused; overdue ones included) that falls due first."""
        running = [c for c in self.clocks if c.running and c.state is not ClockState.PAUSED and c.due_at]
        return min(running, key=lambda c: c.due_at, default=None)  # type: ignore[arg-type, return-value]


# -- evaluation ---------------------------------------------------------------


def evaluate(facts: CaseFacts, policy: SlaPolicy, now: datetime) -> CaseSla:
    """Every clock and ladder step of a case at `now` (may raise MissingYear)."""
    level = policy.level(facts.level)
    coverage = policy.calendars[level.coverage]
    clocks: list[ClockRun] = []
    alerts: list[Alert] = []
    for target in level.targets:
        run, found = _clock(facts, target, policy.calendars[target.calendar], now)
        clocks.append(run)
        alerts.extend(found)
    ladder_def = policy.ladder_for(facts.level, facts.type)
    ladder = None
    if ladder_def is not None:
        calendar = policy.calendars[ladder_def.calendar or level.coverage]
        ladder, found = _ladder(facts, ladder_def, calendar, now)
        alerts.extend(found)
    warn_to, breach_to = policy.alerts.warning_to, policy.alerts.breach_to
    paged = [
        _paged(alert, coverage, level.page_outside_hours, now, warn_to, breach_to) for alert in alerts
    ]
    paged.sort(key=lambda a: (a.due_at, _KIND_ORDER[a.kind], a.key))
    return CaseSla(
        facts.case_id,
        facts.level,
        facts.policy,
        now,
        tuple(clocks),
        ladder,
        tuple(paged),
        frozenset(facts.fired),
        facts.next_after(now),
        None if level.page_outside_hours else _quiet_from(coverage, now),
    )


_KIND_ORDER = {AlertKind.WARNING: 0, AlertKind.BREACH: 1, AlertKind.LADDER: 2}


def page_time(due_at: datetime, now: datetime, calendar: WorkCalendar, any_time: bool = False) -> datetime:
    """When an alert due at `due_at` (<= now) may page people, judged at `now`.

    7x24 levels (`any_time`) page when it falls due.  Business-hours levels page
    only while the calendar is open: if it is open now, at the first working
    instant from the due time (a due time at a closing instant is still in
    working hours, SPEC 3); if it is closed now — a night, or a run after cron
    was down — the page waits for the next opening.
    """
    if any_time:
        return due_at
    if _open_at(calendar, now):
        return due_at if _open_at(calendar, due_at) else calendar.next_opening(due_at)
    return calendar.next_opening(now)


def _quiet_from(coverage: WorkCalendar, now: datetime) -> datetime | None:
    """The first second at which `page_time` holds new pages (the desk has closed); None: never."""
    if coverage.always:
        return None
    closing = coverage.closing_after(now)
    if closing is not None:
        return closing + _SECOND  # at the closing instant itself the desk still counts as open
    return now + _SECOND if _open_at(coverage, now) else None


def _open_at(calendar: WorkCalendar, at: datetime) -> bool:
    return calendar.is_open(at) or calendar.is_open(at - _SECOND)


def _paged(
    alert: Alert,
    coverage: WorkCalendar,
    any_time: bool,
    now: datetime,
    warn_to: tuple[str, ...],
    breach_to: tuple[str, ...],
) -> Alert:
    roles = alert.roles or (warn_to if alert.kind is AlertKind.WARNING else breach_to)
    page_at = page_time(alert.due_at, now, coverage, any_time)
    return Alert(alert.key, alert.kind, alert.subject, alert.label, alert.due_at, page_at, roles, alert.step)


@dataclass(frozen=True)
class _Span:
    """When a clock or ladder ran: start, final stop, and reopen gaps."""

    start: datetime | None
    stop: datetime | None
    stopped_by: str | None
    gaps: tuple[Interval, ...]


def _span(facts: CaseFacts, start_event: str, stops: tuple[str, ...], now: datetime) -> _Span:
    reopens = facts.times("reopened", now)
    starts = facts.times(start_event, now)
    if start_event in UNDOABLE:
        starts = tuple(t for t in starts if not any(r > t for r in reopens))[-1:]
    if not starts:
        return _Span(None, None, None, ())
    start = starts[0]
    stop_events = stops if start_event in UNDOABLE else (*stops, "closed")
    cursor, gaps = start, list[Interval]()
    while True:
        found = [(t, e) for e in stop_events for t in facts.times(e, now) if t >= cursor]
        if not found:
            return _Span(start, None, None, tuple(gaps))
        stop_at, event = min(found)
        undo = [r for r in reopens if r > stop_at] if event in UNDOABLE else []
        if not undo:
            return _Span(start, stop_at, event, tuple(gaps))
        gaps.append((stop_at, undo[0]))
        cursor = undo[0]


def _pauses(facts: CaseFacts, waits: frozenset[str], now: datetime) -> list[Interval]:
    return [(p.start, p.end or now) for p in facts.pauses if p.waiting_on in waits and p.start < (p.end or now)]


def _open_pause(facts: CaseFacts, waits: frozenset[str], now: datetime) -> datetime | None:
    for pause in facts.pauses:
        if pause.end is None and pause.waiting_on in waits and pause.start <= now:
            return pause.start
    return None


def _applies(facts: CaseFacts, clock: ClockDef, now: datetime) -> str | None:
    """None if the clock applies to the case, else why not."""
    condition = clock.only_if
    if condition is None:
        return None
    if condition.types and facts.type not in condition.types:
        return f"only for {'/'.join(sorted(condition.types))} cases"
    if condition.channels and facts.channel not in condition.channels:
        return f"only for cases reported by {'/'.join(sorted(condition.channels))}"
    if condition.event and not facts.times(condition.event, now):
        return f"applies once the case has a {condition.event} event"
    return None


def _clock(facts: CaseFacts, target: Target, calendar: WorkCalendar, now: datetime) -> tuple[ClockRun, list[Alert]]:
    clock = target.clock
    base = dict(name=clock.name, label=clock.label, label_zh=clock.label_zh, calendar=target.calendar,
                within=target.within)
    why_not = _applies(facts, clock, now)
    if why_not:
        return ClockRun(state=ClockState.NOT_APPLICABLE, note=why_not, **base), []  # type: ignore[arg-type]
    span = _span(facts, clock.start, clock.stop, now)
    if span.start is None:
        return ClockRun(state=ClockState.NOT_STARTED, note=f"starts at {clock.start}", **base), []  # type: ignore[arg-type]
    waits = frozenset(str(w) for w in clock.pause)
    closed = tuple(sorted(_pauses(facts, waits, now) + list(span.gaps)))
    cycles = [span.start]
    if clock.restart:
        end = span.stop or now
        cycles += [t for t in facts.times(clock.restart, now) if span.start < t <= end]
    alerts: list[Alert] = []
    breached_cycles = 0
    for index, cycle_start in enumerate(cycles[:-1]):
        # A finished cycle: met if the restart came by its deadline.
        due = calendar.due_at(cycle_start, target.within, closed)
        if due < cycles[index + 1] and due <= now:
            breached_cycles += 1
            alerts.append(_breach(clock, target, due, _cycle_key(clock, cycle_start)))
    start = cycles[-1]
    suffix = _cycle_key(clock, start) if clock.restart else ""
    due = calendar.due_at(start, target.within, closed)
    stop = span.stop
    end = stop or now
    elapsed = calendar.working_time(start, end, closed)
    difference = calendar.working_time(end, due, closed) if end <= due else -calendar.working_time(due, end, closed)
    paused_since = _open_pause(facts, waits, now) if stop is None else None
    if stop is not None:
        state = ClockState.MET if stop <= due else ClockState.BREACHED
    elif now >= due:
        state = ClockState.BREACHED
    else:
        state = ClockState.PAUSED if paused_since else ClockState.RUNNING
    warn_at = _warn_at(calendar, start, due, target.warn, closed)
    warning_key = f"warning/{clock.name}{suffix}"
    # A warning asks someone to act before the deadline; when a run after a gap
    # finds the deadline passed too, only the breach is news.
    if warn_at is not None and stop is None and warn_at <= now and (now < due or warning_key in facts.fired):
        alerts.append(Alert(warning_key, AlertKind.WARNING, clock.name,
                            f"{clock.label}: {target.warn} of {format_duration(target.within)} used",
                            warn_at, warn_at, (), str(target.warn)))
    if due <= now and (stop is None or stop > due):
        alerts.append(_breach(clock, target, due, suffix))
    run = ClockRun(
        state=state, start_at=start, due_at=due, stopped_at=stop, stopped_by=span.stopped_by, warn_at=warn_at,
        elapsed=elapsed, difference=difference, closed=closed, cycle=len(cycles) - 1,
        breached_cycles=breached_cycles, paused_since=paused_since, **base,  # type: ignore[arg-type]
    )
    return run, alerts


def _cycle_key(clock: ClockDef, start: datetime) -> str:
    return f"@{start.isoformat(timespec='seconds')}" if clock.restart else ""


def _breach(clock: ClockDef, target: Target, due: datetime, suffix: str) -> Alert:
    return Alert(f"breach/{clock.name}{suffix}", AlertKind.BREACH, clock.name,
                 f"{clock.label}: target {format_duration(target.within)} breached", due, due, ())


def _warn_at(
    calendar: WorkCalendar, start: datetime, due: datetime, rule: WarnRule, closed: tuple[Interval, ...]
) -> datetime | None:
    if not rule.enabled:
        return None
    total = calendar.working_time(start, due, closed)
    if rule.share is not None:
        ahead = total * rule.share
    else:
        assert rule.lead is not None
        ahead = total - rule.lead
    if ahead <= _ZERO:
        return None
    return calendar.due_at(start, ahead, closed)


def _ladder(
    facts: CaseFacts, ladder: LadderDef, calendar: WorkCalendar, now: datetime
) -> tuple[LadderRun, list[Alert]]:
    span = _span(facts, ladder.start, ladder.stop, now)
    if span.start is None:
        return LadderRun(ladder.name, calendar.name, None, None, ()), []
    closed = tuple(sorted(_pauses(facts, frozenset(str(w) for w in ladder.pause), now) + list(span.gaps)))
    steps, alerts = [], []
    for step in ladder.steps:
        due = calendar.due_at(span.start, step.after, closed)
        # Restored before the step fell due: the ladder stopped in time.
        reached = due <= now and (span.stop is None or due < span.stop)
        steps.append(StepRun(step.after, step.roles, due, reached))
        if reached:
            after = format_duration(step.after)
            since = f"{after} since report" if step.after else "reported"
            words = "not resolved" if ladder.for_type else "not restored"
            for role in step.roles:
                alerts.append(Alert(f"ladder/{role}", AlertKind.LADDER, ladder.name,
                                    f"{since}, {words}: escalate to {role}", due, due, (role,), after))
    return LadderRun(ladder.name, calendar.name, span.start, span.stop, tuple(steps), closed), alerts
