"""Commands that work a case: open, assign, respond, note, pend, resume, resolve, close, reopen, change."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from casefile.cases.vocabulary import CaseType, Channel, NoteKind, Tier, WaitingOn
from casefile.cli.helptext import Command
from casefile.cli.options import (
    desk_options,
    emit,
    instant,
    json_option,
    message_option,
    read_message,
    text_or_editor,
)
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.cases.work import NewCase
    from casefile.desk import Desk, Done

TYPES = tuple(str(value) for value in CaseType)
CHANNELS = tuple(str(value) for value in Channel)
TIERS = tuple(str(value) for value in Tier)
NOTE_KINDS = tuple(str(value) for value in NoteKind)


def _done(done: Done, as_json: bool, line: str | None = None) -> None:
    """Print the commit subject (or `line`) and any notes (a survey issued ...), or the whole case with --json."""
    from casefile.cases.views import case_json

    emit(case_json(done.entry), as_json, lambda: "\n".join([line if line is not None else done.subject, *done.notes]))


def _deliver(desk: Desk, done: Done, as_json: bool) -> None:
    """Customer mail the command queued goes out now when this clone has an SMTP server (said on stderr
    after --json: standard output is the JSON alone)."""
    from casefile.cli.mailing import deliver

    deliver(desk, done, to_stderr=as_json)


def _description(desk: Desk, message: str | None) -> tuple[str, str | None]:
    """-m TEXT, `-m -` or piped stdin, else $EDITOR on a terminal — from the description kept when the last
    `open` failed, if the person wants it.  Also what was typed in the editor (None: no editor)."""
    if message is not None:
        return read_message(message) or "", None
    if not sys.stdin.isatty():
        return sys.stdin.read(), None
    start = "\n" + _("# Describe the problem. Lines starting with # are ignored.") + "\n"
    kept = desk.hand_edits.kept_description()
    if kept is not None:
        if click.confirm(_("a description typed for a case that was not opened is kept in {path}: start from it?")
                         .format(path=kept.path), default=True, err=True):
            start = kept.text
        else:
            desk.hand_edits.drop_description()
    edited = click.edit(start)
    if not edited:
        return "", None
    return "\n".join(line for line in edited.splitlines() if not line.startswith("#")).strip(), edited


def _open_keeping_the_description(desk: Desk, new: NewCase, typed: str | None) -> Done:
    """`desk.cases.open(new)`; when it fails after the editor, what was typed is kept for the next `open`."""
    from casefile.errors import CasefileError

    try:
        done = desk.cases.open(new)
    except CasefileError as error:
        if typed is not None and typed.strip():
            where = desk.hand_edits.keep_description(typed)
            kept = _("your description is kept in {path}; the next `casefile open` on a terminal offers it").format(path=where)
            error.hint = _("{hint}; {kept}").format(hint=error.hint, kept=kept) if error.hint else kept
        raise
    if typed is not None:
        desk.hand_edits.drop_description()
    return done


@click.command("open", cls=Command)
@click.argument("title")
@click.option("-l", "--level", required=True, metavar="LEVEL", help="Fault level from the policy: A, B, C or D.")
@click.option("-t", "--type", "case_type", default="incident", show_default=True, metavar="TYPE",
              help="One of: incident, request, consultation, complaint.")  # TYPES (a test keeps them equal)
@click.option("-c", "--channel", default="phone", show_default=True, metavar="CHANNEL",
              help="How it was reported: phone, email, fax, web, online, qq.")  # CHANNELS
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
@click.option("--asset", metavar="SERIAL", help="The customer's device it is about (a serial number of its assets).")
@click.option("--parent", metavar="CASE", help="The major incident this caller is affected by (linked both ways).")
@click.option("--related", metavar="CASE", multiple=True, help="A related case (repeatable; linked both ways).")
@message_option("Description (Markdown); '-' reads stdin. Default: stdin if piped, else $EDITOR.")
@json_option
@desk_options
def open_case(desk: Desk, title: str, level: str, case_type: str, channel: str, category: str | None,
              customer: str | None, caller_name: str | None, caller_company: str | None,
              caller_phone: str | None, caller_email: str | None, caller_address: str | None,
              contract: str | None, verified: bool, assignee: str | None, tier: str | None,
              concerns: tuple[str, ...], asset: str | None, parent: str | None, related: tuple[str, ...],
              message: str | None, as_json: bool) -> None:
    """Open a case and print its number.

    It records the service it runs under: the policy rule that applies, the
    customer's coverage and contract (flagged when expired or unknown).  When
    the customer has an open case of the same category or device, it says so
    and how to link them.

    \b
    Examples:
        casefile open "Printer offline on 3F" --level C --customer acme-sz \\
            --caller-name "Zhang Wei" --caller-phone 0755-86001234 \\
            --category hardware/printer -m "Shows E-04 since 08:30."
        casefile open "Engineer arrived two hours late" --type complaint --level B \\
            --customer acme-sz --concerns KMT-00417 -m "Called in by Mr Zhang."
        casefile open "Gates offline at Shenzhen North" --level A --customer sz-metro \\
            --category network/switch --parent KMT-00001 -m "Second station caller."
    """
    from casefile.cases.links import LinkRel
    from casefile.cases.work import NewCase
    from casefile.errors import CasefileError

    if case_type not in TYPES:
        raise CasefileError(_("type {case_type!r} is not one of: {names}").format(case_type=case_type, names=', '.join(TYPES)))
    if channel not in CHANNELS:
        raise CasefileError(_("channel {channel!r} is not one of: {names}").format(channel=channel, names=', '.join(CHANNELS)))
    caller = {
        "name": caller_name, "company": caller_company, "phone": caller_phone, "email": caller_email,
        "address": caller_address, "contract": contract, "verified": True if verified else None,
    }
    description, typed = _description(desk, message)
    new = NewCase(
        title=title, level=level.upper(), type=CaseType(case_type), channel=Channel(channel),
        category=category, customer=customer, caller=caller, description=description,
        assignee=assignee, tier=Tier(tier) if tier else None,
        links=(*((str(LinkRel.CONCERNS), case) for case in concerns),
               *(((str(LinkRel.PARENT), parent),) if parent else ()),
               *((str(LinkRel.RELATED), case) for case in related)),
        asset=asset,
    )
    done = _open_keeping_the_description(desk, new, typed)
    for line in done.notes:
        click.echo(f"casefile: {line}", err=True)
    emit(_case_json(done), as_json, lambda: str(done.entry.data["id"]))
    from casefile.cli.mailing import deliver

    deliver(desk, done, to_stderr=True)  # standard output is the case number alone: case=$(casefile open ...)


def _case_json(done: Done) -> object:
    from casefile.cases.views import case_json

    return case_json(done.entry)


@click.command(cls=Command)
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


@click.command(cls=Command)
@click.argument("case")
@message_option("What was said to the customer ('-' reads stdin; on a terminal, left out: $EDITOR).")
@json_option
@desk_options
def respond(desk: Desk, case: str, message: str | None, as_json: bool) -> None:
    """Record the first response to the customer.

    \b
    Example:
        casefile respond KMT-00417 -m "Called Zhang Wei back; remote check at 10:00."
    """
    done = desk.cases.respond(case, text_or_editor(message, "What was said to the customer."))
    _done(done, as_json)


@click.command(cls=Command)
@click.argument("case")
@message_option("The note ('-' reads stdin; on a terminal, left out: $EDITOR); with --phrase, added after the phrase.")
@click.option("--phrase", metavar="NAME",
              help="A standard phrase filled in for the case, in the desk's language (casefile phrase list).")
@click.option("-k", "--kind", default="note", show_default=True, type=click.Choice(NOTE_KINDS),
              help="What kind of activity this was.")
@click.option("--authorised-by", metavar="NAME", help="Remote sessions: who at the customer authorised it.")
@click.option("--dispatched-at", metavar="ISO-8601", help="On-site visits: when the engineer set off (default: now).")
@click.option("--arrived-at", metavar="ISO-8601", help="On-site visits: when the engineer arrived.")
@click.option("--replace", "replacements", multiple=True, metavar="OLD=NEW[:MODEL]",
              help="On-site visits: a device swapped (old and new serial); updates the customer's assets (repeatable).")
@click.option("--spent", metavar="DURATION", help="Time spent on this, e.g. 45m or 1h30m (report engineers).")
@json_option
@desk_options
def note(desk: Desk, case: str, message: str | None, phrase: str | None, kind: str, authorised_by: str | None,
         dispatched_at: str | None, arrived_at: str | None, replacements: tuple[str, ...], spent: str | None,
         as_json: bool) -> None:
    """Add an internal activity to CASE: a call, remote session, visit, vendor request, progress or incident report.

    A note is never shown to the customer; `casefile reply` is what the customer is told (and mailed).

    \b
    Examples:
        casefile note KMT-00417 -k call -m "Customer reports the tray jams too."
        casefile note KMT-00417 -k remote --authorised-by "Zhang Wei" -m "Cleared the queue."
        casefile note KMT-00417 -k onsite --dispatched-at 10:05 --arrived-at 10:40 -m "On site."
        casefile note KMT-00417 -k onsite --replace FOC2345X0AB=FOC2650Y1ZZ -m "MPU swapped."
        casefile note KMT-00417 -k call --phrase chase-2
        casefile note KMT-00417 -k remote --authorised-by "Zhang Wei" --spent 45m -m "Driver reinstalled."
    """
    from casefile.customers.assets import parse_replacement
    from casefile.worktime.duration import parse_spent

    if message is None and phrase is None and not sys.stdin.isatty():
        from casefile.errors import CasefileError

        raise CasefileError(_("the note is empty"), _("say it with -m TEXT or --phrase NAME (casefile phrase list)"))
    if phrase is not None:
        from casefile.cli.phrases import phrased

        text: str | None = phrased(desk, case, phrase, message, for_customer=False)
    else:
        text = text_or_editor(message, "The internal note (never shown to the customer).")
    done = desk.cases.note(
        case, text, NoteKind(kind), authorised_by,
        instant(desk, _today(desk, dispatched_at), "--dispatched-at"),
        instant(desk, _today(desk, arrived_at), "--arrived-at"),
        tuple(parse_replacement(r) for r in replacements),
        parse_spent(spent) if spent is not None else None,
    )
    _done(done, as_json)


def _today(desk: Desk, text: str | None) -> str | None:
    """`10:40` means today at 10:40 in the desk's zone."""
    if text and len(text) <= 5 and ":" in text:
        return f"{desk.now():%Y-%m-%d}T{text.zfill(5)}"
    return text


