"""How clocks, ladders, explanations and calendar answers look: text and JSON.

Times are computed to the second and shown to the minute, in the desk's zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from casefile.errors import CasefileError
from casefile.render.cells import minute
from casefile.render.width import pad
from casefile.sla.engine import Alert, CaseSla, ClockRun, ClockState, LadderRun
from casefile.worktime.clock import format_instant
from casefile.worktime.duration import Duration, format_duration
from casefile.worktime.officialdays import IMPORT_COMMAND
from casefile.i18n import N_, _, current

if TYPE_CHECKING:  # what `explain` and `calendar` print; `show` needs none of it
    from casefile.repo.calendars import CalendarStatus, Reading
    from casefile.sla.explain import CaseExplanation, ClockExplanation, Stretch
    from casefile.worktime.spans import DueExplanation, TimelineSpan

STATE_WORDS = {  # translated where shown (`state_word`)
    ClockState.RUNNING: N_("running"),
    ClockState.PAUSED: N_("paused"),
    ClockState.MET: N_("met"),
    ClockState.BREACHED: N_("BREACHED"),
    ClockState.NOT_STARTED: N_("not started"),
    ClockState.NOT_APPLICABLE: N_("n/a"),
    ClockState.NEEDS_DATA: N_("needs data"),
}
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def state_word(state: ClockState) -> str:
    return _(STATE_WORDS[state])


def state_words(run: ClockRun) -> str:
    """`met`, `BREACHED`, ... and `needs 2027` for a clock whose deadline needs a year without official days."""
    if run.state is ClockState.NEEDS_DATA and run.needs_year:
        return _("needs {needs_year}").format(needs_year=run.needs_year)
    return state_word(run.state)


def _deadline(run: ClockRun, zone: tzinfo) -> str:
    """The deadline to the minute; for a met clock whose deadline lies in a year without data, `after 2026`."""
    if run.due_at is not None:
        return minute(run.due_at, zone)
    return _("after {value}").format(value=run.needs_year - 1) if run.needs_year else "—"


def _at(value: datetime | None, zone: tzinfo) -> str | None:
    return format_instant(value, zone) if value else None


def _day(value: datetime, zone: tzinfo) -> str:
    local = value.astimezone(zone)
    return f"{_(WEEKDAYS[local.weekday()])} {local:%Y-%m-%d %H:%M}"


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


COVERAGE_FROM = {"level": N_("the level's"), "customer": N_("the customer's"), "rule": N_("the rule's"),
                 "ladder": N_("the complaint ladder's")}


def coverage_words(sla: CaseSla) -> str:
    """`7x24 (the customer's)`, and the rule: `; rule metro-emergency`."""
    words = _("{coverage} ({source})").format(coverage=sla.coverage,
                                               source=_(COVERAGE_FROM.get(sla.coverage_from, sla.coverage_from)))
    return words + (_("; rule {rule}").format(rule=sla.rule) if sla.rule else "")


def _clock_name(run: ClockRun) -> str:
    """The clock as the policy names it for the reader: `首次响应` on a zh desk, `response` (its key) else."""
    return run.label_zh if current() == "zh" and run.label_zh else run.name


def _clock_row(run: ClockRun, zone: tzinfo) -> str:
    if run.start_at is None or (run.due_at is None and run.state is not ClockState.NEEDS_DATA):
        return f"  {pad(_clock_name(run), 16)} {pad(state_words(run), 12)} {run.note}"
    note = []
    if run.stopped_at:
        note.append(f"{_(str(run.stopped_by))} {minute(run.stopped_at, zone)[11:]}")  # the event's word, as the engine says it
    if run.paused_since:
        note.append(_("paused since {value}; deadline if resumed now").format(value=minute(run.paused_since, zone)[11:]))
    if len(run.cycles) > 1:
        judged = run.judged
        worst = max((c.elapsed for c in judged if c.elapsed is not None), default=None)
        late = sum(1 for c in judged if c.state is ClockState.BREACHED)
        note.append(_("{count} cycles, {late} late").format(count=len(run.cycles), late=late) + (_(", worst {worst}").format(worst=minutes(worst)) if worst else ""))
    elif run.state is ClockState.NOT_APPLICABLE and run.note:
        note.append(run.note)
    if run.state is ClockState.NEEDS_DATA:
        note.append(_("no official days for {needs_year} yet: {IMPORT_COMMAND}").format(needs_year=run.needs_year, IMPORT_COMMAND=IMPORT_COMMAND))
    elapsed = minutes(run.elapsed) if run.elapsed is not None else "?"
    return (f"  {pad(_clock_name(run), 16)} {pad(state_words(run), 12)} {pad(_deadline(run, zone), 17)} "
            f"{elapsed:<9} {signed(run.difference):<8} {'; '.join(note)}".rstrip())


def clock_lines(sla: CaseSla, zone: tzinfo, events: Sequence[Mapping[str, Any]], coverage: str) -> list[str]:
    policy = _(" · policy {value}").format(value=sla.policy[:10]) if sla.policy else ""
    cover = coverage_words(sla) if sla.coverage else coverage
    out = ["", _("Service level (level {level}, coverage {cover}{policy}; at {now})").format(level=sla.level, cover=cover, policy=policy, now=minute(sla.now, zone))]
    heads = [pad(_("CLOCK"), 16), pad(_("STATE"), 12), pad(_("DEADLINE"), 17), pad(_("ELAPSED"), 9), pad(_("DIFF"), 8)]
    out.append("  " + " ".join(heads) + " " + _("NOTE"))
    out += [_clock_row(run, zone) for run in sla.clocks]
    if sla.vendor_clocks:
        out += ["", _("Vendor commitments ({vendor}; not the desk's own targets)").format(vendor=sla.vendor_clocks[0].vendor)]
        out += [_clock_row(run, zone) for run in sla.vendor_clocks]
    if sla.ladder is not None and sla.ladder.start_at is not None:
        recorded = _recorded(events)
        stop = _(", stopped {stopped_at}").format(stopped_at=minute(sla.ladder.stopped_at, zone)) if sla.ladder.stopped_at else ""
        out += ["", _("Escalation ladder {name} (on {calendar}{stop})").format(name=sla.ladder.name, calendar=sla.ladder.calendar, stop=stop)]
        for step in sla.ladder.steps:
            for role in step.roles:
                event = recorded.get(f"ladder/{role}")
                status = _("reached") if step.reached else _("not reached")
                if step.needs_year:
                    status = _("needs {needs_year}: no official days for it yet").format(needs_year=step.needs_year)
                if event:
                    who = ", ".join((event.get("fields") or {}).get("notified") or []) or _("nobody")
                    status = _("notified {who} at {value}").format(who=who, value=minute(_parse(event.get('at')), zone)[11:])
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
    verb = _("counted") if stretch.counted else _("skipped")
    start, end = stretch.start.astimezone(zone), stretch.end.astimezone(zone)
    until = end.strftime("%H:%M") if start.date() == end.date() else _day(end, zone)
    span = f"{_day(start, zone)} → {until}"
    return f"    {pad(verb, 8)} {pad(span, 41)} {format_duration(stretch.elapsed):>7}  {stretch.words}"


def _verdict(run: ClockRun, zone: tzinfo) -> str:
    if run.state is ClockState.NEEDS_DATA:
        return _("  Cannot be computed yet: {note} ({fix}).").format(note=run.note, fix=run.fix)
    if run.stopped_at and run.state is ClockState.MET:
        when = _day(run.stopped_at, zone)
        spare = _(", {difference} of working time to spare").format(difference=minutes(run.difference)) if run.difference is not None else ""
        return _("  Met: {stopped_by} at {when}{spare}.").format(stopped_by=run.stopped_by, when=when, spare=spare)
    if run.stopped_at and run.difference is not None:
        return _("  Breached: {stopped_by} at {day}, {value} of working time late.").format(stopped_by=run.stopped_by, day=_day(run.stopped_at, zone), value=minutes(-run.difference))
    if run.state is ClockState.BREACHED:
        if run.difference is None:
            return (_("  Breached: still running; how far past the deadline it is cannot be counted yet (no official days for the days since)."))
        return _("  Breached: still running, {value} of working time past the deadline.").format(value=minutes(-run.difference))
    if run.state is ClockState.PAUSED and run.paused_since:
        return (_("  Paused since {day}: the deadline above is where it falls if work resumes now; it moves later while the pause lasts.").format(day=_day(run.paused_since, zone)))
    left = minutes(run.difference) if run.difference is not None else "?"
    used = minutes(run.elapsed) if run.elapsed is not None else "?"
    return _("  Running: {used} used, {left} of working time left.").format(used=used, left=left)


def _alert_lines(alerts: Sequence[Alert], fired: Mapping[str, Mapping[str, Any]], zone: tzinfo) -> list[str]:
    """When each warning, breach or step fell due, when it may page (quiet hours), and when it was recorded."""
    lines = []
    for alert in alerts:
        what = _({"warning": N_("Warning"), "breach": N_("Breach"), "ladder": N_("Step")}.get(str(alert.kind),
                                                                                          str(alert.kind)))
        paging = _("pages at once") if alert.page_at == alert.due_at else \
            _("held until {day} (the desk is closed)").format(day=_day(alert.page_at, zone))
        event = fired.get(alert.key)
        if event is not None:
            fields = event.get("fields") or {}
            who = ", ".join(fields.get("notified") or []) or _("nobody")
            recorded = _("; recorded {value} by {get}, told {who}").format(value=minute(_parse(event.get('at')), zone)[11:], get=event.get('by'), who=who)
        else:
            recorded = _("; not recorded yet")
        lines.append(_("  {what} due {day}: {paging}{recorded}.").format(what=what, day=_day(alert.due_at, zone), paging=paging, recorded=recorded))
    return lines


def _cycle_lines(run: ClockRun, zone: tzinfo) -> list[str]:
    if len(run.cycles) < 2:
        return []
    lines = [_("  Every cycle ({count}; it starts again at every {name} note):").format(count=len(run.cycles), name=run.name)]
    for number, cycle in enumerate(run.cycles, start=1):
        end = f"{_day(cycle.end, zone)}" if cycle.end else _("still running")
        elapsed = minutes(cycle.elapsed) if cycle.elapsed is not None else "?"
        due = _day(cycle.due, zone) if cycle.due is not None else _("in a year without official days")
        lines.append(_("    cycle {number}: {day} → {end}  {elapsed:>7}  due {due}  {value}").format(number=number, day=_day(cycle.start, zone), end=end, elapsed=elapsed, due=due, value=state_word(cycle.state)))
    return lines


def _clock_text(item: ClockExplanation, zone: tzinfo, sla: CaseSla | None = None,
                fired: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    run = item.clock
    title = f"{run.label_zh}（{run.name}）" if current() == "zh" else f"{run.label} ({run.name}, {run.label_zh})"
    if run.start_at is None:
        return ["", _("{title}: {state} — {note}").format(title=title, state=state_words(run), note=run.note)]
    cycle = _(" (cycle {value}: restarted at the last {name} note)").format(value=run.cycle + 1, name=run.name) if run.cycle else ""
    lines = [
        "",
        _("{title}: {state}{cycle}").format(title=title, state=state_words(run), cycle=cycle),
        _("  Target: {format_duration} of working time on {calendar_words}.").format(format_duration=format_duration(run.within), calendar_words=item.calendar_words),
        _("  Started {day}; counting from {day2}.").format(day=_day(run.start_at, zone), day2=_day(item.counting_from or run.start_at, zone)),
    ]
    lines += [_stretch_line(s, zone) for s in item.stretches]
    if run.due_at is not None:
        lines.append(_("  = {format_duration} of working time: deadline {day}.").format(format_duration=format_duration(item.working), day=_day(run.due_at, zone)))
    else:
        until = _(" up to {day}").format(day=_day(item.until, zone)) if item.until else ""
        year = _("; the deadline falls in {needs_year} or later, for which there are no official days yet").format(needs_year=run.needs_year) \
            if run.needs_year else ""
        lines.append(_("  = {format_duration} of working time counted{until}{year}.").format(format_duration=format_duration(item.working), until=until, year=year))
    lines.append(_verdict(run, zone))
    if run.warn_at is not None:
        lines.append(_("  Warning time: {day}.").format(day=_day(run.warn_at, zone)))
    lines += _cycle_lines(run, zone)
    if sla is not None:
        lines += _alert_lines([a for a in sla.alerts if a.subject == run.name], fired or {}, zone)
    return lines


def render_explanation(found: CaseExplanation, title: str, zone: tzinfo,
                       events: Sequence[Mapping[str, Any]] = ()) -> str:
    sla = found.sla
    fired = _recorded(events)
    policy = _("policy {value} (the version it was opened under)").format(value=sla.policy[:10]) if sla.policy else _("the current policy")
    cover = coverage_words(sla) if sla.coverage else found.coverage
    lines = [f"{sla.case_id}  {title}", _("  level {level}, coverage {cover}; {policy}; as of {day}").format(level=sla.level, cover=cover, policy=policy, day=_day(sla.now, zone))]
    if found.rule is not None:
        targets = ", ".join(f"{t.clock.name} {format_duration(t.within)}" for t in found.rule.targets)
        lines.append(_("  Rule {name} applies ({rule})").format(name=found.rule.name, rule=found.rule.describe())
                     + (f": {targets}" if targets else "")
                     + (_("; coverage {coverage}").format(coverage=found.rule.coverage) if found.rule.coverage else "") + ".")
    for change in found.level_changes:
        lines.append(_("  Level changed {old} → {new} on {day} by {by}: every clock is counted from the report under level {level}'s targets, with the recorded pauses.").format(old=change.old, new=change.new, day=_day(change.at, zone), by=change.by, level=sla.level))
    for item in found.clocks:
        lines += _clock_text(item, zone, sla, fired)
    if found.vendor_clocks:
        lines += ["", _("The vendor's commitments ({vendor}, copied from its record when the case was escalated to it):").format(vendor=found.vendor_clocks[0].clock.vendor)]
        for item in found.vendor_clocks:
            lines += _clock_text(item, zone, sla, fired)
    ladder = found.ladder
    if ladder is not None and ladder.start_at is not None:
        stopped = f" ({_day(ladder.stopped_at, zone)})" if ladder.stopped_at else ""
        lines += ["", _("Escalation ladder {name}: working time on {calendar} since the report at {day}, until service "
                        "is restored{stopped}.").format(name=ladder.name, calendar=ladder.calendar,
                                                        day=_day(ladder.start_at, zone), stopped=stopped)]
        for step in ladder.steps:
            state = _("reached") if step.reached else _("not reached")
            if step.needs_year:
                state = _("needs {needs_year}: no official days for it yet").format(needs_year=step.needs_year)
            lines.append(_("  after {format_duration:<5} {names:<32} due {value}  {state}").format(format_duration=format_duration(step.after), names=', '.join(step.roles), value=_day(step.due_at, zone) if step.due_at else '—', state=state))
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
    lines = [_("{day}  ({format_duration} on {calendar} from {day2}; counting from {day3})").format(day=_day(found.due, zone), format_duration=format_duration(duration), calendar=found.calendar, day2=_day(found.start, zone), day3=_day(found.counting_from, zone))]
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
    lines = [_("{format_duration}  (working time on {calendar} from {day} to {day2})").format(format_duration=format_duration(working), calendar=calendar, day=_day(start, zone), day2=_day(end, zone))]
    if show_spans:
        lines += [_span_line(span, zone) for span in spans]
    return "\n".join(lines)


def _span_line(span: TimelineSpan, zone: tzinfo) -> str:
    verb = _("counted") if span.counted else _("skipped")
    from casefile.sla.explain import span_words

    return (f"  {pad(verb, 8)} {_day(span.start, zone)} → {_day(span.end, zone)}  "
            f"{format_duration(span.elapsed):>8}  {span_words(span)}")


def show_lines(sla: CaseSla | CasefileError, coverage: str, events: Sequence[Mapping[str, Any]],
               zone: tzinfo) -> list[str]:
    """The `show` lines of a case's service level (or why it has none)."""
    if isinstance(sla, CasefileError):
        return ["", _("Service level: cannot be computed: {sla}").format(sla=sla)]
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
    lines = [_("Official days (statutory days off and make-up working days, 调休) as of {today:%a %Y-%m-%d}:").format(today=found.today)]
    width = max((len(c.name) for c in found.calendars), default=4)
    for calendar in found.calendars:
        head = f"  {calendar.name:<{width}}  "
        if calendar.always:
            lines.append(_("{head}every minute counts: needs no official days").format(head=head))
            continue
        if calendar.country is None:
            lines.append(_("{head}holidays: none (its own week): needs no official days").format(head=head))
        else:
            lines.append(_("{head}holidays: {country}  ").format(head=head, country=calendar.country) + " · ".join(str(span) for span in calendar.spans))
        extra = [f"{count} {what}" for count, what in ((calendar.extra_days_off, _("extra days off")),
                                                        (calendar.extra_working_days, _("extra working days"))) if count]
        if extra:
            lines.append(" " * (width + 4) + _("and its own {names} (policy; they win over everything)").format(names=", ".join(extra)))
    have = ", ".join(str(year) for year in found.file_years) or _("no years yet")
    lines += ["", f"{found.file}: {have}."]
    reminder = (_("from {value:02d}-{value2:02d} (desk.next_year_reminder)").format(value=found.reminder[0], value2=found.reminder[1])
                if found.reminder else _("never (desk.next_year_reminder: none)"))
    if found.missing:
        lines.append("")
        for missing in found.missing:
            lines += [_("MISSING: {missing}.").format(missing=missing.text()), f"  {missing.fix}"]
    else:
        lines.append(_("Nothing missing: this year's official days are in")
                     + (_(", and next year's.") if found.reminder and (found.today.month, found.today.day) >= found.reminder
                        else "."))
    lines.append(_("`casefile check` reminds once a day when next year's are missing, {reminder}.").format(reminder=reminder))
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
                     _("{first:%Y-%m-%d %a} – {last:%Y-%m-%d %a} ({count} days)").format(first=first, last=last, count=len(run)))
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
    about = ", ".join(part for part in (notice.document, _("signed {signed}").format(signed=notice.signed) if notice.signed else None) if part)
    lines = [f"{notice.title}" + (f" ({about})" if about else "")]
    width = max(len(f.name) for f in notice.festivals)
    for festival in notice.festivals:
        pad = " " * (2 * (width - len(festival.name)))  # Chinese characters take two columns
        lines.append(_("  {name}{pad}  off      {days}").format(name=festival.name, pad=pad, days=_days(festival.days_off)))
        if festival.working_days:
            lines.append(_("  {value}  working  {days}").format(value=' ' * 2 * width, days=_days(festival.working_days)))
        lines += [_("  {value}  note     {note}").format(value=' ' * 2 * width, note=note) for note in festival.notes]
    weekdays = sum(1 for day in notice.days_off if day.weekday() < 5)
    lines.append(_("{year}: {count} days off ({weekdays} of them weekdays), {count2} make-up working day(s).").format(year=notice.year, count=len(notice.days_off), weekdays=weekdays, count2=len(notice.working_days)))
    if not found.package_covers:
        lines.append(_("{package} has no data for {year}.").format(package=found.package, year=notice.year))
    elif not found.package_differences:
        lines.append(_("Agrees with {package} on every day of {year}.").format(package=found.package, year=notice.year))
    else:
        lines.append(_("Differs from {package} on {count} day(s): ").format(package=found.package, count=len(found.package_differences))
                     + "; ".join(_("{day} {notice} in the notice, {other} in the package").format(day=d.day, notice=d.notice, other=d.other)
                                 for d in found.package_differences[:5]))
    if found.commit:
        lines.append(_("commit {value}: {path} has {year} now; every calendar with holidays: CN uses it, for every case, whatever policy version it was opened under.").format(value=found.commit[:10], path=found.path, year=notice.year))
    elif found.unchanged:
        lines.append(_("{path} has {year} already, with exactly these days: nothing to change.").format(path=found.path, year=notice.year))
    elif found.file_has:
        lines.append(_("{path} has {year} already and differs on {count} day(s); --commit --replace replaces it.").format(path=found.path, year=notice.year, count=len(found.file_differences)))
    elif not commit_asked:
        lines.append(_("Not written: add --commit to write {year} into {path} (one commit).").format(year=notice.year, path=found.path))
    return "\n".join(lines)
