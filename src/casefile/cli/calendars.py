"""`casefile calendar due|between|status|import-notice`: the business-calendar engine, and the official days
(statutory days off and make-up working days) the desk's calendars have, on the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING, BinaryIO

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, instant, json_option
from casefile.i18n import N_, _

if TYPE_CHECKING:
    from casefile.desk import Desk

CALENDAR_HELP = N_("A calendar of policy.yaml (default: desk.calendar, else 5x8).")


@click.group(cls=Group)
def calendar() -> None:
    """Business-calendar arithmetic on the policy's calendars (SPEC section 3), and their official days.

    \b
    Examples:
        casefile calendar due 2026-10-09T17:30 24h --calendar 5x8
        casefile calendar between 2026-09-30T17:00 2026-10-09T10:00
        casefile calendar status
        casefile calendar import-notice notice-2027.txt --commit
        casefile calendar ics -o desk.ics
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
        raise CasefileError(_("END is before START"), _("give the earlier time first"))
    working = cal.working_time(begin, finish)
    timeline = cal.timeline(begin, finish)
    zone = cal.zone
    emit(between_json(cal.name, begin, finish, working, timeline, zone), as_json,
         lambda: render_between(cal.name, begin, finish, working, timeline, zone, spans))


@calendar.command()
@json_option
@desk_options
def status(desk: Desk, as_json: bool) -> None:
    """List the years each calendar has official days for, where each comes from, and what is missing.

    Official days (statutory days off and make-up working days, 调休) come from the
    package (chinese-calendar), the repository's calendars/official/CN.yaml (added
    with `calendar import-notice`), or a calendar's own `years` in policy.yaml.
    From desk.next_year_reminder (default 12-01) a missing next year is reported.

    \b
    Example:
        casefile calendar status
        casefile calendar status --json
    """
    from casefile.sla.views import render_status, status_json

    found = desk.calendars.status()
    emit(status_json(found), as_json, lambda: render_status(found))


@calendar.command("import-notice")
@click.argument("notice", metavar="FILE|-", type=click.File("rb"))
@click.option("--commit", "commit", is_flag=True,
              help="Write the year into calendars/official/CN.yaml, in one commit citing the notice.")
@click.option("--replace", is_flag=True, help="With --commit: replace a year the file has already.")
@json_option
@desk_options
def import_notice(desk: Desk, notice: BinaryIO, commit: bool, replace: bool, as_json: bool) -> None:
    """Read the State Council's notice of next year's days off (国务院办公厅关于YYYY年部分节假日安排的通知).

    FILE is the notice's text as published on www.gov.cn (UTF-8 or GBK; `-` reads
    standard input), from its title to its signature.  Prints the days off and
    make-up working days of each festival and how they compare with the package;
    refuses the whole notice, naming the sentence, if any sentence of its items
    cannot be read completely or a weekday does not match its date.  With
    --commit the year goes into calendars/official/CN.yaml in one commit: every
    calendar with `holidays: CN` then uses it, for every case, old and new.

    \b
    Example:
        casefile calendar import-notice notice-2027.txt
        casefile calendar import-notice notice-2027.txt --commit
        pbpaste | casefile calendar import-notice - --commit
    """
    from casefile.errors import CasefileError
    from casefile.sla.views import reading_json, render_reading

    if replace and not commit:
        raise CasefileError(_("--replace is for --commit"), _("add --commit"))
    found = desk.calendars.import_notice(notice.read(), commit, replace)
    emit(reading_json(found), as_json, lambda: render_reading(found, commit))


@calendar.command("ics")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), metavar="FILE",
              help="Write the feed to FILE (whole or not at all); default: standard output.")
@click.option("--since", metavar="DATE", help="Only what ends on or after DATE (2026-11-01).")
@json_option
@desk_options
def ics(desk: Desk, output: str | None, since: str | None, as_json: bool) -> None:
    """The team's calendar (RFC 5545 .ics): change windows and planned inspections.

    One event per change or inspection, with a UID that stays the same, so a
    calendar app subscribed to the file updates moved windows and drops
    rejected changes and cancelled inspections.  Times are in the desk's zone.

    \b
    Example:
        casefile calendar ics -o desk.ics
        casefile calendar ics --since 2026-11-01 --json
    """
    import sys
    from datetime import date
    from pathlib import Path

    from casefile.errors import CasefileError
    from casefile.render.output import write_atomic
    from casefile.schedule.feed import event_json

    day = None
    if since is not None:
        try:
            day = date.fromisoformat(since)
        except ValueError:
            raise CasefileError(_("--since {since!r} is not a date").format(since=since), _("write it like 2026-11-01")) from None
    events, data = desk.calendar_feed(day)
    if as_json:
        emit([event_json(e) for e in events], True, lambda: "")
    elif output:
        write_atomic(Path(output), data)
        click.echo(f"wrote {len(events)} event{'s' * (len(events) != 1)} to {output}")
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(data)  # the CRLF line ends as they are
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8"))
