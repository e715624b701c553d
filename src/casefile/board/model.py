"""What `casefile board` shows, as values: the rows of the open cases by next deadline, their
countdowns at a moment, and every text of the board in one table (`LABELS`).

Pure: rows of `list` (with their `sla`) and the cases with unacknowledged pages in, board rows out;
tested without a terminal or a repository (`tests/board/test_model.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from casefile.cases.views import LIST_HEADINGS, next_due
from casefile.i18n import N_, Words
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

# Every text of the board a person reads, in one place, in the reader's language (`Words`).  The column
# headings `list` also has come from `list` (cases.views.LIST_HEADINGS).
LABELS = Words({
    "title": N_("casefile board"),
    "customer": N_("CUSTOMER"),
    "left": N_("LEFT"),
    "pages": N_("PAGES"),
    "time left": N_("{span} left"),
    "time over": N_("{span} over"),
    "paused": N_("paused"),
    "unacked": N_("{count} unacked"),
    "open cases": N_("{count} open"),
    "filter": N_("showing: {what}"),
    "everything": N_("all open cases"),
    "mine": N_("mine ({handle})"),
    "level": N_("level {level}"),
    "of customer": N_("customer {customer}"),
    "no cases": N_("no open cases match (m, l and c change the filter)"),
    "refreshed": N_("refreshed at {at}: {count} open"),
    "note prompt": N_("Note on {case} (Enter adds it, Escape cancels)"),
    "assign prompt": N_("Assign {case} to (a handle in people.yaml; Enter assigns, Escape cancels)"),
    "customer prompt": N_("Only the cases of customer (empty: every customer; Enter applies, Escape cancels)"),
    "no case": N_("no case is selected"),
    "empty note": N_("a note needs some text: nothing was added"),
    "empty handle": N_("say who to assign it to: nothing was changed"),
    "who am i": N_("whose cases are mine? open the board with --as HANDLE (or set CASEFILE_ACTOR)"),
    "detail help": N_("Escape or q closes"),
    "open": N_("Open"),
    "note": N_("Note"),
    "assign": N_("Assign"),
    "ack": N_("Ack page"),
    "mine key": N_("Mine"),
    "level key": N_("Level"),
    "customer key": N_("Customer"),
    "refresh": N_("Refresh"),
    "quit": N_("Quit"),
    "close": N_("Close"),
})

# The board's columns: (key, heading), headings `list` has taken from `list`.
COLUMNS = (  # the messages: each heading is said when the board is drawn, in the reader's language
    ("id", LIST_HEADINGS.message("id")),
    ("level", LIST_HEADINGS.message("level")),
    ("status", LIST_HEADINGS.message("status")),
    ("assignee", LIST_HEADINGS.message("assignee")),
    ("customer", LABELS.message("customer")),
    ("due", LIST_HEADINGS.message("sla")),
    ("left", LABELS.message("left")),
    ("pages", LABELS.message("pages")),
    ("title", LIST_HEADINGS.message("title")),
)


class BoardFilter(Struct, frozen=True):
    """Which open cases the board shows: only the actor's (`mine`), of one level, of one customer."""

    mine: bool = False
    level: str | None = None
    customer: str | None = None

    def describe(self, handle: str | None) -> str:
        parts = []
        if self.mine:
            parts.append(LABELS["mine"].format(handle=handle or "?"))
        if self.level:
            parts.append(LABELS["level"].format(level=self.level))
        if self.customer:
            parts.append(LABELS["of customer"].format(customer=self.customer))
        return LABELS["filter"].format(what=", ".join(parts) or LABELS["everything"])


def next_level(current: str | None, levels: Sequence[str]) -> str | None:
    """The level filter's next step: every level, then each level of the policy in turn, then every level."""
    if current is None:
        return levels[0] if levels else None
    if current not in levels or current == levels[-1]:
        return None
    return levels[levels.index(current) + 1]


class BoardRow(Struct, frozen=True):
    id: str
    level: str
    status: str
    assignee: str | None
    customer: str | None
    title: str
    due: str  # the NEXT DUE cell of `list`: `!onsite 11-19 10:45`
    due_at: datetime | None  # the next deadline of a running clock
    breached: bool  # a commitment was breached when the rows were read
    paused: bool
    unacked: int  # pages nobody acknowledged

    def overdue(self, now: datetime) -> bool:
        """Breached when read, or its next deadline has passed since."""
        return self.breached or (self.due_at is not None and self.due_at <= now)

    def countdown(self, now: datetime) -> str:
        """`42m 10s left`, `1h 05m over`; `paused`; `—` without a running clock."""
        if self.due_at is None:
            return LABELS["paused"] if self.paused else "—"
        seconds = int((self.due_at - now).total_seconds())
        if seconds >= 0:
            return LABELS["time left"].format(span=span(seconds))
        return LABELS["time over"].format(span=span(-seconds))

    def cells(self, now: datetime) -> dict[str, str]:
        return {
            "id": self.id, "level": self.level, "status": self.status, "assignee": self.assignee or "—",
            "customer": self.customer or "—", "due": self.due, "left": self.countdown(now),
            "pages": LABELS["unacked"].format(count=self.unacked) if self.unacked else "", "title": self.title,
        }


def span(seconds: int) -> str:
    """Real time, as a desk reads it at a glance: `2d 03h`, `3h 05m`, `42m 10s`, `9s`."""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    if minutes:
        return f"{minutes}m {secs:02d}s"
    return f"{secs}s"


def board_rows(rows: Iterable[Mapping[str, Any]], unacked: Mapping[str, int], zone: tzinfo) -> list[BoardRow]:
    """The open cases of `list` (each with its `sla`), soonest deadline first; cases without a running
    clock (paused, or none left) after them, by number."""
    found = []
    for row in rows:
        sla = row.get("sla")
        sla = sla if isinstance(sla, Mapping) and "error" not in sla else {}
        due_at = parse_stored(str(sla["next_due_at"])) if sla.get("next_due_at") else None
        found.append(BoardRow(
            id=str(row["id"]), level=str(row.get("level") or "?"), status=str(row.get("status") or "?"),
            assignee=row.get("assignee"), customer=row.get("customer"), title=str(row.get("title") or ""),
            due=next_due(row.get("sla"), zone), due_at=due_at, breached=bool(sla.get("breached")),
            paused=bool(sla.get("paused")), unacked=unacked.get(str(row["id"]), 0),
        ))
    found.sort(key=lambda r: (r.due_at is None, r.due_at.astimezone(UTC) if r.due_at else datetime.min.replace(
        tzinfo=UTC), r.id))
    return found
