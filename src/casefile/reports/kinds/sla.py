"""SLA compliance: per level and target, met and breached, with the breached cases.

Pure, and no second computation: every figure is read from the `CaseSla`
that `slaservice` computed for the case with the engine `check` and `show`
use, at the report's time.  Per clock of a case received in the period:

* *met* — the clock stopped by its deadline (a restarting clock: every
  cycle so far met, and it stopped);
* *breached* — it stopped after its deadline, or runs past it, or (a
  restarting clock) an earlier cycle was breached;
* *running* — still running (or paused) before its deadline: not decided yet;
* clocks that do not apply to the case, or have not started, are left out.

Compliance = met / (met + breached); none when nothing was decided.  Working
times are on the target's calendar: the mean and worst are of the decided
clocks (a clock running past its deadline counts up to the report's time), and
for a restarting clock of every decided cycle (`cycles`, `late_cycles`: a
progress report every 60 min is judged cycle by cycle, not by its last one);
"over by" is the working time past the deadline (for a restarting clock whose
current cycle is fine but an earlier one was breached: that cycle's, and the
breached list shows that cycle's deadline and end).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from casefile.reports.model import Share, mean
from casefile.sla.engine import CaseSla, ClockRun, ClockState, Cycle
from casefile.values import Struct
from casefile.worktime.duration import format_duration


class Outcome(StrEnum):
    MET = "met"
    BREACHED = "breached"
    RUNNING = "running"


class ClockOutcome(Struct, frozen=True):
    case: str
    title: str
    level: str
    run: ClockRun
    outcome: Outcome

    @property
    def late_cycle(self) -> Cycle | None:
        """For a restarting clock breached only in an earlier cycle: the first late cycle."""
        if self.outcome is not Outcome.BREACHED or self.run.state is ClockState.BREACHED or len(self.run.cycles) < 2:
            return None
        return next((c for c in self.run.judged if c.state is ClockState.BREACHED), None)

    @property
    def over_by(self) -> timedelta | None:
        difference = self.run.difference
        if self.outcome is Outcome.BREACHED and difference is not None and difference < timedelta(0):
            return -difference
        late = self.late_cycle
        if late is not None and isinstance(self.run.within, timedelta) and late.elapsed is not None \
                and late.elapsed > self.run.within:
            return late.elapsed - self.run.within
        return None


def outcome_of(run: ClockRun) -> Outcome | None:
    if run.state in (ClockState.NOT_APPLICABLE, ClockState.NOT_STARTED):
        return None
    if run.state is ClockState.BREACHED or run.breached_cycles:
        return Outcome.BREACHED
    if run.state is ClockState.MET:
        return Outcome.MET
    return Outcome.RUNNING


class TargetRow(Struct, frozen=True):
    level: str
    target: str
    label: str
    label_zh: str
    within: str
    calendar: str
    cases: int
    met: int
    breached: int
    running: int
    compliance: Share
    mean_elapsed: timedelta | None
    worst_elapsed: timedelta | None
    mean_over: timedelta | None
    worst_over: timedelta | None
    cycles: int = 0  # the decided cycles: one per clock, every cycle of a restarting clock
    late_cycles: int = 0  # of those, the breached ones


class LevelRow(Struct, frozen=True):
    level: str
    met: int
    breached: int
    running: int
    compliance: Share


class BreachedClock(Struct, frozen=True):
    case: str
    title: str
    level: str
    target: str
    label: str
    label_zh: str
    within: str
    due_at: datetime | None
    stopped_at: datetime | None  # None: still running past its deadline
    elapsed: timedelta | None  # None: it reaches into a year without official days
    over_by: timedelta | None
    breached_cycles: int


class CaseClock(Struct, frozen=True):
    name: str
    state: str  # the engine's state (as `show --json` has it)
    outcome: str | None


class CaseClocks(Struct, frozen=True):
    case: str
    level: str
    clocks: tuple[CaseClock, ...]


class NotComputed(Struct, frozen=True):
    case: str
    reason: str


class SlaCompliance(Struct, frozen=True):
    at: datetime
    overall: LevelRow
    levels: tuple[LevelRow, ...]
    targets: tuple[TargetRow, ...]
    breached: tuple[BreachedClock, ...]
    cases: tuple[CaseClocks, ...]
    not_computed: tuple[NotComputed, ...]


def outcomes(cases: Iterable[tuple[str, str, CaseSla]]) -> list[ClockOutcome]:
    """Every decided-or-running clock of (case id, title, sla)."""
    found = []
    for case_id, title, sla in cases:
        for run in sla.clocks:
            outcome = outcome_of(run)
            if outcome is not None:
                found.append(ClockOutcome(case_id, title, sla.level, run, outcome))
    return found


def _level_row(level: str, rows: Sequence[ClockOutcome]) -> LevelRow:
    met = sum(1 for r in rows if r.outcome is Outcome.MET)
    breached = sum(1 for r in rows if r.outcome is Outcome.BREACHED)
    running = sum(1 for r in rows if r.outcome is Outcome.RUNNING)
    return LevelRow(level, met, breached, running, Share(met, met + breached))


def _cycles(run: ClockRun) -> list[tuple[timedelta, bool]]:
    """(elapsed, breached) of each decided cycle: every cycle of a restarting clock, else the clock."""
    if len(run.cycles) > 1:
        return [(c.elapsed, c.state is ClockState.BREACHED) for c in run.judged if c.elapsed is not None]
    return [(run.elapsed, outcome_of(run) is Outcome.BREACHED)] if run.elapsed is not None else []


def _target_row(level: str, name: str, rows: Sequence[ClockOutcome]) -> TargetRow:
    decided = [r for r in rows if r.outcome is not Outcome.RUNNING]
    cycles = [cycle for r in decided for cycle in _cycles(r.run)]
    overs = [r.over_by for r in rows if r.over_by is not None]
    head = rows[0].run
    counts = _level_row(level, rows)
    return TargetRow(
        level=level,
        target=name,
        label=head.label,
        label_zh=head.label_zh,
        within=format_duration(head.within),
        calendar=head.calendar,
        cases=len(rows),
        met=counts.met,
        breached=counts.breached,
        running=counts.running,
        compliance=counts.compliance,
        mean_elapsed=mean(elapsed for elapsed, _late in cycles),
        worst_elapsed=max((elapsed for elapsed, _late in cycles), default=None),
        mean_over=mean(overs),
        worst_over=max(overs, default=None),
        cycles=len(cycles),
        late_cycles=sum(1 for _elapsed, late in cycles if late),
    )


def build(
    at: datetime,
    cases: Sequence[tuple[str, str, CaseSla | str]],
    levels: Sequence[str],
) -> SlaCompliance:
    """`cases`: (id, title, the case's `CaseSla` or why it could not be computed), oldest first."""
    computed = [(c, t, s) for c, t, s in cases if not isinstance(s, str)]
    found = outcomes(computed)
    seen_levels = [lv for lv in levels if any(o.level == lv for o in found)]
    seen_levels += sorted({o.level for o in found} - set(seen_levels))
    targets = []
    for level in seen_levels:
        names: list[str] = []
        for o in found:
            if o.level == level and o.run.name not in names:
                names.append(o.run.name)
        for name in names:
            targets.append(_target_row(level, name, [o for o in found if o.level == level and o.run.name == name]))
    breached = [o for o in found if o.outcome is Outcome.BREACHED]
    return SlaCompliance(
        at=at,
        overall=_level_row("all", found),
        levels=tuple(_level_row(lv, [o for o in found if o.level == lv]) for lv in seen_levels),
        targets=tuple(targets),
        breached=tuple(
            _breached_clock(o) for o in breached
        ),
        cases=tuple(
            CaseClocks(c, s.level, tuple(CaseClock(r.name, str(r.state), _outcome_text(r)) for r in s.clocks))
            for c, _t, s in computed
        ),
        not_computed=tuple(NotComputed(c, s) for c, _t, s in cases if isinstance(s, str)),
    )


def _breached_clock(o: ClockOutcome) -> BreachedClock:
    """A breached clock as the list shows it; a restarting clock late only in an earlier cycle shows that
    cycle (its deadline, when the report came, how late)."""
    late = o.late_cycle
    due_at, stopped_at, elapsed = (late.due, late.end, late.elapsed) if late is not None else (
        o.run.due_at, o.run.stopped_at, o.run.elapsed)
    return BreachedClock(o.case, o.title, o.level, o.run.name, o.run.label, o.run.label_zh,
                         format_duration(o.run.within), due_at, stopped_at, elapsed, o.over_by,
                         o.run.breached_cycles)


def _outcome_text(run: ClockRun) -> str | None:
    outcome = outcome_of(run)
    return str(outcome) if outcome else None
