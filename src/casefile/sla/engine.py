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
  restart event; each cycle is judged on its own, and every cycle is kept
  (`cycles`) so reports give the count, the late ones, the mean and the worst.
* A clock the case stopped without reaching it — closed early, before
  its stop event, or a vendor's response overtaken by the restore — is *not
  applicable* when that came before its deadline (never *met*), and
  breached when the deadline had passed.
* The calendar and targets are the case's *service*: its level's, as its
  policy rule (`service.rule`), its customer's coverage and, for complaints,
  the complaint ladder's calendar make them (`SlaPolicy.service`).
* A vendor's commitments (copied into the escalation event) are clocks too,
  from the escalation: kept apart from the desk's own (`vendor_clocks`).
* The level is the case's current level, always counted from the original
  report, so a level change recomputes everything with the recorded pauses.
* Ladder steps count on the level's coverage calendar (or the ladder's)
  from the report; the ladder stops at restore.  A step is reached when its
  working time passed before the ladder stopped.
* Each clock (and each ladder step) is computed on its own, and only as far
  as it needs: a stopped clock needs the calendar up to its stop, a running
  one up to its deadline (or now, to know whether it is overdue).  One that
  needs a year without official days (`MissingYear`) is *needs data*
  (`NEEDS_DATA`), with the year and the fix; every other clock, alert and
  step of the case is computed as usual.  Casefile never guesses the days
  of a year it has no data for.

Alerts: a warning is due at `warn_at` of a running clock; a breach at the
deadline; a ladder step at its time; an *uncomputable* report (key
`uncomputable/CLOCK/YEAR`, `uncomputable/ladder/YEAR`) once for a clock or
ladder that needs a year without official days, due at its start.  Each has a stable `key` built from the
case's data alone.  Breaches and ladder steps reached before the stop are
due even if the case has moved on since (nothing is silently skipped after a
missed run); warnings only while the clock still runs.  For a level whose
coverage calendar is closed at the due time (and `page_outside_hours` is
false) the alert is not paged before the next opening (`page_at`); one due
inside working time (a closing instant included) is paged by the first run
after it fell due, whenever that run comes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from casefile.policy.sla import (
    VENDOR_CLOCK,
    VENDOR_COMMITMENTS,
    ClockDef,
    LadderDef,
    Service,
    SlaPolicy,
    Target,
    Waiting,
    WarnRule,
)
from casefile.sla.facts import VENDOR_START, CaseFacts, Interval
from casefile.values import Struct, replace
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.duration import Duration, format_duration
from casefile.worktime.officialdays import IMPORT_COMMAND, MissingYear
from casefile.i18n import N_, _, translate
from casefile.said import Said

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
    NEEDS_DATA = "needs_data"  # running, but its deadline needs a year without official days


class AlertKind(StrEnum):
    WARNING = "warning"
    BREACH = "breach"
    LADDER = "ladder"
    PAGE = "page"  # an unacknowledged page sent again (`check/paging.py`), never made by the engine
    UNCOMPUTABLE = "uncomputable"  # a clock or ladder that needs a year without official days: said once
    REMINDER = "reminder"  # not from the engine: a report that is due (bulletinreminder)


class Cycle(Struct, frozen=True):
    """One cycle of a clock: a restarting clock has one per restart, any other clock one."""

    start: datetime
    due: datetime | None  # None: it lies in a year without official days
    end: datetime | None  # the restart or stop that ended it; None: still running
    elapsed: timedelta | None  # working time, to its end or to now; None: it reaches such a year
    state: ClockState  # met, breached, running, or not applicable (cut short by a close)


