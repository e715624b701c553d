"""Commands that read: show, list, history."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from .options import desk_options, emit, instant, json_option

if TYPE_CHECKING:
    from ..desk import Desk

STATUSES = ("open", "pending", "resolved", "closed")


@click.command()
@click.argument("case")
@json_option
@desk_options
def show(desk: Desk, case: str, as_json: bool) -> None:
    """Show CASE: its fields, pauses, activity log and description.

    \b
    Example:
        casefile show KMT-00417
        casefile show kmt-417 --json
    """
    from ..catalog import Catalog
    from ..views import case_json, render_case

    entry = Catalog(desk.root).case(case)
    emit(case_json(entry), as_json, lambda: render_case(entry, desk.policy))


@click.command("list")
@click.option("-s", "--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only cases in this status (repeatable). Default: open and pending.")
@click.option("-a", "--all", "everything", is_flag=True, help="Cases in every status.")
@click.option("-l", "--level", "levels", multiple=True, metavar="LEVEL", help="Only this level (repeatable).")
@click.option("-t", "--type", "types", multiple=True, metavar="TYPE", help="Only this type (repeatable).")
@click.option("--assignee", metavar="HANDLE", help="Only cases assigned to this person.")
@click.option("--customer", metavar="ID", help="Only this customer's cases.")
@click.option("--since", metavar="ISO-8601", help="Opened at or after this time (e.g. 2026-11-01).")
@click.option("--until", metavar="ISO-8601", help="Opened before this time.")
@json_option
@desk_options
def list_cases(desk: Desk, statuses: tuple[str, ...], everything: bool, levels: tuple[str, ...],
               types: tuple[str, ...], assignee: str | None, customer: str | None, since: str | None,
               until: str | None, as_json: bool) -> None:
    """List cases, oldest first: open and pending ones unless told otherwise.

    \b
    Examples:
        casefile list
        casefile list --all --level A --level B --since 2026-11-01
        casefile list --assignee li.na --json
    """
    from ..catalog import Catalog
    from ..listing import CaseFilter, select_cases
    from ..views import render_list

    wanted = CaseFilter(
        statuses=frozenset(statuses), everything=everything, levels=frozenset(l.upper() for l in levels),
        types=frozenset(types), assignee=assignee, customer=customer,
        since=instant(desk, since, "--since"), until=instant(desk, until, "--until"),
    )
    rows = select_cases(Catalog(desk.root), wanted, lambda error: desk.notes(f"skipped {error}"))
    empty = "no cases match" if (statuses or everything or levels or types or assignee or customer) else \
        "no open cases (casefile list --all shows closed ones too)"
    emit(rows, as_json, lambda: render_list(rows, desk.policy.zone, empty))


@click.command()
@click.argument("case")
@json_option
@desk_options
def history(desk: Desk, case: str, as_json: bool) -> None:
    """Show who changed CASE, when, and in which commit (from git).

    \b
    Example:
        casefile history KMT-00417
    """
    from ..catalog import Catalog
    from ..views import history_json, render_history

    _case_id, path = Catalog(desk.root).locate(case)
    entries = desk.repo.log([desk.relative(path)])
    emit(history_json(entries), as_json, lambda: render_history(entries, desk.policy.zone))
