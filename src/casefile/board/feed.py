"""The board's side of the desk: what it reads and what its keys do, through the public `Desk` only.

Every read and every action opens the desk at the board's running clock (`--now` fixes where it
starts; it runs on from there), so a note added at 02:07 on a board opened `--now 02:00` is stamped
02:07, and the clocks it shows are computed for the moment they were read.  An action is the same
`Desk` service the command line calls — one commit, the same refusals; a refusal comes back as the
`CasefileError` it is, for the board to show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from casefile.board.model import BoardFilter, BoardRow, board_rows
from casefile.desk import Desk
from casefile.values import Struct, field
from casefile.worktime.clock import RunningClock, format_instant


class Loaded(Struct):
    rows: list[BoardRow]
    at: datetime
    head: str
    notes: list[str] = field(default_factory=list)  # what the desk said while reading (a skipped record)


class BoardFeed:
    def __init__(self, desk: Desk, ticks: Callable[[], float] | None = None) -> None:
        """From the desk the command opened (`--repo`, `--now`, `--as`): its clock's time is where the
        board's clock starts."""
        self.notes: list[str] = []
        self.repo: Path = desk.root
        self.actor = desk.session.actor_handle
        self.zone: tzinfo = desk.policy.zone
        self.levels = tuple(desk.policy.levels)
        self.clock = RunningClock(desk.now(), ticks) if ticks else RunningClock(desk.now())
        self._watch = desk  # polls HEAD: reading two small files, no git process

    def now(self) -> datetime:
        return self.clock.now().astimezone(self.zone)

    def desk(self) -> Desk:
        """The desk as it is now, at the board's clock."""
        return Desk.open(self.repo, format_instant(self.now(), self.zone), self.actor, self.notes.append)

    def head(self) -> str:
        return self._watch.head()

    def me(self) -> str:
        """The handle of the person at the board (--as, else git's user in people.yaml)."""
        return self.desk().session.actor.handle

    def load(self, wanted: BoardFilter, me: str | None) -> Loaded:
        from casefile.cases.listing import CaseFilter
        from casefile.sla.work import SlaFilter

        head = self.head()  # before reading: a commit landing while we read is read again next time
        desk = self.desk()
        said = len(self.notes)
        rows = desk.cases.list(
            CaseFilter(levels=frozenset({wanted.level}) if wanted.level else frozenset(),
                       assignee=me if wanted.mine else None, customer=wanted.customer),
            SlaFilter(by_deadline=True),
        )
        unacked = {c.case: len(c.pages) for c in desk.oncall.unacked()}
        return Loaded(board_rows(rows, unacked, self.zone), desk.now(), head, self.notes[said:])

    # -- what the keys do: the services the commands call ---------------------

    def detail(self, case: str) -> str:
        """`casefile show CASE`, as text."""
        from casefile.cases.views import render_shown

        desk = self.desk()
        return render_shown(desk.cases.show(case), desk.policy)

    def note(self, case: str, text: str) -> str:
        """`casefile note CASE -m TEXT`: one commit; its subject."""
        return self.desk().cases.note(case, text).subject

    def assign(self, case: str, handle: str) -> str:
        """`casefile assign CASE HANDLE`."""
        return self.desk().cases.assign(case, handle).subject

    def ack(self, case: str) -> str:
        """`casefile ack CASE`, as the person at the board."""
        subject, _paged = self.desk().oncall.ack(case)
        return subject
