"""Commands that work a case: open, assign, respond, note, pend, resume, resolve, close, reopen, change."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from casefile.cases.vocabulary import CaseType, Channel, NoteKind, Tier, WaitingOn
from casefile.cli.options import desk_options, emit, instant, json_option, message_option, read_message

if TYPE_CHECKING:
    from casefile.desk import Desk, Done

TYPES = tuple(str(value) for value in CaseType)
CHANNELS = tuple(str(value) for value in Channel)
TIERS = tuple(str(value) for value in Tier)
NOTE_KINDS = tuple(str(value) for value in NoteKind)


def _done(done: Done, as_json: bool, line: str | None = None) -> None:
    """Print the commit subject (or `line`) and any notes (a survey issued ...), or the whole case with --json."""
    from casefile.cases.views import case_json

    emit(case_json(done.entry), as_json, lambda: "\n".join([line if line is not None else done.subject, *done.notes]))


def _deliver(desk: Desk, done: Done) -> None:
    """Customer mail the command queued goes out now when this clone has an SMTP server."""
    from casefile.cli.mailing import deliver

    deliver(desk, done)


def _description(message: str | None) -> str:
    """-m TEXT, `-m -` or piped stdin, else $EDITOR on a terminal."""
    if message is not None:
        return read_message(message) or ""
    if not sys.stdin.isatty():
        return sys.stdin.read()
    edited = click.edit("\n# Describe the problem. Lines starting with # are ignored.\n")
    if not edited:
        return ""
    return "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip()


@click.command("open")
@click.argument("title")
@click.option("-l", "--level", required=True, metavar="LEVEL", help="Fault level from the policy: A, B, C or D.")
@click.option("-t", "--type", "case_type", default="incident", show_default=True, metavar="TYPE",
              help=f"One of: {', '.join(TYPES)}.")
@click.option("-c", "--channel", default="phone", show_default=True, metavar="CHANNEL",
              help=f"How it was reported: {', '.join(CHANNELS)}.")
@click.option("--category", metavar="TEXT", help="Classification, e.g. hardware/printer.")
@click.option("--customer", metavar="ID", help="The customer (unit) the case belongs to.")
@click.option("--caller-name", metavar="NAME", help="Who called.")
@click.option("--caller-company", metavar="TEXT", help="The caller's company.")
@click.option("--caller-phone", metavar="PHONE", help="The caller's phone (kept as text: 0755-86001234).")
@click.option("--caller-email", metavar="EMAIL", help="The caller's e-mail.")
@click.option("--caller-address", metavar="TEXT", help="Where the caller is.")
@click.option("--contract", metavar="ID", help="The service contract ID.")
@click.option("--verified", is_flag=True, help="The caller's identity was verified at intake (seed 002).")
@click.option("--assign", "assignee", metavar="HANDLE", help="Assign it right away to this engineer.")
@click.option("--tier", type=click.Choice(TIERS), help="The tier of that assignment (default: the engineer's).")
@click.option("--concerns", metavar="CASE", multiple=True,
              help="For a complaint: a case it is about (repeatable); that case links the complaint.")
@message_option("Description (Markdown); '-' reads stdin. Default: stdin if piped, else $EDITOR.")
@json_option
@desk_options
def open_case(desk: Desk, title: str, level: str, case_type: str, channel: str, category: str | None,
              customer: str | None, caller_name: str | None, caller_company: str | None,
              caller_phone: str | None, caller_email: str | None, caller_address: str | None,
              contract: str | None, verified: bool, assignee: str | None, tier: str | None,
              concerns: tuple[str, ...], message: str | None, as_json: bool) -> None:
    """Open a case and print its number.

    \b
    Examples:
        casefile open "Printer offline on 3F" --level C --customer acme-sz \\
            --caller-name "Zhang Wei" --caller-phone 0755-86001234 \\
            --category hardware/printer -m "Shows E-04 since 08:30."
        casefile open "Engineer arrived two hours late" --type complaint --level B \\
            --customer acme-sz --concerns KMT-00417 -m "Called in by Mr Zhang."
    """
    from casefile.cases.links import LinkRel
    from casefile.cases.work import NewCase
    from casefile.errors import CasefileError

    if case_type not in TYPES:
        raise CasefileError(f"type {case_type!r} is not one of: {', '.join(TYPES)}")
    if channel not in CHANNELS:
        raise CasefileError(f"channel {channel!r} is not one of: {', '.join(CHANNELS)}")
    caller = {
        "name": caller_name, "company": caller_company, "phone": caller_phone, "email": caller_email,
        "address": caller_address, "contract": contract, "verified": True if verified else None,
    }
    new = NewCase(
        title=title, level=level.upper(), type=CaseType(case_type), channel=Channel(channel),
        category=category, customer=customer, caller=caller, description=_description(message),
        assignee=assignee, tier=Tier(tier) if tier else None,
        links=tuple((str(LinkRel.CONCERNS), case) for case in concerns),
    )
    done = desk.cases.open(new)
    from casefile.cases.views import case_json

    emit(case_json(done.entry), as_json, lambda: str(done.entry.data["id"]))  # the number alone: scripts read it
    for note in done.notes:
        click.echo(f"casefile: {note}", err=True)
    _deliver(desk, done)


@click.command()
@click.argument("case")
@click.argument("engineer")
@click.option("--tier", type=click.Choice(TIERS), help="Move the case to this tier (functional escalation).")
@json_option
@desk_options
def assign(desk: Desk, case: str, engineer: str, tier: str | None, as_json: bool) -> None:
    """Assign CASE to ENGINEER (a handle in people.yaml).

    \b
    Example:
        casefile assign KMT-00417 li.na --tier L2
    """

    done = desk.cases.assign(case, engineer, Tier(tier) if tier else None)
    _done(done, as_json)


@click.command()
@click.argument("case")
@message_option("What was said to the customer ('-' reads stdin).", required=True)
@json_option
@desk_options
def respond(desk: Desk, case: str, message: str, as_json: bool) -> None:
    """Record the first response to the customer.

    \b
    Example:
        casefile respond KMT-00417 -m "Called Zhang Wei back; remote check at 10:00."
    """
    done = desk.cases.respond(case, read_message(message))
    _done(done, as_json)


@click.command()
@click.argument("case")
@message_option("The note ('-' reads stdin).", required=True)
@click.option("-k", "--kind", default="note", show_default=True, type=click.Choice(NOTE_KINDS),
              help="What kind of activity this was.")
@click.option("--authorised-by", metavar="NAME", help="Remote sessions: who at the customer authorised it.")
@click.option("--dispatched-at", metavar="ISO-8601", help="On-site visits: when the engineer set off (default: now).")
@click.option("--arrived-at", metavar="ISO-8601", help="On-site visits: when the engineer arrived.")
@json_option
@desk_options
def note(desk: Desk, case: str, message: str, kind: str, authorised_by: str | None,
         dispatched_at: str | None, arrived_at: str | None, as_json: bool) -> None:
    """Add an activity to CASE: a call, reply, remote session, visit, vendor request, progress or incident report.

    \b
    Examples:
        casefile note KMT-00417 -k call -m "Customer reports the tray jams too."
        casefile note KMT-00417 -k remote --authorised-by "Zhang Wei" -m "Cleared the queue."
        casefile note KMT-00417 -k onsite --dispatched-at 10:05 --arrived-at 10:40 -m "On site."
    """

    done = desk.cases.note(
        case, read_message(message), NoteKind(kind), authorised_by,
        instant(desk, _today(desk, dispatched_at), "--dispatched-at"),
        instant(desk, _today(desk, arrived_at), "--arrived-at"),
    )
    _done(done, as_json)


def _today(desk: Desk, text: str | None) -> str | None:
    """`10:40` means today at 10:40 in the desk's zone."""
    if text and len(text) <= 5 and ":" in text:
        return f"{desk.now():%Y-%m-%d}T{text.zfill(5)}"
    return text


