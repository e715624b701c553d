"""`casefile inspect ...`: plan, record, report, list, show, due, schedule, cancel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.i18n import _
from casefile.cli.options import desk_options, emit, emit_json, json_option, message_option, read_message, say

if TYPE_CHECKING:
    from casefile.desk import Desk

STATUSES = ("planned", "done", "cancelled")


@click.group("inspect", cls=Group)
def inspect() -> None:
    """Inspections (巡检): plans per customer, visits, running-status reports.

    Seed 001: a technical manager inspects every customer at least once a
    quarter and hands in a system running-status report.

    \b
    Example:
        casefile inspect plan acme-sz --cadence quarterly --inspector zhao.lei
        casefile inspect record acme-sz --date 2026-11-19 --all-ok --replace AS2011123456=AS2046789012
        casefile inspect report acme-sz-2026-Q4
    """


def _day(desk: Desk, text: str | None, what: str) -> Any:
    from casefile.customers.model import parse_day

    return parse_day(text, what) if text else desk.now().date()


def _done(done: Any, as_json: bool) -> None:
    from casefile.inspections.views import inspection_json

    emit(inspection_json(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


@inspect.command("plan")
@click.argument("customer")
@click.option(
    "--cadence",
    metavar="TEXT",
    help="quarterly (the policy's default), monthly, 'second Monday of each month', "
    "'last Friday of each quarter', 'day 10 of each month' ...",
)
@click.option("--since", metavar="DATE", help="The first day of the plan (default: today).")
@click.option(
    "--lead-days",
    type=click.IntRange(min=0),
    help="Report an inspection due this many days before its planned day.",
)
@click.option(
    "--grace-days",
    type=click.IntRange(min=0),
    help="Overdue this many days after the planned day (default: after the period ends).",
)
@click.option("--checklist", metavar="NAME", help="The checklist of the policy to use (default: default).")
@click.option("--inspector", metavar="HANDLE", help="Who usually inspects (a technical manager).")
@json_option
@desk_options
def plan(
    desk: Desk,
    customer: str,
    cadence: str | None,
    since: str | None,
    lead_days: int | None,
    grace_days: int | None,
    checklist: str | None,
    inspector: str | None,
    as_json: bool,
) -> None:
    """Set CUSTOMER's inspection plan; the planned inspections already due are created with it.

    \b
    Example:
        casefile inspect plan acme-sz --cadence quarterly --since 2026-10-01 --inspector zhao.lei
        casefile inspect plan sz-metro --cadence "second Monday of each month"
    """
    from casefile.customers.model import parse_day
    from casefile.inspections.work import PlanRequest

    request = PlanRequest(
        cadence=cadence,
        since=parse_day(since, "--since") if since else None,
        lead_days=lead_days,
        grace_days=grace_days,
        checklist=checklist,
        inspector=inspector,
    )
    done = desk.inspections.plan(customer, request)
    from casefile.customers.views import customer_row

    emit(customer_row(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


@inspect.command("record")
@click.argument("customer")
@click.option(
    "--date",
    "inspected_on",
    metavar="DATE",
    help="The day of the visit (default: today); never in the future.",
)
@click.option(
    "--inspector", metavar="HANDLE", help="Who inspected (default: the plan's inspector, else you)."
)
@click.option(
    "--period",
    metavar="PERIOD",
    help="The planned period this visit is for, e.g. 2026-Q4 (default: the visit's).",
)
@click.option("--work-order", metavar="ID", help="The on-site work order (派工单) number.")
@click.option(
    "--check",
    "checks",
    multiple=True,
    metavar="ITEM=RESULT[:NOTE]",
    help="A checklist result: ok, attention, fault, n/a (repeatable).",
)
@click.option("--all-ok", is_flag=True, help="Items not given with --check are ok (else: not-checked).")
@click.option("--findings", metavar="TEXT", help="What was found.")
@click.option("--suggestions", metavar="TEXT", help="What we suggest to the customer.")
@click.option("--training", metavar="TEXT", help="Training given on site.")
@click.option("--summary", metavar="TEXT", help="The overall running status of the system.")
@click.option(
    "--replace",
    "replacements",
    multiple=True,
    metavar="OLD=NEW[:MODEL]",
    help="A device replaced: old and new serial number, and the new model if it differs.",
)
@click.option(
    "--add-asset", "additions", multiple=True, metavar="MODEL;SERIAL;LOCATION", help="A device installed."
)
@click.option(
    "--retire", "retirements", multiple=True, metavar="SERIAL", help="A device taken out of service."
)
@message_option("Notes of the visit (Markdown; '-' reads stdin).")
@json_option
@desk_options
def record(
    desk: Desk,
    customer: str,
    inspected_on: str | None,
    inspector: str | None,
    period: str | None,
    work_order: str | None,
    checks: tuple[str, ...],
    all_ok: bool,
    findings: str | None,
    suggestions: str | None,
    training: str | None,
    summary: str | None,
    replacements: tuple[str, ...],
    additions: tuple[str, ...],
    retirements: tuple[str, ...],
    message: str | None,
    as_json: bool,
) -> None:
    """Record an inspection visit to CUSTOMER; replaced equipment updates its asset list in the same commit.

    \b
    Example:
        casefile inspect record acme-sz --date 2026-11-19 --inspector zhao.lei --work-order PG-20261119-01 \\
            --all-ok --check "backup=attention:last full backup 9 days ago" \\
            --findings "UPS battery worn out" --training "Restoring a file from backup" \\
            --replace AS2011123456=AS2046789012
    """
    from casefile.customers.assets import parse_addition, parse_replacement, retirement
    from casefile.inspections.checklists import parse_check
    from casefile.inspections.model import CheckResult
    from casefile.inspections.work import Visit

    work = desk.inspections
    visit = Visit(
        customer=customer,
        inspected_on=_day(desk, inspected_on, "--date"),
        inspector=inspector or work.default_inspector(customer),
        period=period,
        work_order=work_order,
        checks=tuple(parse_check(c) for c in checks),
        rest=CheckResult.OK if all_ok else CheckResult.NOT_CHECKED,
        findings=findings,
        suggestions=suggestions,
        training=training,
        summary=summary,
        changes=(
            *(parse_replacement(r) for r in replacements),
            *(parse_addition(a) for a in additions),
            *(retirement(s) for s in retirements),
        ),
        notes=read_message(message) or "",
    )
    _done(work.record(visit), as_json)


@inspect.command("report")
@click.argument("inspection")
@json_option
@desk_options
def report(desk: Desk, inspection: str, as_json: bool) -> None:
    """Print the system running-status report (系统运行状态报告) of an inspection.

    Rendered from the template inspection-report.md; put your own in the
    repository's templates/ folder to change it.  With --json, what the
    template is given: the inspection, the customer, the checklist rows and
    their results, the equipment and the cases of the visit's span.

    \b
    Examples:
        casefile inspect report acme-sz-2026-Q4 > acme-2026-Q4.md
        casefile inspect report acme-sz-2026-Q4 --json
    """
    context = desk.inspections.report_context(inspection)
    if as_json:
        emit_json({"report": "inspection", **context})
        return
    from casefile.inspections.report import render_report

    say(render_report(desk.root, context), nl=False)


@inspect.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's inspections.")
@click.option(
    "-s",
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(STATUSES),
    help="Only this status (repeatable).",
)
@json_option
@desk_options
def list_inspections(desk: Desk, customer: str | None, statuses: tuple[str, ...], as_json: bool) -> None:
    """List inspections, by date.

    \b
    Example:
        casefile inspect list --customer acme-sz --status planned
    """
    from casefile.inspections.views import inspection_row, render_inspection_list

    rows = [inspection_row(e) for e in desk.inspections.listing(customer, frozenset(statuses))]
    emit(rows, as_json, lambda: render_inspection_list(rows))


@inspect.command("show")
@click.argument("inspection")
@json_option
@desk_options
def show(desk: Desk, inspection: str, as_json: bool) -> None:
    """Show an inspection: plan, visit, checklist, findings, equipment changes.

    \b
    Example:
        casefile inspect show acme-sz-2026-Q4
    """
    from casefile.inspections.views import inspection_json, render_inspection

    entry = desk.inspections.entry(inspection)
    checklist = desk.policy.inspections.checklists.get(
        str(entry.data.get("checklist_name") or "default")
    )
    emit(inspection_json(entry), as_json, lambda: render_inspection(entry, checklist, desk.policy.zone))


@inspect.command("due")
@json_option
@desk_options
def due(desk: Desk, as_json: bool) -> None:
    """List the inspections due or overdue today, overdue first (what `check` reports).

    \b
    Example:
        casefile inspect due --now 2027-01-02T09:00
    """
    from casefile.inspections.views import render_due

    found = desk.inspections.due()
    emit([d.as_json() for d in found], as_json, lambda: render_due(found))


@inspect.command("schedule")
@json_option
@desk_options
def schedule(desk: Desk, as_json: bool) -> None:
    """Create the planned inspections that are due and missing (one commit; nothing if none).

    Safe to run any number of times and on every clone: a planned inspection's
    file depends only on the plan and the period, so copies merge as one.

    \b
    Example:
        casefile inspect schedule
    """

    done = desk.inspections.schedule()
    created = [n.removeprefix("planned inspection ") for n in done.notes] if done else []
    emit(
        {"created": created, "commit": done.commit if done else None},
        as_json,
        lambda: "\n".join(done.notes) if done else _("every planned inspection that is due exists already"),
    )


@inspect.command("cancel")
@click.argument("inspection")
@click.option("--reason", required=True, metavar="TEXT", help="Why it will not take place.")
@json_option
@desk_options
def cancel(desk: Desk, inspection: str, reason: str, as_json: bool) -> None:
    """Cancel a planned inspection (the customer called it off); it is no longer due.

    \b
    Example:
        casefile inspect cancel sz-metro-2026-12 --reason "Station closed for works all December"
    """

    _done(desk.inspections.cancel(inspection, reason), as_json)
