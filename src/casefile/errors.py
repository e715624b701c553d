"""Expected failures and the exit codes they map to.

Every failure a user can cause (bad input, a refused workflow step, a busy
repository) is a `CasefileError`.  The CLI turns it into one line on stderr and
its exit code in one place; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of every `casefile` command."""

    OK = 0
    ERROR = 1  # bad input or a refused step; nothing was written
    USAGE = 2  # unknown option or missing argument (click)
    NOT_FOUND = 3  # no such case, customer, record or repository
    BUSY = 4  # another process holds the repository, or the branch moved
    INVALID = 5  # `validate` (or a hook) found records that do not validate
    BREACH = 6  # `check --fail-on-breach` found a breached commitment
    REMOTE = 7  # the remote could not be reached or refused; local work kept


class CasefileError(Exception):
    """An expected failure: one line for the user, an exit code, no traceback."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class NotFound(CasefileError):
    exit_code = ExitCode.NOT_FOUND


class Busy(CasefileError):
    exit_code = ExitCode.BUSY


class Invalid(CasefileError):
    exit_code = ExitCode.INVALID


class RemoteFailed(CasefileError):
    exit_code = ExitCode.REMOTE
