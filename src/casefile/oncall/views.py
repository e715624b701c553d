"""How the rota, its problems and unacknowledged pages look on a terminal and in JSON."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from casefile.oncall.model import Page
from casefile.policy.rota import Duty, RotaProblem
from casefile.worktime.clock import format_instant

if TYPE_CHECKING:  # `check` words its pages with this module; it never shows the rota
    from casefile.oncall.work import RotaShown, UnackedCase


def _hm(value: datetime, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


def duty_json(duty: Duty, zone: tzinfo) -> dict[str, Any]:
    return {
        "role": duty.role, "from": format_instant(duty.start, zone), "to": format_instant(duty.end, zone),
        "on": list(duty.on), "holiday": duty.holiday,
        "swapped": [{"date": s.day.isoformat(), "from": s.giver, "to": s.taker} for s in duty.swapped],
    }


def shown_json(shown: RotaShown, zone: tzinfo) -> dict[str, Any]:
    return {"at": format_instant(shown.at, zone), "on_duty": [duty_json(d, zone) for d in shown.duties],
            "next": [duty_json(d, zone) for d in shown.coming]}


def _duty_line(duty: Duty, zone: tzinfo) -> str:
    first, *rest = duty.on
    then = f" (then {', '.join(rest)})" if rest else ""
    notes = []
    if duty.holiday is not None:
        notes.append(f"holiday {duty.holiday}".rstrip())
    notes += [f"swap: {s.taker} for {s.giver}" for s in duty.swapped]
    extra = f"  [{'; '.join(notes)}]" if notes else ""
    end = duty.end.astimezone(zone)
    until = f"{end:%H:%M}" if end.date() == duty.start.astimezone(zone).date() else f"{end:%a %H:%M}"
    return f"  {duty.role:<30} {first + then:<12} {_hm(duty.start, zone)} → {until}{extra}"


def render_shown(shown: RotaShown, zone: tzinfo) -> str:
    lines = [f"On duty at {_hm(shown.at, zone)} ({zone}):"]
    lines += [_duty_line(d, zone) for d in shown.duties] or ["  nobody (see: casefile rota check)"]
    if shown.coming:
        lines += ["", "Next handovers:", *(_duty_line(d, zone) for d in shown.coming)]
    return "\n".join(lines)


def problem_json(problem: RotaProblem, zone: tzinfo) -> dict[str, Any]:
    return {"role": problem.role, "kind": problem.kind, "from": format_instant(problem.start, zone),
            "to": format_instant(problem.end, zone), "who": list(problem.who)}


def problem_line(problem: RotaProblem, zone: tzinfo) -> str:
    span = f"{_hm(problem.start, zone)} → {_hm(problem.end, zone)}"
    if problem.kind == "gap":
        return f"{problem.role}: nobody on duty {span}"
    if problem.kind == "holidays-unknown":
        return f"holiday shifts from {_hm(problem.start, zone)} cannot be placed, the week's shifts hold: {problem.who[0]}"
    return f"{problem.role}: two shifts at once {span} ({', '.join(problem.who)})"


def render_problems(problems: list[RotaProblem], zone: tzinfo, weeks: int) -> str:
    if not problems:
        return f"rota: no gaps or overlaps in the next {weeks} week{'s' * (weeks != 1)}"
    return "\n".join(problem_line(p, zone) for p in problems)


def page_line(page: Page, zone: tzinfo) -> str:
    number = f" (page {page.number})" if page.number > 1 else ""
    return f"{page.to} on {page.channel} as {page.role} at {page.at.astimezone(zone):%H:%M}{number}"


def unacked_json(cases: list[UnackedCase], zone: tzinfo) -> list[dict[str, Any]]:
    return [{"id": c.case, "title": c.title, "level": c.level,
             "pages": [p.as_json(zone, False) for p in c.pages]} for c in cases]


def render_unacked(cases: list[UnackedCase], zone: tzinfo) -> str:
    if not cases:
        return "no page is waiting for an acknowledgement"
    lines = []
    for case in cases:
        lines.append(f"{case.case:<10} {case.level:<2} {case.title}")
        lines += [f"    paged {page_line(p, zone)}, not acknowledged" for p in case.pages]
    return "\n".join(lines)
