"""`casefile calendar due|between`: the business-calendar engine on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.options import desk_options, emit, instant, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk

CALENDAR_HELP = "A calendar of policy.yaml (default: desk.calendar, else 5x8)."


@click.group()
def calendar() -> None:
    """Business-calendar arithmetic on the policy's calendars (SPEC section 3).

    \b
    Examples:
        casefile calendar due 2026-10-09T17:30 24h --calendar 5x8
        casefile calendar between 2026-09-30T17:00 2026-10-09T10:00
    """


@calendar.command()
@click.argument("start")
@click.argument("duration")
@click.option("-c", "--calendar", "name", metavar="NAME", help=CALENDAR_HELP)
@click.option("--spans", is_flag=True, help="List every stretch counted or skipped, with the reason.")
@json_option
@desk_options
def due(desk: Desk, start: str, duration: str, name: str | None, spans: bool, as_json: bool) -> None:
    """When is DURATION of working time from START due?  30m, 4h30m: working time; 2d: working days.

    \b
    Example:
        casefile calendar due 2026-10-09T17:30 24h --calendar 5x8 --spans
    """
    from casefile.sla.views import due_json, render_due
    from casefile.worktime.duration import parse_duration

    cal = desk.sla.calendar(name)
    begin = instant(desk, start, "START")
    wanted = parse_duration(duration, where="DURATION")
    found = cal.explain_due(begin, wanted)
    emit(due_json(found, wanted), as_json, lambda: render_due(found, wanted, spans))


@calendar.command()
@click.argument("start")
@click.argument("end")
@click.option("-c", "--calendar", "name", metavar="NAME", help=CALENDAR_HELP)
@click.option("--spans", is_flag=True, help="List every stretch counted or skipped, with the reason.")
@json_option
@desk_options
def between(desk: Desk, start: str, end: str, name: str | None, spans: bool, as_json: bool) -> None:
    """How much working time lies between START and END?

    \b
    Example:
        casefile calendar between 2026-09-30T17:00 2026-10-09T10:00 --calendar 5x8
    """
    from casefile.errors import CasefileError
    from casefile.sla.views import between_json, render_between

    cal = desk.sla.calendar(name)
    begin, finish = instant(desk, start, "START"), instant(desk, end, "END")
    if finish < begin:
        raise CasefileError("END is before START", "give the earlier time first")
    working = cal.working_time(begin, finish)
    timeline = cal.timeline(begin, finish)
    zone = cal.zone
    emit(between_json(cal.name, begin, finish, working, timeline, zone), as_json,
         lambda: render_between(cal.name, begin, finish, working, timeline, zone, spans))
