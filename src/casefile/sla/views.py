"""How clocks, ladders, explanations and calendar answers look: text and JSON.

Times are computed to the second and shown to the minute, in the desk's zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from casefile.errors import CasefileError
from casefile.render.cells import minute
from casefile.sla.engine import Alert, CaseSla, ClockRun, ClockState, LadderRun
from casefile.worktime.clock import format_instant
from casefile.worktime.duration import Duration, format_duration

if TYPE_CHECKING:  # what `explain` and `calendar` print; `show` needs none of it
    from casefile.sla.explain import CaseExplanation, ClockExplanation, Stretch
    from casefile.worktime.spans import DueExplanation, TimelineSpan

STATE_WORDS = {
    ClockState.RUNNING: "running",
    ClockState.PAUSED: "paused",
    ClockState.MET: "met",
    ClockState.BREACHED: "BREACHED",
    ClockState.NOT_STARTED: "not started",
    ClockState.NOT_APPLICABLE: "n/a",
}


def _at(value: datetime | None, zone: tzinfo) -> str | None:
    return format_instant(value, zone) if value else None


def _day(value: datetime, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


def minutes(value: timedelta) -> str:
    """A duration shown to the minute (computed to the second): 83h47m4s -> 83h47m."""
    whole = timedelta(minutes=int(abs(value).total_seconds() // 60))
    return format_duration(-whole if value < timedelta(0) else whole)


def signed(value: timedelta | None) -> str:
    if value is None:
        return "—"
    return minutes(value) if value < timedelta(0) else "+" + minutes(value)


# -- JSON -------------------------------------------------------------------------


def clock_json(run: ClockRun, zone: tzinfo) -> dict[str, Any]:
    return {
        "name": run.name,
        "label": run.label,
        "label_zh": run.label_zh,
        "calendar": run.calendar,
        "target": format_duration(run.within),
        "state": str(run.state),
        "start_at": _at(run.start_at, zone),
        "due_at": _at(run.due_at, zone),
        "warn_at": _at(run.warn_at, zone),
        "stopped_at": _at(run.stopped_at, zone),
        "stopped_by": run.stopped_by,
        "paused_since": _at(run.paused_since, zone),
        "elapsed": format_duration(run.elapsed),
        "elapsed_seconds": int(run.elapsed.total_seconds()),
        "difference": (format_duration(run.difference) if run.difference < timedelta(0)
                       else "+" + format_duration(run.difference)) if run.difference is not None else None,
        "difference_seconds": int(run.difference.total_seconds()) if run.difference is not None else None,
        "cycle": run.cycle,
        "breached_cycles": run.breached_cycles,
        "note": run.note or None,
        "vendor": run.vendor,
        "cycles": [
            {"start_at": _at(c.start, zone), "due_at": _at(c.due, zone), "end_at": _at(c.end, zone),
             "elapsed": format_duration(c.elapsed), "elapsed_seconds": int(c.elapsed.total_seconds()),
             "state": str(c.state)}
            for c in run.cycles
        ],
    }


def ladder_json(ladder: LadderRun | None, zone: tzinfo) -> dict[str, Any] | None:
    if ladder is None:
        return None
    return {
        "name": ladder.name,
        "calendar": ladder.calendar,
        "start_at": _at(ladder.start_at, zone),
        "stopped_at": _at(ladder.stopped_at, zone),
        "steps": [
            {"after": format_duration(s.after), "roles": list(s.roles), "due_at": _at(s.due_at, zone),
             "reached": s.reached}
            for s in ladder.steps
        ],
    }


def sla_json(sla: CaseSla, zone: tzinfo) -> dict[str, Any]:
    """`show --json` key `sla`."""
    return {
        "level": sla.level,
        "policy": sla.policy,
        "at": format_instant(sla.now, zone),
        "coverage": sla.coverage,
        "coverage_from": sla.coverage_from,
        "rule": sla.rule,
        "clocks": [clock_json(run, zone) for run in sla.clocks],
        "vendor_clocks": [clock_json(run, zone) for run in sla.vendor_clocks],
        "ladder": ladder_json(sla.ladder, zone),
        "alerts": [
            {"key": a.key, "kind": str(a.kind), "due_at": _at(a.due_at, zone), "page_at": _at(a.page_at, zone),
             "roles": list(a.roles), "recorded": a.key in sla.fired}
            for a in sla.alerts
        ],
    }


# -- show ----------------------------------------------------------------------------


COVERAGE_FROM = {"level": "the level's", "customer": "the customer's", "rule": "the rule's",
                 "ladder": "the complaint ladder's"}


def coverage_words(sla: CaseSla) -> str:
    """`7x24 (the customer's)`, and the rule: `; rule metro-emergency`."""
    words = f"{sla.coverage} ({COVERAGE_FROM.get(sla.coverage_from, sla.coverage_from)})"
    return words + (f"; rule {sla.rule}" if sla.rule else "")


def _clock_row(run: ClockRun, zone: tzinfo) -> str:
    if run.due_at is None:
        return f"  {run.name:<16} {STATE_WORDS[run.state]:<12} {run.note}"
    note = []
    if run.stopped_at:
        note.append(f"{run.stopped_by} {minute(run.stopped_at, zone)[11:]}")
    if run.paused_since:
        note.append(f"paused since {minute(run.paused_since, zone)[11:]}; deadline if resumed now")
    if len(run.cycles) > 1:
        judged = run.judged
        worst = max((c.elapsed for c in judged), default=None)
        late = sum(1 for c in judged if c.state is ClockState.BREACHED)
        note.append(f"{len(run.cycles)} cycles, {late} late" + (f", worst {minutes(worst)}" if worst else ""))
    elif run.state is ClockState.NOT_APPLICABLE and run.note:
        note.append(run.note)
    return (f"  {run.name:<16} {STATE_WORDS[run.state]:<12} {minute(run.due_at, zone):<17} "
            f"{minutes(run.elapsed):<9} {signed(run.difference):<8} {'; '.join(note)}".rstrip())


def clock_lines(sla: CaseSla, zone: tzinfo, events: Sequence[Mapping[str, Any]], coverage: str) -> list[str]:
    policy = f" · policy {sla.policy[:10]}" if sla.policy else ""
    cover = coverage_words(sla) if sla.coverage else coverage
    out = ["", f"Service level (level {sla.level}, coverage {cover}{policy}; at {minute(sla.now, zone)})"]
    out.append(f"  {'CLOCK':<16} {'STATE':<12} {'DEADLINE':<17} {'ELAPSED':<9} {'DIFF':<8} NOTE")
    out += [_clock_row(run, zone) for run in sla.clocks]
    if sla.vendor_clocks:
        out += ["", f"Vendor commitments ({sla.vendor_clocks[0].vendor}; not the desk's own targets)"]
        out += [_clock_row(run, zone) for run in sla.vendor_clocks]
    if sla.ladder is not None and sla.ladder.start_at is not None:
        recorded = _recorded(events)
        stop = f", stopped {minute(sla.ladder.stopped_at, zone)}" if sla.ladder.stopped_at else ""
        out += ["", f"Escalation ladder {sla.ladder.name} (on {sla.ladder.calendar}{stop})"]
        for step in sla.ladder.steps:
            for role in step.roles:
                event = recorded.get(f"ladder/{role}")
                status = "reached" if step.reached else "not reached"
                if event:
                    who = ", ".join((event.get("fields") or {}).get("notified") or []) or "nobody"
                    status = f"notified {who} at {minute(_parse(event.get('at')), zone)[11:]}"
                out.append(
                    f"  {format_duration(step.after):<6} {role:<30} {minute(step.due_at, zone):<17} {status}"
                )
    return out


def _recorded(events: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for event in events:
        fields = event.get("fields")
        if isinstance(fields, Mapping) and fields.get("key"):
            found.setdefault(str(fields["key"]), event)
    return found


def _parse(value: Any) -> datetime | None:
    from casefile.worktime.clock import parse_stored

    try:
        return parse_stored(str(value))
    except ValueError:
        return None


# -- explain ----------------------------------------------------------------------------


def _stretch_line(stretch: Stretch, zone: tzinfo) -> str:
    verb = "counted" if stretch.counted else "skipped"
    start, end = stretch.start.astimezone(zone), stretch.end.astimezone(zone)
    until = end.strftime("%H:%M") if start.date() == end.date() else _day(end, zone)
    span = f"{_day(start, zone)} → {until}"
    return f"    {verb:<8} {span:<41} {format_duration(stretch.elapsed):>7}  {stretch.words}"


def _verdict(run: ClockRun, zone: tzinfo) -> str:
    if run.stopped_at and run.difference is not None:
        when = _day(run.stopped_at, zone)
        if run.state is ClockState.MET:
            return f"  Met: {run.stopped_by} at {when}, {minutes(run.difference)} of working time to spare."
        return f"  Breached: {run.stopped_by} at {when}, {minutes(-run.difference)} of working time late."
    if run.state is ClockState.BREACHED and run.difference is not None:
        return f"  Breached: still running, {minutes(-run.difference)} of working time past the deadline."
    if run.state is ClockState.PAUSED and run.paused_since:
        return (f"  Paused since {_day(run.paused_since, zone)}: the deadline above is where it falls if work "
                f"resumes now; it moves later while the pause lasts.")
    left = minutes(run.difference) if run.difference is not None else "?"
    return f"  Running: {minutes(run.elapsed)} used, {left} of working time left."


def _alert_lines(alerts: Sequence[Alert], fired: Mapping[str, Mapping[str, Any]], zone: tzinfo) -> list[str]:
    """When each warning, breach or step fell due, when it may page (quiet hours), and when it was recorded."""
    lines = []
    for alert in alerts:
        what = {"warning": "Warning", "breach": "Breach", "ladder": "Step"}.get(str(alert.kind), str(alert.kind))
        paging = "pages at once" if alert.page_at == alert.due_at else \
            f"held until {_day(alert.page_at, zone)} (the desk is closed)"
        event = fired.get(alert.key)
        if event is not None:
            fields = event.get("fields") or {}
            who = ", ".join(fields.get("notified") or []) or "nobody"
            recorded = f"; recorded {minute(_parse(event.get('at')), zone)[11:]} by {event.get('by')}, told {who}"
        else:
            recorded = "; not recorded yet"
        lines.append(f"  {what} due {_day(alert.due_at, zone)}: {paging}{recorded}.")
    return lines


def _cycle_lines(run: ClockRun, zone: tzinfo) -> list[str]:
    if len(run.cycles) < 2:
        return []
    lines = [f"  Every cycle ({len(run.cycles)}; it starts again at every {run.name} note):"]
    for number, cycle in enumerate(run.cycles, start=1):
        end = f"{_day(cycle.end, zone)}" if cycle.end else "still running"
        lines.append(f"    cycle {number}: {_day(cycle.start, zone)} → {end}  {minutes(cycle.elapsed):>7}  "
                     f"due {_day(cycle.due, zone)}  {STATE_WORDS[cycle.state]}")
    return lines


def _clock_text(item: ClockExplanation, zone: tzinfo, sla: CaseSla | None = None,
                fired: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    run = item.clock
    title = f"{run.label} ({run.name}, {run.label_zh})"
    if run.start_at is None or run.due_at is None:
        return ["", f"{title}: {STATE_WORDS[run.state]} — {run.note}"]
    cycle = f" (cycle {run.cycle + 1}: restarted at the last {run.name} note)" if run.cycle else ""
    lines = [
        "",
        f"{title}: {STATE_WORDS[run.state]}{cycle}",
        f"  Target: {format_duration(run.within)} of working time on {item.calendar_words}.",
        f"  Started {_day(run.start_at, zone)}; counting from {_day(item.counting_from or run.start_at, zone)}.",
    ]
    lines += [_stretch_line(s, zone) for s in item.stretches]
    lines.append(
        f"  = {format_duration(item.working)} of working time: deadline {_day(run.due_at, zone)}."
    )
    lines.append(_verdict(run, zone))
    if run.warn_at is not None:
        lines.append(f"  Warning time: {_day(run.warn_at, zone)}.")
    lines += _cycle_lines(run, zone)
    if sla is not None:
        lines += _alert_lines([a for a in sla.alerts if a.subject == run.name], fired or {}, zone)
    return lines


def render_explanation(found: CaseExplanation, title: str, zone: tzinfo,
                       events: Sequence[Mapping[str, Any]] = ()) -> str:
    sla = found.sla
    fired = _recorded(events)
    policy = f"policy {sla.policy[:10]} (the version it was opened under)" if sla.policy else "the current policy"
    cover = coverage_words(sla) if sla.coverage else found.coverage
    lines = [f"{sla.case_id}  {title}", f"  level {sla.level}, coverage {cover}; {policy}; "
             f"as of {_day(sla.now, zone)}"]
    if found.rule is not None:
        targets = ", ".join(f"{t.clock.name} {format_duration(t.within)}" for t in found.rule.targets)
        lines.append(f"  Rule {found.rule.name} applies ({found.rule.describe()})"
                     + (f": {targets}" if targets else "")
                     + (f"; coverage {found.rule.coverage}" if found.rule.coverage else "") + ".")
    for change in found.level_changes:
        lines.append(f"  Level changed {change.old} → {change.new} on {_day(change.at, zone)} by {change.by}: every "
                     f"clock is counted from the report under level {sla.level}'s targets, with the recorded pauses.")
    for item in found.clocks:
        lines += _clock_text(item, zone, sla, fired)
    if found.vendor_clocks:
        lines += ["", f"The vendor's commitments ({found.vendor_clocks[0].clock.vendor}, copied from its record when "
                      "the case was escalated to it):"]
        for item in found.vendor_clocks:
            lines += _clock_text(item, zone, sla, fired)
    ladder = found.ladder
    if ladder is not None and ladder.start_at is not None:
        lines += ["", f"Escalation ladder {ladder.name}: working time on {ladder.calendar} since the report at "
                      f"{_day(ladder.start_at, zone)}, until service is restored"
                      + (f" ({_day(ladder.stopped_at, zone)})" if ladder.stopped_at else "") + "."]
        for step in ladder.steps:
            state = "reached" if step.reached else "not reached"
            lines.append(f"  after {format_duration(step.after):<5} {', '.join(step.roles):<32} "
                         f"due {_day(step.due_at, zone) if step.due_at else '—'}  {state}")
            keys = {f"ladder/{role}" for role in step.roles}
            lines += ["  " + line for line in _alert_lines([a for a in sla.alerts if a.key in keys], fired, zone)]
    return "\n".join(lines)


def explanation_json(found: CaseExplanation, zone: tzinfo) -> dict[str, Any]:
    result = sla_json(found.sla, zone)
    result["coverage"] = found.coverage
    result["rule"] = found.rule.name if found.rule else None
    result["level_changes"] = [{"at": _at(c.at, zone), "by": c.by, "from": c.old, "to": c.new}
                               for c in found.level_changes]
    for rows, items in ((result["clocks"], found.clocks), (result["vendor_clocks"], found.vendor_clocks)):
        for row, item in zip(rows, items):
            row["counting_from"] = _at(item.counting_from, zone)
            row["calendar_words"] = item.calendar_words
            row["stretches"] = [
                {"start": _at(s.start, zone), "end": _at(s.end, zone), "counted": s.counted,
                 "seconds": int(s.elapsed.total_seconds()), "reason": s.reason, "words": s.words}
                for s in item.stretches
            ]
    return result


# -- calendar due / between -----------------------------------------------------------


def span_json(span: TimelineSpan, zone: tzinfo) -> dict[str, Any]:
    return {
        "start": _at(span.start, zone),
        "end": _at(span.end, zone),
        "counted": span.counted,
        "seconds": int(span.elapsed.total_seconds()),
        "reason": str(span.reason),
        "label": span.label,
        "name_zh": span.name_zh,
    }


def due_json(found: DueExplanation, duration: Duration) -> dict[str, Any]:
    zone = found.due.tzinfo
    assert zone is not None
    return {
        "calendar": found.calendar,
        "start": _at(found.start, zone),
        "duration": format_duration(duration),
        "counting_from": _at(found.counting_from, zone),
        "due": _at(found.due, zone),
        "working_seconds": int(found.working.total_seconds()),
        "working_days": [day.isoformat() for day in found.working_days],
        "spans": [span_json(span, zone) for span in found.spans],
    }


def render_due(found: DueExplanation, duration: Duration, spans: bool) -> str:
    zone = found.due.tzinfo
    assert zone is not None
    lines = [f"{_day(found.due, zone)}  ({format_duration(duration)} on {found.calendar} from "
             f"{_day(found.start, zone)}; counting from {_day(found.counting_from, zone)})"]
    if spans:
        lines += [_span_line(span, zone) for span in found.spans]
    return "\n".join(lines)


def between_json(calendar: str, start: datetime, end: datetime, working: timedelta,
                 spans: Sequence[TimelineSpan], zone: tzinfo) -> dict[str, Any]:
    return {
        "calendar": calendar,
        "start": _at(start, zone),
        "end": _at(end, zone),
        "working": format_duration(working),
        "working_seconds": int(working.total_seconds()),
        "spans": [span_json(span, zone) for span in spans],
    }


def render_between(calendar: str, start: datetime, end: datetime, working: timedelta,
                   spans: Sequence[TimelineSpan], zone: tzinfo, show_spans: bool) -> str:
    lines = [f"{format_duration(working)}  (working time on {calendar} from {_day(start, zone)} "
             f"to {_day(end, zone)})"]
    if show_spans:
        lines += [_span_line(span, zone) for span in spans]
    return "\n".join(lines)


def _span_line(span: TimelineSpan, zone: tzinfo) -> str:
    verb = "counted" if span.counted else "skipped"
    zh = f" ({span.name_zh})" if span.name_zh and span.name_zh not in span.label else ""
    return (f"  {verb:<8} {_day(span.start, zone)} → {_day(span.end, zone)}  "
            f"{format_duration(span.elapsed):>8}  {span.label}{zh}")


def show_lines(sla: CaseSla | CasefileError, coverage: str, events: Sequence[Mapping[str, Any]],
               zone: tzinfo) -> list[str]:
    """The `show` lines of a case's service level (or why it has none)."""
    if isinstance(sla, CasefileError):
        return ["", f"Service level: cannot be computed: {sla}"]
    return clock_lines(sla, zone, events, coverage)


def show_json(sla: CaseSla | CasefileError, zone: tzinfo) -> dict[str, Any]:
    """The `show --json` value `sla` of a case (or why it has none)."""
    return {"error": str(sla)} if isinstance(sla, CasefileError) else sla_json(sla, zone)
