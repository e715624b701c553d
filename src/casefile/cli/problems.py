"""`casefile problem ...`: problems (问题管理) — the causes behind recurring incidents."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option, message_option, read_message
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk

STATUSES = ("open", "known-error", "resolved", "closed")


@click.group(cls=Group)
def problem() -> None:
    """Problems (问题): the cause behind recurring incidents, its workaround and the known error's article.

    One file per problem, problems/YYYY/MM/PRB-KMT-00001.md, numbered like cases.
    `problem suggest` finds recurring incidents of a customer (same device or
    category, three in 30 days unless the policy's `problems.suggest` says otherwise).

    \b
    Example:
        casefile problem suggest
        casefile problem suggest --accept sz-metro:device:FOC2345X0AB:2026-10-03
        casefile problem note PRB-KMT-00001 --root-cause "MPU firmware leaks memory" \\
            --workaround "Reload the standby MPU" --article c9300-mpu-reload -m "TAC confirmed."
    """


def _done(done: Any, as_json: bool) -> None:
    from casefile.problems.views import problem_row

    emit(problem_row(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))


@problem.command("open")
@click.option("--title", required=True, metavar="TEXT", help="What the problem is.")
@click.option("--customer", metavar="ID", help="The customer it concerns.")
@click.option("--category", metavar="CATEGORY", help="The category of its incidents (network/switch, ...).")
@click.option("--asset", metavar="SERIAL", help="The customer's device it is about (a serial number of its assets).")
@click.option("--case", "cases", multiple=True, metavar="CASE", help="An incident it causes (repeatable).")
@message_option("What is known so far (Markdown; '-' reads stdin).")
@json_option
@desk_options
def open_problem(desk: Desk, title: str, customer: str | None, category: str | None, asset: str | None,
                 cases: tuple[str, ...], message: str | None, as_json: bool) -> None:
    """Open a problem, linking the incidents it causes (each case links back).

    \b
    Example:
        casefile problem open --title "Core switch SW-FT-01 drops its uplink" \\
            --customer sz-metro --asset FOC2345X0AB --case KMT-00001 --case KMT-00004
    """
    from casefile.problems.work import NewProblem

    new = NewProblem(title, customer, category, asset, cases, read_message(message) or "")
    _done(desk.problems.open(new), as_json)


@problem.command("link")
@click.argument("problem_id", metavar="PROBLEM")
@click.argument("cases", nargs=-1, required=True, metavar="CASE...")
@json_option
@desk_options
def link(desk: Desk, problem_id: str, cases: tuple[str, ...], as_json: bool) -> None:
    """Link more incidents to PROBLEM (each case links back, in the same commit).

    \b
    Example:
        casefile problem link PRB-KMT-00001 KMT-00009
    """
    _done(desk.problems.link(problem_id, cases), as_json)


@problem.command("note")
@click.argument("problem_id", metavar="PROBLEM")
@message_option("The note ('-' reads stdin).")
@click.option("--root-cause", metavar="TEXT", help="The root cause found.")
@click.option("--workaround", metavar="TEXT", help="How to get service back until the cause is removed.")
@click.option("--article", metavar="SLUG", help="The knowledge-base article that records the known error.")
@json_option
@desk_options
def note(desk: Desk, problem_id: str, message: str | None, root_cause: str | None, workaround: str | None,
         article: str | None, as_json: bool) -> None:
    """Add a note to PROBLEM; with a root cause and a workaround it becomes a known error (已知错误).

    \b
    Example:
        casefile problem note PRB-KMT-00001 --root-cause "MPU firmware 17.6 leaks memory" \\
            --workaround "Reload the standby MPU at night" --article c9300-mpu-reload -m "TAC confirmed."
    """
    _done(desk.problems.note(problem_id, read_message(message), root_cause, workaround, article), as_json)


@problem.command("resolve")
@click.argument("problem_id", metavar="PROBLEM")
@message_option("How the cause was removed.", required=True)
@json_option
@desk_options
def resolve(desk: Desk, problem_id: str, message: str, as_json: bool) -> None:
    """Resolve PROBLEM: the cause is removed.

    \b
    Example:
        casefile problem resolve PRB-KMT-00001 -m "Firmware 17.9.4 on both MPUs."
    """
    _done(desk.problems.resolve(problem_id, read_message(message)), as_json)


@problem.command("close")
@click.argument("problem_id", metavar="PROBLEM")
@message_option("Why it can be closed (the fix held, ...).")
@json_option
@desk_options
def close(desk: Desk, problem_id: str, message: str | None, as_json: bool) -> None:
    """Close a resolved PROBLEM.

    \b
    Example:
        casefile problem close PRB-KMT-00001 -m "No uplink drop for 30 days."
    """
    _done(desk.problems.close(problem_id, read_message(message)), as_json)


@problem.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only problems with this status (repeatable; default: open and known-error).")
@click.option("--all", "everything", is_flag=True, help="Every problem, whatever its status.")
@click.option("--customer", metavar="ID", help="Only this customer's problems.")
@json_option
@desk_options
def list_problems(desk: Desk, statuses: tuple[str, ...], everything: bool, customer: str | None,
                  as_json: bool) -> None:
    """List problems (open and known errors unless told otherwise).

    \b
    Example:
        casefile problem list --all --json
    """
    from casefile.problems.views import problem_row, render_problem_list

    wanted = None if everything else (statuses or ("open", "known-error"))
    rows = [problem_row(e) for e in desk.problems.all(wanted, customer)]
    emit(rows, as_json, lambda: render_problem_list(rows, desk.policy.zone))


@problem.command("show")
@click.argument("problem_id", metavar="PROBLEM")
@json_option
@desk_options
def show(desk: Desk, problem_id: str, as_json: bool) -> None:
    """Show PROBLEM: root cause, workaround, article, its incidents and activity.

    \b
    Example:
        casefile problem show PRB-KMT-00001
    """
    from casefile.problems.views import problem_json, render_problem

    found = desk.problems.show(problem_id)
    emit(problem_json(found), as_json, lambda: render_problem(found, desk.policy.zone))


@problem.command("suggest")
@click.option("--customer", metavar="ID", help="Only this customer's incidents.")
@click.option("--accept", metavar="KEY", help="Open the suggested problem KEY, linking all its incidents.")
@click.option("--title", metavar="TEXT", help="With --accept: the problem's title (default: what is shared).")
@json_option
@desk_options
def suggest(desk: Desk, customer: str | None, accept: str | None, title: str | None, as_json: bool) -> None:
    """Find recurring incidents: one customer, the same device or category, N within D days (policy).

    \b
    Example:
        casefile problem suggest
        casefile problem suggest --accept sz-metro:device:FOC2345X0AB:2026-10-03
    """
    if accept:
        _done(desk.problems.accept(accept, title), as_json)
        return
    if title:
        from casefile.errors import CasefileError

        raise CasefileError(_("--title goes with --accept"), _("casefile problem suggest --accept KEY --title TEXT"))
    from casefile.problems.views import render_suggestions, suggestion_json

    found = desk.problems.suggest(customer)
    rule = desk.policy.problems
    emit([suggestion_json(s) for s in found], as_json,
         lambda: render_suggestions(found, desk.policy.zone, rule.incidents, rule.within_days))