@click.command(cls=Command)
@click.argument("case")
@click.option("--reason", metavar="TEXT", help="What the case is waiting for (on a terminal, left out: $EDITOR).")
@click.option("--on", "waiting_on", default="customer", show_default=True,
              type=click.Choice(tuple(str(w) for w in WaitingOn)), help="Who the case is waiting for.")
@json_option
@desk_options
def pend(desk: Desk, case: str, reason: str | None, waiting_on: str, as_json: bool) -> None:
    """Put CASE on hold while waiting for the customer or a vendor (clocks pause).

    \b
    Example:
        casefile pend KMT-00417 --reason "Waiting for the admin password" --on customer
    """

    done = desk.cases.pend(case, text_or_editor(reason, "What the case is waiting for.", "--reason"),
                           WaitingOn(waiting_on))
    _done(done, as_json)


@click.command(cls=Command)
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


@click.command(cls=Command)
@click.argument("case")
@message_option("The resolution: what fixed it ('-' reads stdin; on a terminal, left out: $EDITOR).")
@click.option("--kb", "article", metavar="ARTICLE", help="The knowledge-base article that fixed it (linked both ways).")
@click.option("--first-contact", is_flag=True,
              help="Resolved at the customer's first contact, with no handover (the desk KPI of seed 004).")
