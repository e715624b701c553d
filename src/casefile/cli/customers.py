"""`casefile customer ...`: add, edit, show, list customers (units)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
def customer() -> None:
    """Customers (units): contacts, contract, coverage, on-site staff, assets.

    One file per customer, customers/ID.md.  Cases (`open --customer ID`),
    inspections and surveys refer to it; `customer show` lists them.

    \b
    Example:
        casefile customer add acme-sz --name "ACME Shenzhen" \\
            --contact "Zhang Wei;0755-86001234;zhang.wei@acme.example"
        casefile customer show acme-sz
    """


def _done(done: Any, as_json: bool) -> None:
    from casefile.customers.views import customer_row

    emit(customer_row(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


def _day(text: str | None, what: str) -> Any:
    if text is None:
        return None
    from casefile.customers.model import parse_day

    return parse_day(text, what)


@customer.command("add")
@click.argument("customer_id", metavar="ID")
@click.option("--name", required=True, metavar="TEXT", help="The unit's name (业主单位).")
@click.option(
    "--contact",
    "contacts",
    multiple=True,
    metavar="NAME;PHONE;EMAIL;ROLE",
    help="A contact person (repeatable); phone, e-mail and role may be left out.",
)
@click.option("--contract", metavar="ID", help="The service contract ID.")
@click.option("--from", "service_from", metavar="DATE", help="First day of the service period.")
@click.option("--until", "service_until", metavar="DATE", help="Last day of the service period.")
@click.option(
    "--coverage", metavar="CALENDAR", help="The coverage bought: a calendar of the policy (7x24, 5x24, 5x8)."
)
@click.option("--service-level", metavar="TEXT", help="The service level bought, in words.")
@click.option(
    "--onsite-staff/--no-onsite-staff",
    default=False,
    help="Our staff work on site (they run the satisfaction surveys themselves).",
)
@click.option(
    "--asset",
    "assets",
    multiple=True,
    metavar="MODEL;SERIAL;LOCATION",
    help="A device (repeatable); location may be left out.",
)
@message_option("Notes about the customer (Markdown; '-' reads stdin).")
@json_option
@desk_options
def add(
    desk: Desk,
    customer_id: str,
    name: str,
    contacts: tuple[str, ...],
    contract: str | None,
    service_from: str | None,
    service_until: str | None,
    coverage: str | None,
    service_level: str | None,
    onsite_staff: bool,
    assets: tuple[str, ...],
    message: str | None,
    as_json: bool,
) -> None:
    """Add a customer.

    \b
    Example:
        casefile customer add acme-sz --name "ACME Shenzhen" \\
            --contact "Zhang Wei;0755-86001234;zhang.wei@acme.example;IT manager" \\
            --contract JQ-2026-017 --from 2026-01-01 --until 2026-12-31 --coverage 5x24 \\
            --asset "HP LaserJet M607;CNB1234567;3F print room"
    """
    from casefile.customers.model import parse_asset, parse_contact
    from casefile.customers.work import NewCustomer

    new = NewCustomer(
        id=customer_id,
        name=name,
        contacts=tuple(parse_contact(c) for c in contacts),
        contract=contract,
        service_from=_day(service_from, "--from"),
        service_until=_day(service_until, "--until"),
        coverage=coverage,
        service_level=service_level,
        onsite_staff=onsite_staff,
        assets=tuple(parse_asset(a) for a in assets),
        notes=read_message(message) or "",
    )
    _done(desk.customers.add(new), as_json)


@customer.command("edit")
@click.argument("customer_id", metavar="ID")
@click.option("--name", metavar="TEXT", help="A new name.")
@click.option(
    "--contact",
    "contacts",
    multiple=True,
    metavar="NAME;PHONE;EMAIL;ROLE",
    help="Add a contact, or replace the one of the same name (repeatable).",
)
@click.option("--remove-contact", "remove_contacts", multiple=True, metavar="NAME", help="Remove a contact.")
@click.option("--contract", metavar="ID", help="The service contract ID.")
@click.option("--from", "service_from", metavar="DATE", help="First day of the service period.")
@click.option("--until", "service_until", metavar="DATE", help="Last day of the service period.")
@click.option("--coverage", metavar="CALENDAR", help="The coverage bought (a calendar of the policy).")
@click.option("--service-level", metavar="TEXT", help="The service level bought, in words.")
@click.option("--onsite-staff/--no-onsite-staff", default=None, help="Whether our staff work on site.")
@click.option(
    "--asset",
    "assets",
    multiple=True,
    metavar="MODEL;SERIAL;LOCATION;STATUS",
    help="Add a device, or update the one with the same serial (repeatable).",
)
@click.option(
    "--asset-status",
    "asset_status",
    multiple=True,
    metavar="SERIAL=STATUS",
    help="Set a device's status: in-service, spare, faulty, replaced, retired.",
)
@click.option("--part-of", "part_of", multiple=True, metavar="SERIAL=PARENT",
              help="A device is part of another (a module of a chassis) (repeatable).")
@click.option("--depends-on", "depends_on", multiple=True, metavar="SERIAL=OTHER",
              help="A device depends on another (an access switch on its core switch) (repeatable).")
@click.option("--unrelate", multiple=True, metavar="SERIAL=OTHER", help="Remove a relation (repeatable).")
@click.option("--availability", type=float, metavar="PERCENT",
              help="The contract's availability target for the customer's systems, e.g. 99.9.")
@json_option
@desk_options
def edit(
    desk: Desk,
    customer_id: str,
    name: str | None,
    contacts: tuple[str, ...],
    remove_contacts: tuple[str, ...],
    contract: str | None,
    service_from: str | None,
    service_until: str | None,
    coverage: str | None,
    service_level: str | None,
    onsite_staff: bool | None,
    assets: tuple[str, ...],
    asset_status: tuple[str, ...],
    part_of: tuple[str, ...],
    depends_on: tuple[str, ...],
    unrelate: tuple[str, ...],
    availability: float | None,
    as_json: bool,
) -> None:
    """Change a customer: name, contacts, contract, coverage, assets and how they hang together.

    Equipment replaced during an inspection is better recorded with
    `casefile inspect record --replace`, which keeps both in one commit.

    \b
    Example:
        casefile customer edit acme-sz --contact "Li Lei;0755-86001288" --asset-status CNB1234567=faulty
        casefile customer edit sz-metro --depends-on FOC2345X0CD=FOC2345X0AB --availability 99.9
    """
    from casefile.customers.model import parse_asset, parse_asset_status, parse_contact
    from casefile.customers.work import CustomerChanges
    from casefile.errors import CasefileError

    statuses = {}
    for item in asset_status:
        serial, sep, status = item.partition("=")
        if not sep or not serial.strip():
            raise CasefileError(_("cannot read {item!r}").format(item=item), _("write it as SERIAL=STATUS, e.g. CNB1234567=faulty"))
        statuses[serial.strip()] = parse_asset_status(status.strip())
    relations = []
    for how, items in (("part_of", part_of), ("depends_on", depends_on), ("unrelate", unrelate)):
        for item in items:
            serial, sep, other = item.partition("=")
            if not sep or not serial.strip() or not other.strip():
                raise CasefileError(_("cannot read {item!r}").format(item=item), _("write it as SERIAL=OTHER, e.g. FOC2345X0CD=FOC2345X0AB"))
            relations.append((serial.strip(), how, other.strip()))
    changes = CustomerChanges(
        name=name,
        contract=contract,
        service_from=_day(service_from, "--from"),
        service_until=_day(service_until, "--until"),
        coverage=coverage,
        service_level=service_level,
        onsite_staff=onsite_staff,
        contacts=tuple(parse_contact(c) for c in contacts),
        remove_contacts=remove_contacts,
        assets=tuple(parse_asset(a) for a in assets),
        asset_status=statuses,
        relations=tuple(relations),
        availability=availability,
    )
    _done(desk.customers.edit(customer_id, changes), as_json)


@customer.command("show")
@click.argument("customer_id", metavar="ID")
@json_option
@desk_options
def show(desk: Desk, customer_id: str, as_json: bool) -> None:
    """Show a customer with its contacts, assets, cases, inspections and surveys.

    \b
    Example:
        casefile customer show acme-sz
        casefile customer show acme-sz --json
    """
    from casefile.customers.views import customer_json, render_customer

    found = desk.customers.show(customer_id)
    emit(customer_json(found), as_json, lambda: render_customer(found, desk.policy.zone))


@customer.command("list")
@json_option
@desk_options
def list_customers(desk: Desk, as_json: bool) -> None:
    """List the customers.

    \b
    Example:
        casefile customer list --json
    """
    from casefile.customers.views import customer_row, render_customer_list

    rows = [customer_row(e) for e in desk.customers.all()]
    emit(rows, as_json, lambda: render_customer_list(rows))