@click.command()
@click.argument("case")
@click.option("--reason", required=True, metavar="TEXT", help="What the case is waiting for.")
@click.option("--on", "waiting_on", default="customer", show_default=True,
              type=click.Choice(tuple(str(w) for w in WaitingOn)), help="Who the case is waiting for.")
@json_option
@desk_options
def pend(desk: Desk, case: str, reason: str, waiting_on: str, as_json: bool) -> None:
    """Put CASE on hold while waiting for the customer or a vendor (clocks pause).

    \b
    Example:
        casefile pend KMT-00417 --reason "Waiting for the admin password" --on customer
    """

    done = desk.cases.pend(case, reason, WaitingOn(waiting_on))
    _done(done, as_json)


@click.command()
@click.argument("case")
@message_option("What came back ('-' reads stdin).")
@json_option
@desk_options
def resume(desk: Desk, case: str, message: str | None, as_json: bool) -> None:
    """Resume work on a pending CASE (clocks run again).

    \b
    Example:
        casefile resume KMT-00417 -m "Got the password."
    """
    done = desk.cases.resume(case, read_message(message))
    _done(done, as_json)


@click.command()
@click.argument("case")
@message_option("The resolution: what fixed it ('-' reads stdin).", required=True)
@click.option("--kb", "article", metavar="ARTICLE", help="The knowledge-base article that fixed it (linked both ways).")
@click.option("--first-contact", is_flag=True,
              help="Resolved at the customer's first contact, with no handover (the desk KPI of seed 004).")