@click.option("--verdict", type=click.Choice(("substantiated", "unsubstantiated")),
              help="Complaints: was it founded?  A substantiated one counts against the engineer.")
@click.option("--against", metavar="HANDLE",
              help="Complaints: the engineer it is about (default: the owner of the case it concerns).")
@json_option
@desk_options
def resolve(desk: Desk, case: str, message: str | None, article: str | None, first_contact: bool, verdict: str | None,
            against: str | None, as_json: bool) -> None:
    """Mark CASE resolved: service is restored, waiting for the customer's confirmation.

    A major incident's affected callers (`--parent` cases) are restored with it.

    \b
    Example:
        casefile resolve KMT-00417 -m "Replaced the fuser unit; test page OK." --kb printer-e04
        casefile resolve KMT-00418 --first-contact -m "Explained the VPN profile on the phone."
        casefile resolve KMT-00432 --verdict substantiated --against zhao.lei -m "Apologised; calls every 30 min."
    """
    from casefile.cases.ops import Verdict
    from casefile.errors import CasefileError

    if against and not verdict:
        raise CasefileError(_("--against goes with --verdict"), _("say --verdict substantiated --against HANDLE"))
    found = Verdict(verdict, against) if verdict else None
    text = text_or_editor(message, "The resolution: what fixed it.")
    done = desk.cases.resolve(case, text, article, first_contact, found)
    _done(done, as_json)
    _deliver(desk, done, as_json)


