"""`casefile policy adopt`: move cases to the current policy version, on purpose."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from casefile.cli.options import desk_options, emit, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group()
def policy() -> None:
    """The policy versions cases are evaluated under.

    Every case keeps the version of policy.yaml it was opened under, so a policy
    change never silently rewrites past deadlines; `policy adopt` moves cases to
    the current version when a desk really wants the new targets applied.

    \b
    Example:
        casefile policy adopt KMT-00417 --reason "Contract renewed with 4h restore"
    """


@policy.command()
@click.argument("cases", nargs=-1, metavar="CASE...")
@click.option("--all-open", is_flag=True, help="Every open and pending case not under the current version.")
@click.option("--reason", required=True, metavar="TEXT", help="Why the cases take the new targets (in each event).")
@json_option
@desk_options
def adopt(desk: Desk, cases: tuple[str, ...], all_open: bool, reason: str, as_json: bool) -> None:
    """Move CASE... (or --all-open) to the current committed policy version, one commit per case.

    The case's targets, ladders and calendars' hours then come from the current
    version, and all its deadlines — past ones too — are computed under it; the
    event records the old and the new version.  Official days are not policy:
    every case reads the newest anyway.  A closed case keeps its version.

    \b
    Examples:
        casefile policy adopt KMT-00417 KMT-00420 --reason "New contract from 2027-01-01"
        casefile policy adopt --all-open --reason "Level D reply target is 16h from now on"
    """
    from casefile.errors import CasefileError

    if not cases and not all_open:
        raise CasefileError(_("name the cases to move, or give --all-open"), _("casefile policy adopt KMT-00417 --reason ..."))
    found = desk.cases.adopt_policy(list(cases), all_open, reason)
    summary = {
        "policy": found.version,
        "adopted": [{"case": done.entry.data.get("id"), "commit": done.commit, "subject": done.subject}
                    for done in found.done],
        "skipped": list(found.skipped),
    }
    lines = [done.subject for done in found.done] + list(found.skipped)
    if not found.done:
        lines.append(_("no case to move: nothing committed (the current policy is {version})").format(
            version=found.version[:10]))
    emit(summary, as_json, lambda: "\n".join(lines))
