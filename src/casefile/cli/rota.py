"""`casefile rota show|check|swap`: who is on duty, the rota's gaps and overlaps, a one-off swap."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, instant, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def rota() -> None:
    """The on-call rota (rota.yaml): who is on duty for each role, and when.

    \b
    Examples:
        casefile rota show --at 2026-10-03T02:10
        casefile rota check --weeks 4
        casefile rota swap customer-service-engineer --from zhao.lei --to li.na --on 2026-10-03
    """


@rota.command()
@click.option("--at", "at", metavar="ISO-8601", help="At this time instead of now.")
@click.option("--role", metavar="ROLE", help="Only this role.")
@json_option
@desk_options
def show(desk: Desk, at: str | None, role: str | None, as_json: bool) -> None:
    """Who is on duty now (or --at a time), first the one paged, and the next handovers.

    \b
    Examples:
        casefile rota show
        casefile rota show --at 2026-10-03T02:10 --role customer-service-engineer --json
    """
    from casefile.oncall.views import render_shown, shown_json

    shown = desk.oncall.show(instant(desk, at, "--at"), role)
    zone = desk.policy.zone
    emit(shown_json(shown, zone), as_json, lambda: render_shown(shown, zone))


@rota.command("check")
@click.option("--weeks", type=click.IntRange(1, 52), default=2, show_default=True, help="How far ahead to look.")
@click.option("--from", "start", metavar="ISO-8601", help="Start here instead of now.")
@click.option("--role", metavar="ROLE", help="Only this role.")
@json_option
@desk_options
def check_rota(desk: Desk, weeks: int, start: str | None, role: str | None, as_json: bool) -> None:
    """Find gaps (nobody on duty) and overlaps (two shifts at once) in the coming weeks; exit 5 if any.

    `casefile check` reports the same a week ahead (paging.look_ahead).

    \b
    Examples:
        casefile rota check
        casefile rota check --weeks 6 --role customer-service-engineer --json
    """
    from casefile.errors import ExitCode
    from casefile.oncall.views import problem_json, render_problems

    problems = desk.oncall.check(instant(desk, start, "--from"), weeks, role)
    zone = desk.policy.zone
    emit([problem_json(p, zone) for p in problems], as_json, lambda: render_problems(problems, zone, weeks))
    if problems:
        raise click.exceptions.Exit(int(ExitCode.INVALID))


@rota.command()
@click.argument("role")
@click.option("--from", "giver", required=True, metavar="HANDLE", help="Who gives the shift away.")
@click.option("--to", "taker", required=True, metavar="HANDLE", help="Who works it instead.")
@click.option("--on", "day", required=True, metavar="DATE", help="The date the shift starts, e.g. 2026-10-03.")
@desk_options
def swap(desk: Desk, role: str, giver: str, taker: str, day: str) -> None:
    """Swap one day: --to works the ROLE shifts of --from that start on --on (one commit of rota.yaml).

    \b
    Example:
        casefile rota swap customer-service-engineer --from zhao.lei --to li.na --on 2026-10-03
    """
    from datetime import date

    try:
        when = date.fromisoformat(day)
    except ValueError:
        raise click.BadParameter(_("{day!r} is not a date like 2026-10-03").format(day=day), param_hint="--on") from None
    click.echo(desk.oncall.swap(role, giver, taker, when))
