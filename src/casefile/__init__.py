"""casefile — a Git-backed, plain-text case tracker for IT service and support desks.

The library is usable without the command line:

    from casefile import Desk

    desk = Desk.open("casefile-demo", actor="li.na")
    for row in desk.cases.list():
        print(row["id"], row["title"], (row["sla"] or {}).get("next_due_at"))
    desk.cases.note("KMT-00417", "Called Zhang Wei back; the queue is clear.")

Expected failures raise `CasefileError` (its `exit_code` is an `ExitCode`).
`Desk`, `CasefileError` and `ExitCode` are imported on first use, so
`import casefile` costs nothing more than this file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casefile.version import __version__

if TYPE_CHECKING:
    from casefile.desk import Desk
    from casefile.errors import CasefileError, ExitCode

__all__ = ["CasefileError", "Desk", "ExitCode", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Desk":
        from casefile.desk import Desk

        return Desk
    if name in ("CasefileError", "ExitCode"):
        from casefile import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'casefile' has no attribute {name!r}")  # Python's own words, for a programmer
