"""`casefile intake`: one message from standard input, or every unseen one of a Maildir or an IMAP mailbox.

A message is marked seen only after it is taken (its commit made) or known not to need
one (a machine's mail, a duplicate): a run that dies in between leaves it unseen, and
the next run recognises it by its Message-ID.  One message that cannot be taken (a
broken record, a template that fails) stays unseen and is reported; the others are taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from casefile.errors import CasefileError, ExitCode
from casefile.intake.work import Intake, Taken
from casefile.values import Struct, field

if TYPE_CHECKING:
    from casefile.mail.imap import ImapSettings

T = TypeVar("T")


class IntakeRun(Struct):
    taken: list[Taken] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (which message, why)

    def exit_code(self) -> ExitCode:
        return ExitCode.ERROR if self.failed else ExitCode.OK

    def lines(self) -> list[str]:
        lines = [taken.line for taken in self.taken]
        for taken in self.taken:
            lines += [f"  {note}" for note in taken.notes]
        lines += [f"NOT taken, left unseen for the next run: {which}: {why}" for which, why in self.failed]
        return lines

    def as_json(self) -> dict[str, Any]:
        return {"taken": [t.as_json() for t in self.taken],
                "failed": [{"message": which, "error": why} for which, why in self.failed]}


def poll(intake: Intake, messages: Iterable[T], read: Callable[[T], bytes], name: Callable[[T], str],
         mark_seen: Callable[[T], None]) -> IntakeRun:
    run = IntakeRun()
    for message in messages:
        try:
            taken = intake.take(read(message))
        except CasefileError as error:
            run.failed.append((name(message), str(error)))
            continue
        run.taken.append(taken)
        mark_seen(message)
    return run


def one(intake: Intake, raw: bytes) -> IntakeRun:
    """One message (standard input): a failure is the command's failure, so the MTA keeps the mail."""
    run = IntakeRun()
    run.taken.append(intake.take(raw))
    return run


def from_maildir(intake: Intake, folder: Path) -> IntakeRun:
    from casefile.mail.maildir import Maildir

    box = Maildir(folder)
    return poll(intake, box.unseen(), box.read, lambda m: m.key, box.mark_seen)


def from_imap(intake: Intake, settings: ImapSettings) -> IntakeRun:
    from casefile.mail.imap import ImapMailbox

    with ImapMailbox(settings) as box:
        return poll(intake, box.unseen(), lambda m: m.raw, lambda m: f"UID {m.uid}", box.mark_seen)
