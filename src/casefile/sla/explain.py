"""How each deadline of a case was reached, step by step, for `casefile explain`.

Pure: the engine's result (`CaseSla`), the facts and the policy in; for every
clock that has a deadline, the calendar's timeline from the counting start to
the deadline, with the stretches that did not count named in words a desk can
read out in an SLA dispute: nights, weekends, lunch breaks, statutory holidays
and days off in lieu, make-up working days (调休), pauses while waiting for
the customer, and time between a resolution and a reopen.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from casefile.policy.sla import ServiceRule, SlaPolicy
from casefile.sla.engine import CaseSla, ClockRun, ClockState, LadderRun
from casefile.sla.facts import CaseFacts, LevelChange
from casefile.values import Struct, replace
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.duration import Duration
from casefile.worktime.spans import SpanReason, TimelineSpan
from casefile.i18n import _, current


class Stretch(Struct, frozen=True):
    """One line of an explanation: a span counted or skipped, and why."""

    start: datetime
    end: datetime
    counted: bool
    elapsed: timedelta
    reason: str  # SpanReason value, or "reopen_gap"
    words: str


class ClockExplanation(Struct, frozen=True):
    clock: ClockRun
    calendar: str
    calendar_words: str
    counting_from: datetime | None
    stretches: tuple[Stretch, ...]
    working: timedelta
    until: datetime | None = None  # the stretches end here when the deadline is not known (a year without data)


class StepExplanation(Struct, frozen=True):
    after: Duration
    roles: tuple[str, ...]
    due_at: datetime | None
    reached: bool


class CaseExplanation(Struct, frozen=True):
    sla: CaseSla
    coverage: str
    clocks: tuple[ClockExplanation, ...]
    ladder: LadderRun | None
    level_changes: tuple[LevelChange, ...] = ()
    rule: ServiceRule | None = None
    vendor_clocks: tuple[ClockExplanation, ...] = ()


def describe_calendar(calendar: WorkCalendar) -> str:
    if calendar.always:
        return _("{calendar}: every minute counts, nights, weekends and holidays included").format(calendar=calendar.name)
    hours = sorted({str(opening) for day in calendar.week for opening in day})
    official = _(" on official working days (statutory holidays off, make-up days on)") if calendar.official else ""
    return _("{calendar}: working hours {hours}{official}, {zone}").format(
        calendar=calendar.name, hours=", ".join(hours), official=official, zone=calendar.timezone)


def explain(sla: CaseSla, facts: CaseFacts, policy: SlaPolicy) -> CaseExplanation:
    def one(run: ClockRun) -> ClockExplanation:
        calendar = policy.calendars[run.calendar]
        words = describe_calendar(calendar)
        if run.start_at is None:
            return ClockExplanation(run, run.calendar, words, None, (), timedelta(0))
        if run.due_at is None:
            if run.state is ClockState.NEEDS_DATA:
                return _unknown_deadline(run, calendar, facts, words)
            return ClockExplanation(run, run.calendar, words, None, (), timedelta(0))
        found = calendar.explain_due(run.start_at, run.within, run.closed)
        stretches = tuple(piece for span in found.spans for piece in _pieces(span, facts, calendar.always))
        return ClockExplanation(run, run.calendar, words, found.counting_from, stretches, found.working)

    return CaseExplanation(sla, sla.coverage, tuple(one(run) for run in sla.clocks), sla.ladder,
                           facts.level_changes, policy.rule(sla.rule), tuple(one(run) for run in sla.vendor_clocks))


def _pieces(span: TimelineSpan, facts: CaseFacts, always: bool) -> list[Stretch]:
    """A stretch, or for a pause one stretch per wait: back-to-back pauses are kept apart with their reasons."""
    if span.reason is not SpanReason.PAUSED:
        return [_stretch(span, facts, always)]
    cuts = sorted({t for p in facts.pauses for t in (p.start, p.end) if t is not None and span.start < t < span.end})
    cuts += [t for t in facts.anchors.get("reopened", ()) if span.start < t < span.end and t not in cuts]
    edges = [span.start, *sorted(cuts), span.end]
    return [_stretch(replace(span, start=a, end=b, elapsed=b - a), facts, always) for a, b in zip(edges, edges[1:])]


def _unknown_deadline(run: ClockRun, calendar: WorkCalendar, facts: CaseFacts, words: str) -> ClockExplanation:
    """A clock whose deadline lies in a year without official days: what was counted up to its stop, or up to
    the end of the last year with data."""
    assert run.start_at is not None
    horizon = calendar.localize(datetime(run.needs_year, 1, 1)) if run.needs_year else None
    ends = [moment for moment in (run.stopped_at, horizon) if moment is not None]
    until = min(ends) if ends else None
    if until is None or until <= run.start_at:  # it started in the year without data: nothing to count yet
        return ClockExplanation(run, run.calendar, words, None, (), timedelta(0), None)
    spans = calendar.timeline(run.start_at, until, run.closed)
    stretches = tuple(_stretch(span, facts, calendar.always) for span in spans)
    counting_from = next((span.start for span in spans if span.counted), None)
    working = sum((span.working for span in spans), timedelta(0))
    return ClockExplanation(run, run.calendar, words, counting_from, stretches, working, until)


def _stretch(span: TimelineSpan, facts: CaseFacts, always: bool) -> Stretch:
    reason = str(span.reason)
    words = span_words(span)
    if span.reason is SpanReason.OUTSIDE_HOURS:
        crosses = span.start.date() != span.end.date() or span.end.hour == 0
        words = _("night: outside working hours") if crosses else _("outside working hours")
    elif span.reason is SpanReason.BREAK:
        words = _("lunch break") if 11 <= span.start.hour <= 14 else _("break between working hours")
    elif span.reason is SpanReason.PAUSED:
        words, reason = _paused_words(span, facts)
    elif span.reason is SpanReason.WORKING and always:
        words = _("every minute counts (7x24)")
    return Stretch(span.start, span.end, span.counted, span.elapsed, reason, words)


def span_words(span: TimelineSpan) -> str:
    """A span's words for the reader: a holiday by its Chinese name to a Chinese reader, both to others."""
    if current() == "zh":  # the generic words are message ids; a holiday is named in Chinese
        return f"{_(span.label)}（{span.name_zh}）" if span.name_zh and span.name_zh not in span.label else _(span.label)
    return span.label + (f" ({span.name_zh})" if span.name_zh and span.name_zh not in span.label else "")


def _paused_words(span: TimelineSpan, facts: CaseFacts) -> tuple[str, str]:
    for pause in facts.pauses:
        end = pause.end
        if pause.start <= span.start and (end is None or span.end <= end):
            reason = f": {pause.reason}" if pause.reason else ""
            still = _(" (still waiting)") if end is None else ""
            return _("clock paused, waiting for the {waiting_on}{reason}{still}").format(
                waiting_on=pause.waiting_on, reason=reason, still=still), "paused"
    for resolved in facts.anchors.get("resolved", ()):
        if resolved <= span.start:
            later = [r for r in facts.anchors.get("reopened", ()) if r >= span.end]
            if later:
                return _("resolved; not counted until the case was reopened"), "reopen_gap"
    return _("clock paused"), "paused"