class ClockRun(Struct, frozen=True):
    """One clock of one case (for a restarting clock: its current cycle; every cycle in `cycles`)."""

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
    elapsed: timedelta | None = _ZERO  # working time counted (None: it reaches into a year without data)
    difference: timedelta | None = None  # + left or to spare, - over
    closed: tuple[Interval, ...] = ()  # pauses and reopen gaps that did not count
    cycle: int = 0  # restarting clocks: how many restarts before this cycle
    breached_cycles: int = 0  # restarting clocks: earlier cycles that were breached
    paused_since: datetime | None = None
    note: str = ""  # why not applicable / not started / what data it needs
    # The first year without official days that this clock's deadline needs (NEEDS_DATA; or a met clock
    # whose deadline itself lies there), and how to add it.
    needs_year: int | None = None
    fix: str = ""
    cycles: tuple[Cycle, ...] = ()
    vendor: str | None = None  # a vendor's commitment: the vendor's id

    @property
    def judged(self) -> tuple[Cycle, ...]:
        """The cycles decided so far: met or breached."""
        return tuple(c for c in self.cycles if c.state in (ClockState.MET, ClockState.BREACHED))

    @property
    def breached(self) -> bool:
        return self.state is ClockState.BREACHED

    @property
    def running(self) -> bool:
        return self.stopped_at is None and self.state in (
            ClockState.RUNNING,
            ClockState.PAUSED,
            ClockState.BREACHED,
            ClockState.NEEDS_DATA,
        )


class Alert(Struct, frozen=True):
    """A warning, breach or ladder step that `check` records once."""

    key: str
    kind: AlertKind
    subject: str  # clock or ladder name
    says: Said  # its words before they are words: a message id and values, stored so in the case's event
    due_at: datetime
    page_at: datetime  # not paged before this (quiet hours of business-hours levels)
    roles: tuple[str, ...]
    step: str = ""  # "30m" for a ladder step, "80%" for a warning

    @property
    def deferred(self) -> bool:
        return self.page_at > self.due_at

    @property
    def label(self) -> str:
        """Its words in the reader's language."""
        return self.says.text()


class StepRun(Struct, frozen=True):
    after: Duration
    roles: tuple[str, ...]
    due_at: datetime | None  # None: not started, or it lies in a year without official days
    reached: bool
    needs_year: int | None = None  # not reached, and when it falls due needs this year's official days


class LadderRun(Struct, frozen=True):
    name: str
    calendar: str
    start_at: datetime | None
    stopped_at: datetime | None
    steps: tuple[StepRun, ...]
    closed: tuple[Interval, ...] = ()


class CaseSla(Struct, frozen=True):
    case_id: str
    level: str
    policy: str | None
    now: datetime
    clocks: tuple[ClockRun, ...]
    ladder: LadderRun | None
    alerts: tuple[Alert, ...]  # every alert due by `now`, in order, fired or not
    fired: frozenset[str]  # keys already recorded in the case
    next_event: datetime | None = None  # a recorded event after `now` (a replay): it changes things too
    coverage: str = ""  # the calendar the case runs on
    coverage_from: str = "level"  # why: level, customer, rule, ladder
    rule: str | None = None  # the policy rule that chose its targets
    vendor_clocks: tuple[ClockRun, ...] = ()  # a vendor's commitments: not the desk's own

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
            for clock in (*self.clocks, *self.vendor_clocks)
            if clock.stopped_at is None
            and clock.state in (ClockState.RUNNING, ClockState.BREACHED, ClockState.NEEDS_DATA)
            for moment in (clock.warn_at, clock.due_at)
            if moment is not None and moment > self.now
        ]
        if self.ladder is not None and self.ladder.stopped_at is None:
            times += [s.due_at for s in self.ladder.steps if s.due_at and not s.reached and s.due_at > self.now]
        times += [a.page_at for a in self.alerts if a.key not in self.fired and a.page_at > self.now]
        if self.next_event is not None:
            times.append(self.next_event)
        return min(times, default=None)

    @property
    def needs_data(self) -> tuple[ClockRun, ...]:
        """The clocks that cannot be computed yet: their deadline needs a year without official days."""
        return tuple(c for c in self.clocks if c.state is ClockState.NEEDS_DATA)

    @property
    def missing_years(self) -> tuple[int, ...]:
        """Every year without official days that a clock or ladder step of the case needs, in order."""
        years = {c.needs_year for c in self.needs_data if c.needs_year}
        if self.ladder is not None:
            years |= {s.needs_year for s in self.ladder.steps if s.needs_year}
        return tuple(sorted(years))

    def next_deadline(self) -> ClockRun | None:
        """The running clock (not paused; overdue ones included) that falls due first."""
        running = [c for c in self.clocks if c.running and c.state is not ClockState.PAUSED and c.due_at]
        return min(running, key=lambda c: c.due_at, default=None)  # type: ignore[arg-type, return-value]


