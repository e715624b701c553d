"""`casefile asset show SERIAL`: one device of a customer and its history (配置管理)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def asset() -> None:
    """A customer's equipment: a device and what happened to it.

    Devices are the `assets` of a customer's file; cases name one with
    `open --asset SERIAL`, and `note -k onsite --replace OLD=NEW` or
    `inspect record --replace OLD=NEW` record a swap.

    \b
    Example:
        casefile asset show FOC2345X0AB
    """


@asset.command("show")
@click.argument("serial", metavar="SERIAL")
@click.option("--customer", metavar="ID", help="The customer whose device it is (when two have the serial).")
@json_option
@desk_options
def show(desk: Desk, serial: str, customer: str | None, as_json: bool) -> None:
    """Show a device: model, place, status, and its history (cases, problems, replacements, inspections).

    \b
    Example:
        casefile asset show FOC2345X0AB --customer sz-metro
    """
    from casefile.customers.views import asset_json, render_asset

    found = desk.customers.asset(serial, customer)
    emit(asset_json(found), as_json, lambda: render_asset(found, desk.policy.zone))
