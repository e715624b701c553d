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
from casefile.worktime.officialdays import IMPORT_COMMAND

if TYPE_CHECKING:  # what `explain` and `calendar` print; `show` needs none of it
    from casefile.repo.calendars import CalendarStatus, Reading
    from casefile.sla.explain import CaseExplanation, ClockExplanation, Stretch
    from casefile.worktime.spans import DueExplanation, TimelineSpan

STATE_WORDS = {
    ClockState.RUNNING: "running",
    ClockState.PAUSED: "paused",
    ClockState.MET: "met",
    ClockState.BREACHED: "BREACHED",
    ClockState.NOT_STARTED: "not started",
    ClockState.NOT_APPLICABLE: "n/a",
    ClockState.NEEDS_DATA: "needs data",
}


def state_words(run: ClockRun) -> str:
    """`met`, `BREACHED`, ... and `needs 2027` for a clock whose deadline needs a year without official days."""
    if run.state is ClockState.NEEDS_DATA and run.needs_year:
        return f"needs {run.needs_year}"
    return STATE_WORDS[run.state]


def _deadline(run: ClockRun, zone: tzinfo) -> str:
    """The deadline to the minute; for a met clock whose deadline lies in a year without data, `after 2026`."""
    if run.due_at is not None:
        return minute(run.due_at, zone)
    return f"after {run.needs_year - 1}" if run.needs_year else "—"


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
        "elapsed": format_duration(run.elapsed) if run.elapsed is not None else None,
        "elapsed_seconds": int(run.elapsed.total_seconds()) if run.elapsed is not None else None,
        "difference": (format_duration(run.difference) if run.difference < timedelta(0)
                       else "+" + format_duration(run.difference)) if run.difference is not None else None,
        "difference_seconds": int(run.difference.total_seconds()) if run.difference is not None else None,
        "cycle": run.cycle,
        "breached_cycles": run.breached_cycles,
        "note": run.note or None,
        "needs_year": run.needs_year,
        "fix": run.fix or None if run.state is ClockState.NEEDS_DATA else None,
        "vendor": run.vendor,
        "cycles": [
            {"start_at": _at(c.start, zone), "due_at": _at(c.due, zone), "end_at": _at(c.end, zone),
             "elapsed": format_duration(c.elapsed) if c.elapsed is not None else None,
             "elapsed_seconds": int(c.elapsed.total_seconds()) if c.elapsed is not None else None,
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
             "reached": s.reached, "needs_year": s.needs_year}
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
    if run.start_at is None or (run.due_at is None and run.state is not ClockState.NEEDS_DATA):
        return f"  {run.name:<16} {state_words(run):<12} {run.note}"
    note = []
    if run.stopped_at:
        note.append(f"{run.stopped_by} {minute(run.stopped_at, zone)[11:]}")
    if run.paused_since:
        note.append(f"paused since {minute(run.paused_since, zone)[11:]}; deadline if resumed now")
    if len(run.cycles) > 1:
        judged = run.judged
        worst = max((c.elapsed for c in judged if c.elapsed is not None), default=None)
        late = sum(1 for c in judged if c.state is ClockState.BREACHED)
        note.append(f"{len(run.cycles)} cycles, {late} late" + (f", worst {minutes(worst)}" if worst else ""))
    elif run.state is ClockState.NOT_APPLICABLE and run.note:
        note.append(run.note)
    if run.state is ClockState.NEEDS_DATA:
        note.append(f"no official days for {run.needs_year} yet: {IMPORT_COMMAND}")
    elapsed = minutes(run.elapsed) if run.elapsed is not None else "?"
    return (f"  {run.name:<16} {state_words(run):<12} {_deadline(run, zone):<17} "
            f"{elapsed:<9} {signed(run.difference):<8} {'; '.join(note)}".rstrip())


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
                if step.needs_year:
                    status = f"needs {step.needs_year}: no official days for it yet"
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
    if run.state is ClockState.NEEDS_DATA:
        return f"  Cannot be computed yet: {run.note} ({run.fix})."
    if run.stopped_at and run.state is ClockState.MET:
        when = _day(run.stopped_at, zone)
        spare = f", {minutes(run.difference)} of working time to spare" if run.difference is not None else ""
        return f"  Met: {run.stopped_by} at {when}{spare}."
    if run.stopped_at and run.difference is not None:
        return f"  Breached: {run.stopped_by} at {_day(run.stopped_at, zone)}, {minutes(-run.difference)} of working time late."
    if run.state is ClockState.BREACHED:
        if run.difference is None:
            return ("  Breached: still running; how far past the deadline it is cannot be counted yet "
                    "(no official days for the days since).")
        return f"  Breached: still running, {minutes(-run.difference)} of working time past the deadline."
    if run.state is ClockState.PAUSED and run.paused_since:
        return (f"  Paused since {_day(run.paused_since, zone)}: the deadline above is where it falls if work "
                f"resumes now; it moves later while the pause lasts.")
    left = minutes(run.difference) if run.difference is not None else "?"
    used = minutes(run.elapsed) if run.elapsed is not None else "?"
    return f"  Running: {used} used, {left} of working time left."


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
        elapsed = minutes(cycle.elapsed) if cycle.elapsed is not None else "?"
        due = _day(cycle.due, zone) if cycle.due is not None else "in a year without official days"
        lines.append(f"    cycle {number}: {_day(cycle.start, zone)} → {end}  {elapsed:>7}  "
                     f"due {due}  {STATE_WORDS[cycle.state]}")
    return lines


def _clock_text(item: ClockExplanation, zone: tzinfo, sla: CaseSla | None = None,
                fired: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    run = item.clock
    title = f"{run.label} ({run.name}, {run.label_zh})"
    if run.start_at is None:
        return ["", f"{title}: {state_words(run)} — {run.note}"]
    cycle = f" (cycle {run.cycle + 1}: restarted at the last {run.name} note)" if run.cycle else ""
    lines = [
        "",
        f"{title}: {state_words(run)}{cycle}",
        f"  Target: {format_duration(run.within)} of working time on {item.calendar_words}.",
        f"  Started {_day(run.start_at, zone)}; counting from {_day(item.counting_from or run.start_at, zone)}.",
    ]
    lines += [_stretch_line(s, zone) for s in item.stretches]
    if run.due_at is not None:
        lines.append(f"  = {format_duration(item.working)} of working time: deadline {_day(run.due_at, zone)}.")
    else:
        until = f" up to {_day(item.until, zone)}" if item.until else ""
        year = f"; the deadline falls in {run.needs_year} or later, for which there are no official days yet" \
            if run.needs_year else ""
        lines.append(f"  = {format_duration(item.working)} of working time counted{until}{year}.")
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
            if step.needs_year:
                state = f"needs {step.needs_year}: no official days for it yet"
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


# -- calendar status / import-notice ---------------------------------------------------


def status_json(found: CalendarStatus) -> dict[str, Any]:
    return {
        "today": found.today.isoformat(),
        "calendars": [
            {"name": c.name, "country": c.country, "always": c.always,
             "years": [{"first": span.first, "last": span.last, "source": span.source} for span in c.spans],
             "extra_days_off": c.extra_days_off, "extra_working_days": c.extra_working_days}
            for c in found.calendars
        ],
        "missing": [{"country": m.country, "year": m.year, "calendars": list(m.calendars), "text": m.text(),
                     "fix": m.fix} for m in found.missing],
        "next_year_reminder": f"{found.reminder[0]:02d}-{found.reminder[1]:02d}" if found.reminder else None,
        "file": found.file,
        "file_years": list(found.file_years),
    }


def render_status(found: CalendarStatus) -> str:
    lines = [f"Official days (statutory days off and make-up working days, 调休) as of {found.today:%a %Y-%m-%d}:"]
    width = max((len(c.name) for c in found.calendars), default=4)
    for calendar in found.calendars:
        head = f"  {calendar.name:<{width}}  "
        if calendar.always:
            lines.append(f"{head}every minute counts: needs no official days")
            continue
        if calendar.country is None:
            lines.append(f"{head}holidays: none (its own week): needs no official days")
        else:
            lines.append(f"{head}holidays: {calendar.country}  " + " · ".join(str(span) for span in calendar.spans))
        extra = [f"{count} {what}" for count, what in ((calendar.extra_days_off, "extra days off"),
                                                        (calendar.extra_working_days, "extra working days")) if count]
        if extra:
            lines.append(f"  {'':<{width}}  and its own {', '.join(extra)} (policy; they win over everything)")
    have = ", ".join(str(year) for year in found.file_years) or "no years yet"
    lines += ["", f"{found.file}: {have}."]
    reminder = (f"from {found.reminder[0]:02d}-{found.reminder[1]:02d} (desk.next_year_reminder)"
                if found.reminder else "never (desk.next_year_reminder: none)")
    if found.missing:
        lines.append("")
        for missing in found.missing:
            lines += [f"MISSING: {missing.text()}.", f"  {missing.fix}"]
    else:
        lines.append("Nothing missing: this year's official days are in"
                     + (", and next year's." if found.reminder and (found.today.month, found.today.day) >= found.reminder
                        else "."))
    lines.append(f"`casefile check` reminds once a day when next year's are missing, {reminder}.")
    return "\n".join(lines)


def _days(days: Sequence[Any]) -> str:
    """2027-02-05 Fri – 2027-02-12 Fri (8 days), or one day, or a list."""
    if not days:
        return "—"
    ordered = sorted(days)
    runs: list[list[Any]] = [[ordered[0]]]
    for day in ordered[1:]:
        if (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        first, last = run[0], run[-1]
        parts.append(f"{first:%Y-%m-%d %a}" if first == last else
                     f"{first:%Y-%m-%d %a} – {last:%Y-%m-%d %a} ({len(run)} days)")
    return ", ".join(parts)


def reading_json(found: Reading) -> dict[str, Any]:
    notice = found.notice
    return {
        "year": notice.year,
        "title": notice.title,
        "document": notice.document,
        "signed": notice.signed.isoformat() if notice.signed else None,
        "festivals": [
            {"number": f.number, "name": f.name, "days_off": [d.isoformat() for d in f.days_off],
             "working_days": [d.isoformat() for d in f.working_days], "notes": list(f.notes)}
            for f in notice.festivals
        ],
        "days_off": sorted(d.isoformat() for d in notice.days_off),
        "working_days": sorted(d.isoformat() for d in notice.working_days),
        "package": {"name": found.package, "covers": found.package_covers,
                    "differences": [_difference_json(d) for d in found.package_differences]},
        "file": found.path,
        "file_has_year": found.file_has,
        "file_differences": [_difference_json(d) for d in found.file_differences],
        "commit": found.commit,
    }


def _difference_json(found: Any) -> dict[str, str]:
    return {"day": found.day.isoformat(), "notice": found.notice, "other": found.other}


def render_reading(found: Reading, commit_asked: bool) -> str:
    notice = found.notice
    about = ", ".join(part for part in (notice.document, f"signed {notice.signed}" if notice.signed else None) if part)
    lines = [f"{notice.title}" + (f" ({about})" if about else "")]
    width = max(len(f.name) for f in notice.festivals)
    for festival in notice.festivals:
        pad = " " * (2 * (width - len(festival.name)))  # Chinese characters take two columns
        lines.append(f"  {festival.name}{pad}  off      {_days(festival.days_off)}")
        if festival.working_days:
            lines.append(f"  {' ' * 2 * width}  working  {_days(festival.working_days)}")
        lines += [f"  {' ' * 2 * width}  note     {note}" for note in festival.notes]
    weekdays = sum(1 for day in notice.days_off if day.weekday() < 5)
    lines.append(f"{notice.year}: {len(notice.days_off)} days off ({weekdays} of them weekdays), "
                 f"{len(notice.working_days)} make-up working day(s).")
    if not found.package_covers:
        lines.append(f"{found.package} has no data for {notice.year}.")
    elif not found.package_differences:
        lines.append(f"Agrees with {found.package} on every day of {notice.year}.")
    else:
        lines.append(f"Differs from {found.package} on {len(found.package_differences)} day(s): "
                     + "; ".join(f"{d.day} {d.notice} in the notice, {d.other} in the package"
                                 for d in found.package_differences[:5]))
    if found.commit:
        lines.append(f"commit {found.commit[:10]}: {found.path} has {notice.year} now; every calendar with "
                     f"holidays: CN uses it, for every case, whatever policy version it was opened under.")
    elif found.unchanged:
        lines.append(f"{found.path} has {notice.year} already, with exactly these days: nothing to change.")
    elif found.file_has:
        lines.append(f"{found.path} has {notice.year} already and differs on {len(found.file_differences)} day(s); "
                     "--commit --replace replaces it.")
    elif not commit_asked:
        lines.append(f"Not written: add --commit to write {notice.year} into {found.path} (one commit).")
    return "\n".join(lines)