# -- evaluation ---------------------------------------------------------------


def evaluate(facts: CaseFacts, policy: SlaPolicy, now: datetime) -> CaseSla:
    """Every clock and ladder step of a case at `now` (may raise MissingYear)."""
    service = policy.service(facts.level, facts.type, facts.rule, facts.coverage)
    coverage = policy.calendars[service.coverage]
    clocks: list[ClockRun] = []
    alerts: list[Alert] = []
    for target in service.targets:
        run, found = _clock(facts, target, policy.calendars[target.calendar], now)
        clocks.append(run)
        alerts.extend(found)
    vendor_clocks = []
    for target in _vendor_targets(facts, policy, service):
        run, found = _clock(facts, target, policy.calendars[target.calendar], now)
        vendor_clocks.append(replace(run, vendor=facts.vendor.vendor if facts.vendor else None))
        alerts.extend(found)
    ladder_def = service.ladder
    ladder = None
    if ladder_def is not None:
        calendar = policy.calendars[ladder_def.calendar or service.coverage]
        ladder, found = _ladder(facts, ladder_def, calendar, now)
        alerts.extend(found)
    warn_to, breach_to = policy.alerts.warning_to, policy.alerts.breach_to
    paged = [_paged(alert, coverage, service.page_outside_hours, warn_to, breach_to) for alert in alerts]
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
        service.coverage,
        service.coverage_from,
        service.rule.name if service.rule else None,
        tuple(vendor_clocks),
    )


_KIND_ORDER = {AlertKind.WARNING: 0, AlertKind.BREACH: 1, AlertKind.LADDER: 2, AlertKind.UNCOMPUTABLE: 3}

def _vendor_targets(facts: CaseFacts, policy: SlaPolicy, service: Service) -> list[Target]:
    """The vendor's commitments as targets: from the escalation, on the vendor's calendar (else the case's)."""
    vendor = facts.vendor
    if vendor is None:
        return []
    calendar = vendor.calendar if vendor.calendar and vendor.calendar in policy.calendars else service.coverage
    targets = []
    for key, within in vendor.commitments.items():
        commitment = VENDOR_COMMITMENTS.get(key)
        if commitment is None:
            continue
        label, label_zh, stops = commitment.label, commitment.label_zh, commitment.stop
        # The vendor's answer is not needed once service is restored: then it was not reached, not met.
        moot = ("closed",) if "resolved" in stops else ("resolved", "closed")
        clock = ClockDef(
            name=f"{VENDOR_CLOCK}{key}", label=f"{label} ({vendor.vendor})", label_zh=f"{label_zh}（{vendor.vendor}）",
            start=VENDOR_START, stop=(*stops, *(m for m in moot if m != "closed")),
            pause=frozenset({Waiting.CUSTOMER}), moot=moot,
        )
        targets.append(Target(clock, within, calendar, policy.alerts.warn, True))
    return targets


