"""Commands about service levels: explain, escalate, check."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options, emit, emit_json, json_option, say, say_lines

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@click.argument("case")
@json_option
@desk_options
def explain(desk: Desk, case: str, as_json: bool) -> None:
    """Explain how every deadline of CASE was computed, in words you can read out.

    For each clock: the target and its calendar, every stretch counted or
    skipped (nights, weekends, lunch breaks, holidays by name, make-up
    working days, each pause with its reason), the deadline, whether it was
    met, every cycle of a restarting clock, and when each warning, breach
    and ladder step fell due, paged and was recorded.  It names the policy
    rule that chose the targets, the coverage and why, and level changes.

    \b
    Example:
        casefile explain KMT-00417
        casefile explain KMT-00417 --json
    """
    from casefile.sla.views import explanation_json, render_explanation

    title, found, events = desk.cases.explain(case)
    zone = desk.policy.zone
    emit(explanation_json(found, zone), as_json, lambda: render_explanation(found, title, zone, events))


@click.command(cls=Command)
@click.argument("case")
@click.option("--to", "to", metavar="TIER|HANDLE|ROLE",
              help="L2, L3 or vendor; a person (li.na); or a role (technical-support-supervisor). "
                   "Default: the next tier.")
@click.option("--reason", required=True, metavar="TEXT", help="Why it is escalated.")
@click.option("--owner", metavar="HANDLE", help="A new owner with the move (default: the owner stays).")
@click.option("--vendor", metavar="ID", help="The vendor it goes to (vendors/ID.md): its commitments become clocks.")
@click.option("--ticket", metavar="REF", help="The vendor's ticket number.")
@json_option
@desk_options
def escalate(desk: Desk, case: str, to: str | None, reason: str, owner: str | None, vendor: str | None,
             ticket: str | None, as_json: bool) -> None:
    """Escalate CASE: to the next tier (desk → engineer → expert group → vendor), or to a person or role.

    A move to another tier keeps the case's owner (unless --owner names a
    new one) and tells the owner and the group by mail.  To the vendor,
    --vendor names it and --ticket records its ticket; its contacts with an
    e-mail address get a support request (the case as the customer sees it,
    the reason, the ticket, the owner) and its commitments (response,
    restore) run as clocks.  The mail goes at once when this clone has SMTP
    settings, else with the next `casefile check --notify`.

    \b
    Examples:
        casefile escalate KMT-00417 --reason "Needs a database expert"
        casefile escalate KMT-00417 --to L3 --owner zhou.min --reason "Zhou Min takes it over"
        casefile escalate KMT-00417 --to vendor --vendor huawei --ticket HW-1 --reason "Line card fault"
        casefile escalate KMT-00417 --to technical-support-supervisor --reason "Customer's CIO called"
    """
    from casefile.cases.views import case_json

    from casefile.cli.mailing import deliver

    done = desk.cases.escalate(case, to, reason, owner, vendor, ticket)
    emit(case_json(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))
    deliver(desk, done)


@click.command(cls=Command)
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; change and send nothing.")
@click.option("--notify", is_flag=True,
              help="E-mail the role holders (SMTP from CASEFILE_SMTP_* or git config casefile.smtp.*) and page "
                   "the holders on duty by rota.yaml (channels from CASEFILE_CHANNEL_* or casefile.channel.*).")
@click.option("--fail-on-breach", is_flag=True, help="Exit 6 if any open case has a breached commitment.")
@json_option
@desk_options
def check(desk: Desk, dry_run: bool, notify: bool, fail_on_breach: bool, as_json: bool) -> None:
    """Record every newly reached warning, breach and escalation step once (run it from cron).

    Evaluates every open case at now; records what is new in each case and
    makes one commit for the run; prints a report grouped by recipient, or
    nothing when there is nothing new.  Safe to run as often as you like:
    nothing fires twice, and missed runs are caught up in order.

    \b
    Exit status: 0 ok; 1 bad input (nothing written); 4 another run holds
    the repository; 5 a record could not be read (reported, all others
    checked); 7 mail or a page not delivered (kept in the outbox, retried
    next run; a page refused for good is reported once);
    6 breaches, with --fail-on-breach.

    \b
    Examples:
        */5 * * * *  cd /srv/desk && /opt/casefile/bin/casefile check --notify
        casefile check --dry-run
        casefile check --json --fail-on-breach
    """
    from casefile.check.views import check_json, check_lines, render_broken

    send = desk.smtp_from(os.environ) if notify and not dry_run else None
    page = desk.pager_from(os.environ, send) if notify and not dry_run else None
    result = desk.check().run(dry_run=dry_run, send=send, page=page)
    for line in render_broken(result):
        say(f"casefile: {line}", err=True)
    zone = desk.policy.zone
    if as_json:
        emit_json(check_json(result, zone))
    else:
        say_lines(check_lines(result, desk.people, zone))
    code = result.exit_code(fail_on_breach)
    if code:
        raise click.exceptions.Exit(int(code))
