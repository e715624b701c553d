"""Commands that read: show, list, history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cases.vocabulary import Status
from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, emit_json, instant, json_option, say

if TYPE_CHECKING:
    from casefile.desk import Desk

STATUSES = tuple(str(status) for status in Status)


@click.command(cls=Command)
@click.argument("case")
@click.option("--as-of", "as_of", metavar="ISO-8601",
              help="Show the case as the desk knew it then: from its last commit at or before that time, "
                   "its clocks at that time, who had been told and paged.")
@json_option
@desk_options
def show(desk: Desk, case: str, as_of: str | None, as_json: bool) -> None:
    """Show CASE: its fields, clocks and ladder, pauses, activity log and description.

    \b
    Example:
        casefile show KMT-00417
        casefile show kmt-417 --json
        casefile show KMT-00417 --as-of 2026-10-01T03:05+08:00
    """
    from casefile.cases.views import as_of_json, render_as_of, render_shown, shown_json

    if as_of is not None:
        then = desk.case_as_of(case, instant(desk, as_of, "--as-of"))
        if as_json:
            emit_json(as_of_json(then, desk.policy.zone))
        else:
            say(render_as_of(then, desk.policy))
        return
    found = desk.cases.show(case)
    if as_json:
        emit_json(shown_json(found, desk.policy.zone))
    else:
        say(render_shown(found, desk.policy))


@click.command("list", cls=Command)
@click.option("-s", "--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only cases in this status (repeatable). Default: open and pending.")
@click.option("-a", "--all", "everything", is_flag=True, help="Cases in every status.")
@click.option("-l", "--level", "levels", multiple=True, metavar="LEVEL", help="Only this level (repeatable).")
@click.option("-t", "--type", "types", multiple=True, metavar="TYPE", help="Only this type (repeatable).")
@click.option("--assignee", metavar="HANDLE", help="Only cases assigned to this person.")
@click.option("--customer", metavar="ID", help="Only this customer's cases.")
@click.option("--since", metavar="ISO-8601", help="Opened at or after this time (e.g. 2026-11-01).")
@click.option("--until", metavar="ISO-8601", help="Opened before this time.")
@click.option("--breached", is_flag=True, help="Only cases with a breached commitment.")
@click.option("--due-within", metavar="DURATION",
              help="Only cases with a running clock due within this real time from now (overdue included), e.g. 2h.")
@click.option("--unacked", is_flag=True, help="Only cases with a page nobody acknowledged (casefile ack).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="Only cases with this tag (repeatable: all of them).")
@click.option("--where", metavar="FILTER",
              help='A filter over the list fields, e.g. "level in (A,B) and due < 2h" (docs/filters.md).')
@click.option("--view", metavar="NAME", help="A saved view (casefile views; views.yaml), e.g. my-breaching.")
@click.option("--sort", "sort_by", type=click.Choice(("opened", "deadline")), default=None,
              help="Order: by opening time (default), or by the next deadline of a running clock.")
@json_option
@desk_options
def list_cases(desk: Desk, statuses: tuple[str, ...], everything: bool, levels: tuple[str, ...],
               types: tuple[str, ...], assignee: str | None, customer: str | None, since: str | None,
               until: str | None, breached: bool, due_within: str | None, unacked: bool, tags: tuple[str, ...],
               where: str | None, view: str | None, sort_by: str | None, as_json: bool) -> None:
    """List cases, oldest first: open and pending ones unless told otherwise.

    NEXT DUE is the next deadline of a running clock: `!` marks a case with a
    breached commitment, `?` one whose clocks cannot be computed (`casefile
    explain CASE` says why).  On a terminal rows are fitted to its width.

    \b
    Examples:
        casefile list
        casefile list --all --level A --level B --since 2026-11-01
        casefile list --assignee li.na --json
        casefile list --breached
        casefile list --due-within 2h --sort deadline
        casefile list --unacked
        casefile list --tag vip
        casefile list --where "level in (A,B) and customer = acme-sz and due < 2h"
        casefile list --view my-breaching
    """
    from casefile.cases.listing import CaseFilter
    from casefile.cases.tags import check_tag
    from casefile.cases.views import render_list
    from casefile.sla.work import SlaFilter

    wanted = CaseFilter(
        statuses=frozenset(statuses), everything=everything, levels=frozenset(l.upper() for l in levels),
        types=frozenset(types), assignee=assignee, customer=customer,
        since=instant(desk, since, "--since"), until=instant(desk, until, "--until"),
        tags=frozenset(check_tag(t) for t in tags),
    )
    query, chosen = desk.query(where, view)
    clocks = SlaFilter.of(breached, due_within, sort_by or (chosen.sort if chosen else None) or "opened")
    rows = desk.cases.list(wanted, clocks, query)
    if unacked:
        from casefile.oncall.views import page_line

        waiting = {c.case: c for c in desk.oncall.unacked()}
        rows = [row for row in rows if row["id"] in waiting]
        zone = desk.policy.zone
        for row in rows:
            row["unacked"] = [page_line(p, zone) for p in waiting[row["id"]].pages]
    narrowed = (statuses or everything or levels or types or assignee or customer or breached or due_within
                or unacked or tags or where or view)
    from casefile.cli.terminal import columns

    width = columns()
    empty = "no cases match" if narrowed else "no open cases (casefile list --all shows closed ones too)"
    if unacked and rows and not as_json:
        from casefile.oncall.views import render_unacked

        listed = {row["id"] for row in rows}
        text = render_list(rows, desk.policy.zone, empty, width) + "\n\nWaiting for an acknowledgement (casefile ack CASE):\n" \
            + render_unacked([c for c in waiting.values() if c.case in listed], desk.policy.zone)
        emit(rows, as_json, lambda: text)
        return
    emit(rows, as_json, lambda: render_list(rows, desk.policy.zone, empty, width))


@click.command(cls=Command)
@click.argument("case")
@json_option
@desk_options
def history(desk: Desk, case: str, as_json: bool) -> None:
    """Show who changed CASE, when, and in which commit (from git).

    \b
    Example:
        casefile history KMT-00417
    """
    from casefile.cases.views import history_json, render_history

    entries = desk.cases.history(case)
    emit(history_json(entries), as_json, lambda: render_history(entries, desk.policy.zone))