@click.command(cls=Command)
@click.argument("case")
@click.option("--confirmed-by", metavar="NAME", help="The customer who confirmed the resolution (required).")
@click.option("--early", is_flag=True, help="Close before resolution, at the customer's request.")
@click.option("--duplicate-of", metavar="CASE",
              help="Close it as the duplicate of CASE: no confirmation or survey, left out of the figures.")
@message_option("A closing remark ('-' reads stdin).")
@json_option
@desk_options
def close(desk: Desk, case: str, confirmed_by: str | None, early: bool, duplicate_of: str | None,
          message: str | None, as_json: bool) -> None:
    """Close CASE with the customer's confirmation; its satisfaction survey is issued with it.

    Complaints close only once resolved: their resolution is recorded first.
    A major incident's affected callers are closed with it.  A case closed
    as a duplicate links the case it repeats (both ways) and gets no survey.

    \b
    Example:
        casefile close KMT-00417 --confirmed-by "Zhang Wei"
        casefile close KMT-00002 --duplicate-of KMT-00001 -m "Same outage, second caller."
    """
    done = desk.cases.close(case, confirmed_by, read_message(message), early, duplicate_of)
    _done(done, as_json)
    _deliver(desk, done, as_json)


@click.command(cls=Command)
@click.argument("case")
@click.option("--reason", metavar="TEXT", help="Why the case is open again (on a terminal, left out: $EDITOR).")
@json_option
@desk_options
def reopen(desk: Desk, case: str, reason: str | None, as_json: bool) -> None:
    """Reopen a resolved or closed CASE.

    \b
    Example:
        casefile reopen KMT-00417 --reason "E-04 is back after the weekend"
    """
    done = desk.cases.reopen(case, text_or_editor(reason, "Why the case is open again.", "--reason"))
    _done(done, as_json)


