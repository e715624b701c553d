"""`casefile policy adopt`: move cases to the current policy version, on purpose."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Group
from casefile.cli.options import desk_options, emit, json_option
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.group(cls=Group)
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


@policy.command()
@click.argument("proposal", type=click.Path(dir_okay=False, path_type=Path), metavar="NEW-POLICY.yaml")
@click.option("--month", metavar="YYYY-MM", help="The month to replay (default: last month).")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of the period (with --to).")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of the period, included.")
@click.option("--customer", metavar="ID", help="Replay only this customer's cases under the proposal "
              "(a proposed contract rule for one customer).")
@click.option("-f", "--format", "fmt", type=click.Choice(("md", "html", "json")),
              help="Output format (default: from -o's suffix, else md).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--lang", type=click.Choice(("zh", "en")), help="Language (default: desk.language in policy.yaml).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write to FILE instead of standard output (replaced only when it is complete).")
@desk_options
def simulate(desk: Desk, proposal: Path, month: str | None, start: str | None, end: str | None,
             customer: str | None, fmt: str | None, as_json: bool, lang: str | None, output: Path | None) -> None:
    """Replay the period's cases under NEW-POLICY.yaml and show the figures beside today's; writes nothing.

    Every case received in the period is evaluated from its recorded events
    twice, at --now: under the policy version it was opened under, and under
    the proposed file (its rules selected again).  Shown: compliance per level
    and target, breaches gained and lost with the cases, ladder steps, notices
    per person and per night, survey letters, engineer scores that change.

    \b
    Example:
        cp policy.yaml proposed.yaml   # then tighten a target in proposed.yaml
        casefile policy simulate proposed.yaml --from 2026-07-01 --to 2026-09-30
        casefile policy simulate proposed.yaml --month 2026-11 --customer acme-sz -o whatif.html
    """
    from casefile.cli.report import SUFFIXES, _write_whole
    from casefile.errors import CasefileError
    from casefile.reports.period import period_of
    from casefile.reports.render.simulation import FORMATS, render_simulation

    if as_json and fmt not in (None, "json"):
        raise CasefileError(_("--json and --format {fmt} disagree").format(fmt=fmt), _("give one of them"))
    chosen = "json" if as_json else fmt or (SUFFIXES.get(output.suffix.lower()) if output else None) or "md"
    if chosen not in FORMATS:
        raise CasefileError(_("a simulation is written as {names}, not {chosen}").format(names=', '.join(FORMATS), chosen=chosen), _("use -f md, html or json"))
    period = period_of(month, start, end, desk.policy.zone, desk.now().date())
    found = desk.simulate(proposal, period, customer)
    text = render_simulation(found, chosen, lang or desk.policy.language, desk.policy, desk.root)
    if output is None:
        from casefile.render.printable import printable

        sys.stdout.write(printable(text))
    else:
        _write_whole(output, text)
