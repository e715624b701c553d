"""`casefile workorder`: on-site visits as work orders (派工单) — record, sign, print, list."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, instant, json_option, message_option, read_message, say

if TYPE_CHECKING:
    from casefile.desk import Desk

SUBCOMMANDS = ("record", "sign", "print", "list")


class _RecordByDefault(Group):
    """`casefile workorder KMT-00417 ...` is `casefile workorder record KMT-00417 ...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in SUBCOMMANDS and not args[0].startswith("-"):
            args = ["record", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_RecordByDefault)
def workorder() -> None:
    """On-site visits as work orders (派工单 / 现场工作清单, seed 004).

    `casefile workorder CASE ...` records a visit (the same as `workorder record`): the engineer,
    when they were dispatched, arrived and left, the work done, parts used and devices swapped,
    time spent, and the customer's sign-off, in one commit of the case.  Arrival is the case's
    on-site time (the `onsite` clock); dispatch is the SLA's `dispatched` (it stops the `depart`
    clock); leaving the site ends the visit and stops no clock.

    \b
    Examples:
        casefile workorder KMT-00417 --engineer li.na --dispatched-at 10:05 --arrived-at 10:40 \\
            --departed-at 12:10 -m "Replaced the fuser unit" --part "Fuser unit RM2-5425" --spent 2h
        casefile workorder sign KMT-00417 --by "Zhang Wei" --at 12:05
        casefile workorder print KMT-00417 --format html -o KMT-00417-W1.html
        casefile workorder list --unsigned
    """


def _today(desk: Desk, text: str | None) -> str | None:
    from casefile.cli.cases import _today as today

    return today(desk, text)


@workorder.command("record")
@click.argument("case")
@click.option("--engineer", required=True, metavar="HANDLE", help="Who went on site.")
@click.option("--dispatched-at", required=True, metavar="ISO-8601", help="When they set off for the site (10:05 = today).")
@click.option("--arrived-at", required=True, metavar="ISO-8601", help="When they arrived on site.")
@click.option("--departed-at", metavar="ISO-8601", help="When they left the site.")
@message_option("The work done on site ('-' reads stdin).", required=True)
@click.option("--part", "parts", multiple=True, metavar="TEXT", help="A part used (repeatable), e.g. 'Fuser unit RM2-5425 x1'.")
@click.option("--replace", "replacements", multiple=True, metavar="OLD=NEW[:MODEL]",
              help="A device swapped (old and new serial); updates the customer's assets (repeatable).")
@click.option("--spent", metavar="DURATION", help="Time the engineer spent on it, e.g. 2h or 1h30m.")
@click.option("--signed-by", metavar="NAME", help="The customer's contact who signed the sheet.")
@click.option("--signed-at", metavar="ISO-8601", help="When they signed (default: the departure, else now).")
@json_option
@desk_options
def record(desk: Desk, case: str, engineer: str, dispatched_at: str, arrived_at: str, departed_at: str | None,
           message: str, parts: tuple[str, ...], replacements: tuple[str, ...], spent: str | None,
           signed_by: str | None, signed_at: str | None, as_json: bool) -> None:
    """Record an on-site visit to CASE as a work order (one commit).

    \b
    Example:
        casefile workorder record KMT-00417 --engineer li.na --dispatched-at 10:05 \\
            --arrived-at 10:40 --departed-at 12:10 -m "Replaced the fuser unit; 20 test pages" \\
            --part "Fuser unit RM2-5425" --spent 2h --signed-by "Zhang Wei"
    """
    from casefile.cases.workorder_work import VisitTimes
    from casefile.customers.assets import parse_replacement
    from casefile.worktime.duration import parse_spent

    took = parse_spent(spent) if spent is not None else None
    times = VisitTimes(instant(desk, _today(desk, dispatched_at), "--dispatched-at"),
                       instant(desk, _today(desk, arrived_at), "--arrived-at"),
                       instant(desk, _today(desk, departed_at), "--departed-at"),
                       instant(desk, _today(desk, signed_at), "--signed-at"))
    done = desk.workorders.record(case, engineer, read_message(message) or "", times, parts,
                                  tuple(parse_replacement(r) for r in replacements), took, signed_by)
    emit(done.order.as_json(), as_json, lambda: "\n".join([done.done.subject, *done.done.notes]))


@workorder.command("sign")
@click.argument("case")
@click.argument("number", required=False)
@click.option("--by", "name", required=True, metavar="NAME", help="Who at the customer signed.")
@click.option("--at", "signed_at", metavar="ISO-8601", help="When they signed (default: now).")
@json_option
@desk_options
def sign_order(desk: Desk, case: str, number: str | None, name: str, signed_at: str | None, as_json: bool) -> None:
    """Record the customer's sign-off of a work order of CASE (NUMBER, e.g. W1; default: its only unsigned one).

    \b
    Example:
        casefile workorder sign KMT-00417 W1 --by "Zhang Wei" --at 12:05
    """
    done = desk.workorders.sign(case, number, name, instant(desk, _today(desk, signed_at), "--at"))
    emit(done.order.as_json(), as_json, lambda: "\n".join([done.done.subject, *done.done.notes]))


@workorder.command("print")
@click.argument("case")
@click.argument("number", required=False)
@click.option("--format", "fmt", type=click.Choice(("md", "html")), default="md", show_default=True)
@click.option("--lang", type=click.Choice(("both", "zh", "en")), default="both", show_default=True,
              help="both: a bilingual sheet (every label in Chinese and English).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to FILE instead of standard output.")
@desk_options
def print_order(desk: Desk, case: str, number: str | None, fmt: str, lang: str, output: Path | None) -> None:
    """Print a work order of CASE for the customer to sign (NUMBER; default: the only unsigned one, else the last).

    Rendered from the template workorder.md or workorder.html; put your own in the case repository's
    templates/ folder to change the sheet.

    \b
    Examples:
        casefile workorder print KMT-00417
        casefile workorder print KMT-00417 W1 --format html --lang zh -o KMT-00417-W1.html
    """
    from casefile.cases.printing import context, render_order

    sheet = desk.workorders.sheet(case, number)
    text = render_order(desk.root, desk.policy.zone,
                        context(sheet.case, sheet.order, sheet.customer, sheet.engineer_name, lang), fmt)
    if output is None:
        say(text, nl=False)
        return
    from casefile.render.output import write_atomic

    write_atomic(output, text.encode("utf-8"))
    say(f"wrote {output}")


@workorder.command("list")
@click.argument("case", required=False)
@click.option("--unsigned", is_flag=True, help="Only visits without a signed work order (all cases).")
@click.option("--engineer", metavar="HANDLE", help="Only this engineer's visits (with --unsigned).")
@click.option("--customer", metavar="ID", help="Only this customer's visits (with --unsigned).")
@click.option("--since", metavar="DATE", help="Only visits that arrived on site on DATE or later (with --unsigned).")
@json_option
@desk_options
def list_orders(desk: Desk, case: str | None, unsigned: bool, engineer: str | None, customer: str | None,
                since: str | None, as_json: bool) -> None:
    """List the work orders of CASE, or (--unsigned) every visit still without a signed work order.

    A visit lacks a signed order when its work order is not signed yet, or when an on-site note
    (note -k onsite) has no work order recorded after it.

    \b
    Examples:
        casefile workorder list KMT-00417
        casefile workorder list --unsigned --engineer li.na --since 2026-11-01
    """
    from casefile.render.cells import minute

    zone = desk.policy.zone
    if unsigned or case is None:
        start = instant(desk, f"{since}T00:00" if since and len(since) == 10 else since, "--since")
        rows = list(desk.workorders.unsigned(engineer, customer, start))
        if case is not None:
            rows = [r for r in rows if r.case == case.upper()]

        def text() -> str:
            if not rows:
                return "every visit has a signed work order"
            return "\n".join(f"{r.case}  {minute(r.arrived_at, zone) if r.arrived_at else '—':<16}  {r.engineer:<10}  "
                             f"{r.number or '—':<14}  {r.reason}  {r.title}" for r in rows)

        emit([r.as_json() for r in rows], as_json, text)
        return
    orders = desk.workorders.orders(case)

    def listing() -> str:
        if not orders:
            return f"{case} has no work orders"
        return "\n".join(f"{o.number:<14}  {o.engineer:<10}  {minute(o.arrived_at, zone) if o.arrived_at else '—':<16}  "
                         f"{('signed by ' + str(o.signed_by)) if o.signed else 'not signed'}" for o in orders)

    emit([o.as_json() for o in orders], as_json, listing)