@click.command(cls=Command)
@click.argument("case")
@click.option("-l", "--level", metavar="LEVEL", help="New fault level (A-D).")
@click.option("-t", "--type", "case_type", metavar="TYPE", help="New type: incident, request, consultation, complaint.")
@click.option("--category", metavar="TEXT", help="New category.")
@click.option("--title", metavar="TEXT", help="New title.")
@click.option("--asset", metavar="SERIAL", help="The customer's device it is about (a serial number of its assets).")
@message_option("Why it changed ('-' reads stdin).")
@json_option
@desk_options
def change(desk: Desk, case: str, level: str | None, case_type: str | None, category: str | None,
           title: str | None, asset: str | None, message: str | None, as_json: bool) -> None:
    """Change the level, type, category, title or device of CASE; the change is logged.

    \b
    Example:
        casefile change KMT-00417 --level B -m "Whole floor cannot print"
        casefile change KMT-00417 --asset CNB1234567
    """
    from casefile.errors import CasefileError

    if case_type is not None and case_type not in TYPES:
        raise CasefileError(_("type {case_type!r} is not one of: {names}").format(case_type=case_type, names=', '.join(TYPES)))
    changes = {
        key: value
        for key, value in (("level", level.upper() if level else None), ("type", case_type),
                           ("category", category), ("title", title), ("asset", asset.strip() if asset else None))
        if value is not None
    }
    done = desk.cases.change(case, changes, read_message(message))
    _done(done, as_json)


@click.command(cls=Command)
@click.argument("case")
@click.option("--duplicate-of", "duplicate_of", metavar="CASE", help="CASE repeats this one (the same fault).")
@click.option("--parent", metavar="CASE", help="CASE is an affected caller of this major incident.")
@click.option("--related", metavar="CASE", help="The two cases bear on each other.")
@json_option
@desk_options
def link(desk: Desk, case: str, duplicate_of: str | None, parent: str | None, related: str | None,
         as_json: bool) -> None:
    """Link CASE to another case, both ways, in one commit.

    A duplicate and a major incident's affected caller are counted with the
    case they belong to, never on their own; the affected callers of a major
    incident are restored and closed with it.

    \b
    Example:
        casefile link KMT-00002 --parent KMT-00001
        casefile link KMT-00005 --related KMT-00003
    """
    from casefile.cases.links import LinkRel
    from casefile.errors import CasefileError

    given = [(rel, other) for rel, other in ((LinkRel.DUPLICATE_OF, duplicate_of), (LinkRel.PARENT, parent),
                                             (LinkRel.RELATED, related)) if other]
    if len(given) != 1:
        raise CasefileError(_("say how the cases are linked: one of --duplicate-of, --parent, --related"))
    rel, other = given[0]
    done = desk.cases.link(case, rel, other)
    _done(done, as_json)


@click.command("incident-report", cls=Command)
@click.argument("case")
@click.option("--cause", metavar="TEXT", help="The cause (故障原因) section ('-' reads stdin).")
@click.option("--improvement", metavar="TEXT", help="The improvements (改进措施) section.")
@click.option("--issue", is_flag=True, help="Issue it to the customer: stops the incident-report clock.")
@click.option("--show", is_flag=True, help="Print the report as it stands; change nothing.")
@json_option
@desk_options
def incident_report(desk: Desk, case: str, cause: str | None, improvement: str | None, issue: bool, show: bool,
                    as_json: bool) -> None:
    """Draft, fill in and issue the incident report (故障报告) of CASE.

    The first run drafts it from the case — times, clocks, warnings and
    escalations, the vendor's part — as a record of its own, linked with the
    case (one commit).  Fill in the cause and improvements (--cause,
    --improvement, or edit the file and commit it); --issue marks it issued
    and records it in the case, which stops the 48 h incident-report clock
    (seed 003), also after the case was closed.

    \b
    Example:
        casefile incident-report KMT-00001
        casefile incident-report KMT-00001 --cause "Line card failed" \\
            --improvement "Spare card kept at Futian" --issue
    """
    from casefile.incidents.views import report_json

    if show:
        entry = desk.incident_reports.entry(case)
        emit(report_json(entry), as_json, lambda: entry.body.rstrip("\n"))
        return
    done = desk.incident_reports.write(case, read_message(cause), improvement, issue)
    emit(report_json(done.entry), as_json, lambda: "\n".join([done.subject, *done.notes]))