@json_option
@desk_options
def resolve(desk: Desk, case: str, message: str, article: str | None, first_contact: bool, as_json: bool) -> None:
    """Mark CASE resolved: service is restored, waiting for the customer's confirmation.

    \b
    Example:
        casefile resolve KMT-00417 -m "Replaced the fuser unit; test page OK." --kb printer-e04
        casefile resolve KMT-00418 --first-contact -m "Explained the VPN profile on the phone."
    """
    done = desk.cases.resolve(case, read_message(message), article, first_contact)
    _done(done, as_json)
    _deliver(desk, done)


@click.command()
@click.argument("case")
@click.option("--confirmed-by", metavar="NAME", help="The customer who confirmed the resolution (required).")
@click.option("--early", is_flag=True, help="Close before resolution, at the customer's request.")
@message_option("A closing remark ('-' reads stdin).")
@json_option
@desk_options
def close(desk: Desk, case: str, confirmed_by: str | None, early: bool, message: str | None, as_json: bool) -> None:
    """Close CASE with the customer's confirmation; its satisfaction survey is issued with it.

    Complaints close only once resolved: their resolution is recorded first.

    \b
    Example:
        casefile close KMT-00417 --confirmed-by "Zhang Wei"
    """
    done = desk.cases.close(case, confirmed_by, read_message(message), early)
    _done(done, as_json)
    _deliver(desk, done)


@click.command()
@click.argument("case")
@click.option("--reason", required=True, metavar="TEXT", help="Why the case is open again.")
@json_option
@desk_options
def reopen(desk: Desk, case: str, reason: str, as_json: bool) -> None:
    """Reopen a resolved or closed CASE.

    \b
    Example:
        casefile reopen KMT-00417 --reason "E-04 is back after the weekend"
    """
    done = desk.cases.reopen(case, reason)
    _done(done, as_json)


@click.command()
@click.argument("case")
@click.option("-l", "--level", metavar="LEVEL", help="New fault level (A-D).")
@click.option("-t", "--type", "case_type", metavar="TYPE", help=f"New type: {', '.join(TYPES)}.")
@click.option("--category", metavar="TEXT", help="New category.")
@click.option("--title", metavar="TEXT", help="New title.")
@message_option("Why it changed ('-' reads stdin).")
@json_option
@desk_options
def change(desk: Desk, case: str, level: str | None, case_type: str | None, category: str | None,
           title: str | None, message: str | None, as_json: bool) -> None:
    """Change the level, type, category or title of CASE; the change is logged.

    \b
    Example:
        casefile change KMT-00417 --level B -m "Whole floor cannot print"
    """
    from casefile.errors import CasefileError

    if case_type is not None and case_type not in TYPES:
        raise CasefileError(f"type {case_type!r} is not one of: {', '.join(TYPES)}")
    changes = {
        key: value
        for key, value in (("level", level.upper() if level else None), ("type", case_type),
                           ("category", category), ("title", title))
        if value is not None
    }
    done = desk.cases.change(case, changes, read_message(message))
    _done(done, as_json)
