"""`casefile rfc ...`: changes (变更管理) — requests for change, the expert review, start and completion.

`casefile change` keeps its meaning (changing a case's fields); planned work is `rfc`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, instant, json_option, message_option, read_message
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk

STATUSES = ("planned", "approved", "rejected", "in-progress", "completed")


@click.group(cls=Group)
def rfc() -> None:
    """Changes (变更, requests for change): plan, backout, window; the expert review before they start.

    One file per change, changes/YYYY/MM/CHG-KMT-00001.md, numbered like cases.
    A change whose risk the policy's `changes.review.risks` names needs
    `approvals` (2) approvals from holders of `expert-group` before it can start.

    \b
    Example:
        casefile rfc open --title "Upgrade the MPU firmware of SW-FT-01" --risk high \\
            --plan "Standby MPU first, then switch over" --backout "Boot the previous image" \\
            --start 2026-11-28T01:00 --end 2026-11-28T04:00 --customer sz-metro --asset FOC2345X0AB
        casefile rfc review CHG-KMT-00001 --approve -m "Backout tested in the lab."
    """


def _done(done: Any, as_json: bool) -> None:
    from casefile.changes.work import change_row

    emit(change_row(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


@rfc.command("open")
@click.option("--title", required=True, metavar="TEXT", help="What is to be done.")
@click.option("--risk", required=True, metavar="RISK", help="Its risk level (the policy's changes.risks).")
@click.option("--plan", required=True, metavar="TEXT", help="The implementation plan.")
@click.option("--backout", required=True, metavar="TEXT", help="How to go back if it fails.")
@click.option("--start", required=True, metavar="ISO-8601", help="The window's start.")
@click.option("--end", required=True, metavar="ISO-8601", help="The window's end.")
@click.option("--why", metavar="TEXT", help="Why it is needed.")
@click.option("--customer", "customers", multiple=True, metavar="ID", help="An affected customer (repeatable).")
@click.option("--asset", "assets", multiple=True, metavar="SERIAL", help="An affected device (repeatable).")
@click.option("--problem", "problems", multiple=True, metavar="PROBLEM", help="A problem it fixes (repeatable).")
@click.option("--case", "incidents", multiple=True, metavar="CASE", help="An incident it follows (repeatable).")
@json_option
@desk_options
def open_change(desk: Desk, title: str, risk: str, plan: str, backout: str, start: str, end: str, why: str | None,
                customers: tuple[str, ...], assets: tuple[str, ...], problems: tuple[str, ...],
                incidents: tuple[str, ...], as_json: bool) -> None:
    """Request a change; a risk the policy names for review waits for the expert review.

    \b
    Example:
        casefile rfc open --title "Upgrade the MPU firmware of SW-FT-01" --risk high \\
            --plan "Standby MPU first, then switch over" --backout "Boot the previous image" \\
            --start 2026-11-28T01:00 --end 2026-11-28T04:00 --customer sz-metro --problem PRB-KMT-00001
    """
    from casefile.changes.work import NewChange

    new = NewChange(title, risk, plan, backout, instant(desk, start, "--start"), instant(desk, end, "--end"), why,
                    customers, assets, problems, incidents)
    _done(desk.changes.request(new), as_json)


@rfc.command("review")
@click.argument("change_id", metavar="CHANGE")
@click.option("--approve", "verdict", flag_value="approve", help="Approve it.")
@click.option("--reject", "verdict", flag_value="reject", help="Reject it (say why with -m).")
@message_option("The reviewer's opinion.")
@json_option
@desk_options
def review(desk: Desk, change_id: str, verdict: str | None, message: str | None, as_json: bool) -> None:
    """Approve or reject CHANGE as a reviewer (a holder of the policy's review role).

    \b
    Example:
        casefile rfc review CHG-KMT-00001 --approve -m "Backout tested in the lab." --as zhou.min
    """
    from casefile.changes.model import Verdict
    from casefile.errors import CasefileError

    if verdict is None:
        raise CasefileError(_("give the verdict"), _("--approve or --reject -m WHY"))
    _done(desk.changes.review(change_id, Verdict(verdict), read_message(message)), as_json)


@rfc.command("start")
@click.argument("change_id", metavar="CHANGE")
@message_option("A note on the start.")
@json_option
@desk_options
def start(desk: Desk, change_id: str, message: str | None, as_json: bool) -> None:
    """Start an approved CHANGE (refused until the expert review approved it).

    \b
    Example:
        casefile rfc start CHG-KMT-00001
    """
    _done(desk.changes.start(change_id, read_message(message)), as_json)


@rfc.command("complete")
@click.argument("change_id", metavar="CHANGE")
@click.option("--result", required=True, type=click.Choice(("successful", "failed", "backed-out")),
              help="How it went.")
@message_option("The implementation report (Markdown; '-' reads stdin).", required=True)
@json_option
@desk_options
def complete(desk: Desk, change_id: str, result: str, message: str, as_json: bool) -> None:
    """Complete a started CHANGE with its result and implementation report.

    \b
    Example:
        casefile rfc complete CHG-KMT-00001 --result successful -m "Both MPUs on 17.9.4; switchover took 40 s."
    """
    from casefile.changes.model import Result

    _done(desk.changes.complete(change_id, Result(result), read_message(message)), as_json)


@rfc.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES), help="Only this status (repeatable).")
@click.option("--all", "everything", is_flag=True, help="Every change (default: not completed or rejected).")
@json_option
@desk_options
def list_changes(desk: Desk, statuses: tuple[str, ...], everything: bool, as_json: bool) -> None:
    """List changes by window (planned, approved and in progress unless told otherwise).

    \b
    Example:
        casefile rfc list --json
    """
    from casefile.changes.views import render_change_list
    from casefile.changes.work import change_rows

    wanted = None if everything else (statuses or ("planned", "approved", "in-progress"))
    rows = change_rows(desk.changes.all(wanted))
    emit(rows, as_json, lambda: render_change_list(rows, desk.policy.zone))


@rfc.command("show")
@click.argument("change_id", metavar="CHANGE")
@json_option
@desk_options
def show(desk: Desk, change_id: str, as_json: bool) -> None:
    """Show CHANGE: plan, backout, window, what it affects, the reviews, the result and report.

    \b
    Example:
        casefile rfc show CHG-KMT-00001
    """
    from casefile.changes.views import change_json, render_change

    entry = desk.changes.entry(change_id)
    emit(change_json(entry), as_json, lambda: render_change(entry, desk.policy.zone))


@rfc.command("notice")
@click.argument("change_id", metavar="CHANGE")
@click.option("--customer", "customer", required=True, metavar="ID", help="The affected customer.")
@click.option("--lang", type=click.Choice(("zh", "en")), help="Its language (default: the contact's, else the desk's).")
@json_option
@desk_options
def notice(desk: Desk, change_id: str, customer: str, lang: str | None, as_json: bool) -> None:
    """Print the notice of CHANGE to an affected customer: the letter for a customer without e-mail.

    `check` tells each affected customer `changes.notice_days` before the window:
    by mail when a contact has an address, else it says to print this letter.
    It shows the customer only the change's number, title, window and their devices.

    \b
    Example:
        casefile rfc notice CHG-KMT-00001 --customer sz-metro > notice.txt
    """
    from casefile.changes.views import notice_json, render_notice_letter

    letter = desk.changes.notice(change_id, customer, lang)
    emit(notice_json(letter), as_json, lambda: render_notice_letter(letter))