def page_time(due_at: datetime, now: datetime, calendar: WorkCalendar, any_time: bool = False) -> datetime:
    """When an alert due at `due_at` may page people.

    7x24 levels (`any_time`) page when it falls due.  Business-hours levels page
    when it falls due if that is inside working time (a due time at a closing
    instant is still in working hours, SPEC 3) — so the first run after it, even
    one a few seconds after closing, pages it — and otherwise at the next
    opening.  `now` does not move it: a late run pages what is owed.
    """
    try:
        if any_time or _open_at(calendar, due_at):
            return due_at
        return calendar.next_opening(due_at)
    except MissingYear:
        # The next opening lies in a year without official days: holding the page until an
        # opening nobody can compute could hold it for ever, so it pages at once.
        return due_at


def _open_at(calendar: WorkCalendar, at: datetime) -> bool:
    return calendar.is_open(at) or calendar.is_open(at - _SECOND)


def _paged(
    alert: Alert,
    coverage: WorkCalendar,
    any_time: bool,
    warn_to: tuple[str, ...],
    breach_to: tuple[str, ...],
) -> Alert:
    roles = alert.roles or (warn_to if alert.kind is AlertKind.WARNING else breach_to)
    page_at = page_time(alert.due_at, alert.due_at, coverage, any_time or coverage.always)
    return Alert(alert.key, alert.kind, alert.subject, alert.says, alert.due_at, page_at, roles, alert.step)


class _Span(Struct, frozen=True):
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
        return _("only for {types} cases").format(types="/".join(sorted(condition.types)))
    if condition.channels and facts.channel not in condition.channels:
        return _("only for cases reported by {channels}").format(channels="/".join(sorted(condition.channels)))
    if condition.event and not facts.times(condition.event, now):
        return _("applies once the case has a {event} event").format(event=_(condition.event))
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
        return ClockRun(state=ClockState.NOT_STARTED, note=_("starts at {event}").format(event=_(str(clock.start))), **base), []  # type: ignore[arg-type]
    waits = frozenset(str(w) for w in clock.pause)
    closed = tuple(sorted(_pauses(facts, waits, now) + list(span.gaps)))
    starts = [span.start]
    if clock.restart:
        end = span.stop or now
        starts += [t for t in facts.times(clock.restart, now) if span.start < t <= end]
    paused_since = _open_pause(facts, waits, now) if span.stop is None else None
    try:
        return _timed_clock(facts, target, calendar, now, span, closed, starts, paused_since, base)
    except MissingYear as missing:
        # Whether it was met, or is overdue, cannot be told without the year's official days.
        run = ClockRun(
            state=ClockState.NEEDS_DATA, start_at=starts[-1], stopped_at=span.stop, stopped_by=span.stopped_by,
            elapsed=None, closed=closed, cycle=len(starts) - 1, paused_since=paused_since,
            note=missing.message, needs_year=missing.year, fix=missing.hint or "", **base,  # type: ignore[arg-type]
        )
        return run, [_uncomputable(clock.name, clock.label, missing, starts[-1])]


