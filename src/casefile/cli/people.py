"""`casefile people add|edit|list|remove`: the desk's team, without hand-editing people.yaml."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk

TIERS = ("L1", "L2", "L3", "vendor")


@click.group("people", cls=Group)
def people() -> None:
    """The people of the desk: handles, names, e-mail, tiers and roles (people.yaml).

    Each change is validated and is one commit.  Removing someone is refused
    while they own cases that are not closed or stand in the rota.

    \b
    Example:
        casefile people add li.na --name "Li Na 李娜" --email li.na@jinqiao-it.example \\
            --tier L2 --role customer-service-engineer
    """


def _person_options(fn: Any) -> Any:
    for option in reversed((
        click.option("--name", metavar="TEXT", help="Full name, as mails and reports show it."),
        click.option("--email", metavar="EMAIL", help="E-mail: pages, alerts and reports go there."),
        click.option("--phone", metavar="PHONE", help="Phone (kept as text: 138-0013-8000)."),
        click.option("--tier", type=click.Choice(TIERS), help="L1 desk, L2 engineer, L3 expert group, vendor."),
    )):
        fn = option(fn)
    return fn


@people.command("add")
@click.argument("handle")
@_person_options
@click.option("--role", "roles", multiple=True, metavar="ROLE", help="A role of the policy (repeatable).")
@json_option
@desk_options
def add(desk: Desk, handle: str, name: str | None, email: str | None, phone: str | None, tier: str | None,
        roles: tuple[str, ...], as_json: bool) -> None:
    """Add HANDLE to the team (one commit of people.yaml).

    \b
    Example:
        casefile people add li.na --name "Li Na 李娜" --email li.na@jinqiao-it.example \\
            --tier L2 --role customer-service-engineer
    """
    from casefile.repo.people import PersonChange, person_json

    person, commit = desk.team.add(handle, PersonChange(name, email, phone, tier, roles))
    emit(person_json(person), as_json, lambda: f"people: added {person.handle} ({person.name})")


@people.command("edit")
@click.argument("handle")
@_person_options
@click.option("--role", "roles", multiple=True, metavar="ROLE", help="Give them this role (repeatable).")
@click.option("--drop-role", "dropped", multiple=True, metavar="ROLE", help="Take this role away (repeatable).")
@json_option
@desk_options
def edit(desk: Desk, handle: str, name: str | None, email: str | None, phone: str | None, tier: str | None,
         roles: tuple[str, ...], dropped: tuple[str, ...], as_json: bool) -> None:
    """Change what people.yaml says about HANDLE (what is not given stays).

    \b
    Example:
        casefile people edit li.na --tier L3 --role technical-support-supervisor
    """
    from casefile.repo.people import PersonChange, person_json

    person, commit = desk.team.edit(handle, PersonChange(name, email, phone, tier, None, roles, dropped))
    emit(person_json(person), as_json, lambda: f"people: changed {person.handle} ({person.name})")


@people.command("list")
@json_option
@desk_options
def list_people(desk: Desk, as_json: bool) -> None:
    """List the team: handle, tier, name, e-mail and roles.

    \b
    Example:
        casefile people list --json
    """
    from casefile.cli.terminal import columns
    from casefile.render.width import table
    from casefile.repo.people import person_json

    team = desk.team.list()

    def text() -> str:
        # columns as wide as their widest cell by display width (a Chinese name counts two a character); on a
        # terminal narrower than the table, roles, then e-mail, then name give up width, cut with …
        head = [_("HANDLE"), _("TIER"), _("NAME"), _("E-MAIL"), _("ROLES")]
        rows = [[p.handle, p.tier or "—", p.name, p.email or "—", ", ".join(p.roles) or "—"] for p in team]
        return "\n".join(table([head, *rows], columns(), shrink=(4, 3, 2)))

    emit([person_json(p) for p in team], as_json, text)


@people.command("remove")
@click.argument("handle")
@json_option
@desk_options
def remove(desk: Desk, handle: str, as_json: bool) -> None:
    """Remove HANDLE from the team; refused while they own cases not closed or stand in the rota.

    Their past work stays in the cases and in git: only people.yaml changes.

    \b
    Example:
        casefile people remove sun.li
    """
    commit = desk.team.remove(handle)
    emit({"handle": handle, "removed": True, "commit": commit}, as_json, lambda: f"people: removed {handle}")
