"""`casefile vendor ...`: add, edit, show, list the vendors a case can be escalated to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def vendor() -> None:
    """Vendors (原厂商, third parties): contacts, contract, commitments.

    One file per vendor, vendors/ID.md.  `escalate --to vendor --vendor ID
    --ticket REF` hands a case to one; its commitments become clocks.

    \b
    Example:
        casefile vendor add huawei --name "Huawei Technologies" \\
            --contact "Huawei TAC;400-822-9999;tac@huawei.example" --commit response=30m
        casefile vendor show huawei
    """


def _options(fn: Any) -> Any:
    for option in reversed((
        click.option("--contact", "contacts", multiple=True, metavar="NAME;PHONE;EMAIL;ROLE",
                     help="A contact (repeatable); the same name replaces it."),
        click.option("--contract", metavar="ID", help="The vendor's service contract ID."),
        click.option("--from", "service_from", metavar="DATE", help="First day of the contract."),
        click.option("--until", "service_until", metavar="DATE", help="Last day of the contract."),
        click.option("--coverage", metavar="CALENDAR", help="The calendar its commitments count on (7x24, 5x8, ...)."),
        click.option("--commit", "commitments", multiple=True, metavar="NAME=DURATION",
                     help="A commitment (repeatable): response=30m (its answer to our ticket), restore=8h."),
    )):
        fn = option(fn)
    return fn


def _details(name: str | None, contacts: tuple[str, ...], contract: str | None, service_from: str | None,
             service_until: str | None, coverage: str | None, commitments: tuple[str, ...],
             notes: str | None = None) -> Any:
    from casefile.customers.model import parse_contact
    from casefile.vendors.work import VendorDetails

    return VendorDetails(name, tuple(parse_contact(c) for c in contacts), contract, service_from, service_until,
                         coverage, commitments, notes or "")


def _done(done: Any, as_json: bool) -> None:
    from casefile.vendors.work import vendor_row

    emit(vendor_row(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


@vendor.command("add")
@click.argument("vendor_id", metavar="ID")
@click.option("--name", required=True, metavar="TEXT", help="The vendor's name.")
@_options
@message_option("Notes about the vendor (Markdown; '-' reads stdin).")
@json_option
@desk_options
def add(desk: Desk, vendor_id: str, name: str, contacts: tuple[str, ...], contract: str | None,
        service_from: str | None, service_until: str | None, coverage: str | None, commitments: tuple[str, ...],
        message: str | None, as_json: bool) -> None:
    """Add a vendor.

    \b
    Example:
        casefile vendor add huawei --name "Huawei Technologies" \\
            --contact "Huawei TAC;400-822-9999;tac@huawei.example;TAC" \\
            --contract HW-SVC-2026-88 --from 2026-01-01 --until 2026-12-31 --coverage 7x24 \\
            --commit response=30m --commit restore=8h
    """
    details = _details(name, contacts, contract, service_from, service_until, coverage, commitments,
                       read_message(message))
    _done(desk.vendors.add(vendor_id, details), as_json)


@vendor.command("edit")
@click.argument("vendor_id", metavar="ID")
@click.option("--name", metavar="TEXT", help="A new name.")
@_options
@json_option
@desk_options
def edit(desk: Desk, vendor_id: str, name: str | None, contacts: tuple[str, ...], contract: str | None,
         service_from: str | None, service_until: str | None, coverage: str | None, commitments: tuple[str, ...],
         as_json: bool) -> None:
    """Change a vendor: name, contacts, contract, coverage, commitments.

    \b
    Example:
        casefile vendor edit huawei --commit response=20m --until 2027-12-31
    """
    details = _details(name, contacts, contract, service_from, service_until, coverage, commitments)
    _done(desk.vendors.edit(vendor_id, details), as_json)


@vendor.command("show")
@click.argument("vendor_id", metavar="ID")
@json_option
@desk_options
def show(desk: Desk, vendor_id: str, as_json: bool) -> None:
    """Show a vendor with its contacts, commitments and the cases escalated to it.

    \b
    Example:
        casefile vendor show huawei
    """
    from casefile.vendors.views import render_vendor, vendor_json

    found = desk.vendors.show(vendor_id)
    emit(vendor_json(found), as_json, lambda: render_vendor(found, desk.policy.zone))


@vendor.command("list")
@json_option
@desk_options
def list_vendors(desk: Desk, as_json: bool) -> None:
    """List the vendors.

    \b
    Example:
        casefile vendor list --json
    """
    from casefile.vendors.views import render_vendor_list
    from casefile.vendors.work import vendor_rows

    rows = vendor_rows(desk.vendors.all())
    emit(rows, as_json, lambda: render_vendor_list(rows))