def _timed_clock(
    facts: CaseFacts, target: Target, calendar: WorkCalendar, now: datetime, span: _Span,
    closed: tuple[Interval, ...], starts: list[datetime], paused_since: datetime | None, base: dict[str, Any],
) -> tuple[ClockRun, list[Alert]]:
    """A started clock, every cycle kept, each deadline computed only as far as the question needs
    (see `WorkCalendar.due_by`)."""
    clock, within = target.clock, target.within
    # Stopped by what does not meet it: a close before its own stop, a vendor's answer overtaken by the restore.
    moot = span.stopped_by is not None and span.stopped_by in (clock.moot or ("closed",)) \
        and (span.stopped_by not in clock.stop or span.stopped_by in clock.moot)
    alerts: list[Alert] = []
    cycles: list[Cycle] = []
    for index, cycle_start in enumerate(starts[:-1]):
        # A finished cycle: met if the restart came by its deadline.
        end_at = starts[index + 1]
        fell = calendar.due_by(cycle_start, within, end_at, closed)
        late = fell is not None and fell < end_at
        cycle_due = fell if fell is not None else _or_none(lambda: calendar.due_at(cycle_start, within, closed))
        cycles.append(Cycle(cycle_start, cycle_due, end_at, calendar.working_time(cycle_start, end_at, closed),
                            ClockState.BREACHED if late else ClockState.MET))
        if late:
            assert fell is not None
            alerts.append(_breach(clock, target, fell, _cycle_key(clock, cycle_start)))
    breached_cycles = sum(1 for c in cycles if c.state is ClockState.BREACHED)
    start = starts[-1]
    suffix = _cycle_key(clock, start) if clock.restart else ""
    stop = span.stop
    end = stop or now
    # `found`: the deadline if it fell by the stop (or by now).  When the deadline itself lies in a year
    # without official days, whether it fell by then is still known, looking no further than `end`.
    missing: MissingYear | None = None
    due: datetime | None
    try:
        due = calendar.due_at(start, within, closed)
        found = due if due <= end else None
    except MissingYear as error:
        found = calendar.due_by(start, within, end, closed)  # raises too if `end` itself lies there
        due, missing = found, (error if found is None else None)
    elapsed = _or_none(lambda: calendar.working_time(start, end, closed))
    if stop is not None:
        current = ClockState.MET if found is None or stop <= found else ClockState.BREACHED
        if current is ClockState.MET and moot:
            current = ClockState.NOT_APPLICABLE
    elif found is not None:
        current = ClockState.BREACHED
    elif missing is not None:
        current = ClockState.NEEDS_DATA
    else:
        current = ClockState.RUNNING
    cycles.append(Cycle(start, due, stop, elapsed, current))
    note = ""
    if current is ClockState.RUNNING:
        state = ClockState.PAUSED if paused_since else ClockState.RUNNING
    elif current is ClockState.NOT_APPLICABLE:
        state, note = ClockState.NOT_APPLICABLE, _("not reached: {event} before its deadline").format(
            event=_(str(span.stopped_by)))
        if len(cycles) > 1:
            # An earlier full cycle was judged: the clock is judged by those.
            state = ClockState.BREACHED if breached_cycles else ClockState.MET
            note = _("its last cycle was cut short: {event}").format(event=_(str(span.stopped_by)))
    else:
        state = current
    difference: timedelta | None
    if due is not None:
        difference = calendar.working_time(end, due, closed) if end <= due else \
            _or_none(lambda: -calendar.working_time(due, end, closed))
    else:  # the deadline lies after `end`: what is left is the target less the time used
        difference = within - elapsed if isinstance(within, timedelta) and elapsed is not None else None
    warn_at = _or_none(lambda: _warn_at(calendar, start, due, within, target.warn, closed))
    warning_key = f"warning/{clock.name}{suffix}"
    # A warning asks someone to act before the deadline; when a run after a gap
    # finds the deadline passed too, only the breach is news.
    overdue = found is not None
    if warn_at is not None and stop is None and warn_at <= now and (not overdue or warning_key in facts.fired):
        alerts.append(Alert(warning_key, AlertKind.WARNING, clock.name,
                            Said.of(N_("{clock}: {share} of {target} used"), clock=clock.label,
                                    clock_zh=clock.label_zh, share=str(target.warn), target=format_duration(within)),
                            warn_at, warn_at, (), str(target.warn)))
    if found is not None and (stop is None or stop > found):
        alerts.append(_breach(clock, target, found, suffix))
    if state is ClockState.NEEDS_DATA and missing is not None:
        alerts.append(_uncomputable(clock.name, clock.label, missing, start, label_zh=clock.label_zh))
    run = ClockRun(
        state=state, start_at=start, due_at=due, stopped_at=stop, stopped_by=span.stopped_by, warn_at=warn_at,
        elapsed=elapsed, difference=difference, closed=closed, cycle=len(cycles) - 1,
        breached_cycles=breached_cycles, paused_since=paused_since,
        note=missing.message if missing is not None and state is ClockState.NEEDS_DATA else note,
        needs_year=missing.year if missing is not None else None,
        fix=(missing.hint or "") if missing is not None else "", cycles=tuple(cycles),
        **base,  # type: ignore[arg-type]
    )
    return run, alerts


T = TypeVar("T")


def _or_none(compute: Callable[[], T]) -> T | None:
    """A value that reaches into a year without official days is not known (None), never guessed."""
    try:
        return compute()
    except MissingYear:
        return None


def _uncomputable(subject: str, label: str, missing: MissingYear, since: datetime, ladder: bool = False,
                  label_zh: str = "") -> Alert:
    key = f"{AlertKind.UNCOMPUTABLE}/{'ladder' if ladder else subject}/{missing.year}"
    words = Said.of(N_("{clock}: cannot be computed until the official days of {year} are in: {command}"),
                    clock=label, clock_zh=label_zh, year=str(missing.year), command=IMPORT_COMMAND)
    return Alert(key, AlertKind.UNCOMPUTABLE, subject, words, since, since, (), str(missing.year))


def _cycle_key(clock: ClockDef, start: datetime) -> str:
    return f"@{start.isoformat(timespec='seconds')}" if clock.restart else ""


def _breach(clock: ClockDef, target: Target, due: datetime, suffix: str) -> Alert:
    return Alert(f"breach/{clock.name}{suffix}", AlertKind.BREACH, clock.name,
                 Said.of(N_("{clock}: target {target} breached"), clock=clock.label, clock_zh=clock.label_zh,
                         target=format_duration(target.within)), due, due, ())


def _warn_at(
    calendar: WorkCalendar, start: datetime, due: datetime | None, within: Duration, rule: WarnRule,
    closed: tuple[Interval, ...],
) -> datetime | None:
    if not rule.enabled:
        return None
    # Working time from the start to the deadline: the target itself, or for working days (2d) counted.
    if isinstance(within, timedelta):
        total = within
    elif due is not None:
        total = calendar.working_time(start, due, closed)
    else:
        return None
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
    missing: MissingYear | None = None
    for step in ladder.steps:
        limit = span.stop or now
        needs: int | None = None
        try:
            due: datetime | None = calendar.due_at(span.start, step.after, closed)
            found = due if due is not None and due <= limit else None
        except MissingYear as error:
            try:
                # Due by the restore (or by now)?  That needs no day after it.
                found = due = calendar.due_by(span.start, step.after, limit, closed)
            except MissingYear as later:
                missing = missing or later
                steps.append(StepRun(step.after, step.roles, None, False, later.year))
                continue
            if found is None:
                needs = error.year
                if span.stop is None:  # a step still to come, at a time nobody can compute yet
                    missing = missing or error
        # Restored before the step fell due: the ladder stopped in time.
        reached = found is not None and (span.stop is None or found < span.stop)
        steps.append(StepRun(step.after, step.roles, due, reached, needs if span.stop is None else None))
        if reached:
            assert found is not None
            after = format_duration(step.after)
            if step.after:
                message = N_("{after} since report, not resolved: escalate to {role}") if ladder.for_type else \
                    N_("{after} since report, not restored: escalate to {role}")
            else:
                message = N_("reported, not resolved: escalate to {role}") if ladder.for_type else \
                    N_("reported, not restored: escalate to {role}")
            for role in step.roles:
                alerts.append(Alert(f"ladder/{role}", AlertKind.LADDER, ladder.name,
                                    Said.of(message, after=after, role=role), found, found, (role,), after))
    if missing is not None:
        title = N_("Escalation ladder {name}")  # kept in both languages, as a clock's label is
        alerts.append(_uncomputable(ladder.name, title.format(name=ladder.name), missing, span.start, ladder=True,
                                    label_zh=translate(title, "zh").format(name=ladder.name)))
    return LadderRun(ladder.name, calendar.name, span.start, span.stop, tuple(steps), closed), alerts
