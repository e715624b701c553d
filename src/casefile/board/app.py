"""`casefile board`: the open cases by next deadline, full screen, live (Textual).

The only importer of Textual (and of Rich, which it draws with).  What it shows comes from
`board.feed` (the public `Desk`); how a row reads, from `board.model`.  Once a second the
countdowns tick from the board's running clock and HEAD is looked at (two small files); when
HEAD moved — a `sync` in another terminal, cron's `check`, a note from the command line — the
cases are read again from the index.  A refused action is shown in the message line, never as a
traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace  # Textual's Binding is a dataclass
from datetime import datetime

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Static

from casefile.board.feed import BoardFeed, Loaded
from casefile.board.model import COLUMNS, LABELS, BoardFilter, BoardRow, next_level
from casefile.errors import CasefileError
from casefile.i18n import translate
from casefile.render.printable import printable

BREACHED = "bold white on dark_red"  # a commitment breached, or the next deadline passed
UNACKED = "bold black on yellow"  # a page nobody took
PAUSED = "dim"
COUNTDOWN_WIDTH = 13


def say_bindings(node: DOMNode) -> None:
    """Textual makes a class's key bindings (the footer's words) when the class is made, at import: each
    screen says them when it is made, in the reader's language (its bindings hold the messages)."""
    for key, bindings in node._bindings.key_to_bindings.items():
        node._bindings.key_to_bindings[key] = [replace(b, description=translate(b.description)) for b in bindings]


def row_style(row: BoardRow, now: datetime) -> str:
    if row.overdue(now):
        return BREACHED
    if row.paused and row.due_at is None:
        return PAUSED
    return ""


class Prompt(ModalScreen[str | None]):
    """One line of text: Enter gives it, Escape gives None."""

    BINDINGS = [Binding("escape", "cancel", LABELS.message("close"))]
    DEFAULT_CSS = """
    Prompt { align: center middle; }
    Prompt > Vertical { width: 80%; height: auto; border: round $accent; padding: 0 1; background: $surface; }
    """

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        say_bindings(self)
        self.question, self.value = question, value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(printable(self.question), markup=False)
            yield Input(value=self.value, id="answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class Detail(ModalScreen[None]):
    """A case as `casefile show` prints it."""

    BINDINGS = [Binding("escape,q", "close", LABELS.message("close"))]
    DEFAULT_CSS = """
    Detail > VerticalScroll { border: round $accent; padding: 0 1; background: $surface; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        say_bindings(self)
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(printable(self.text), markup=False, id="detail")
            yield Static(LABELS["detail help"], markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class Board(App[None]):
    ENABLE_COMMAND_PALETTE = False  # the footer lists every key the board has
    BINDINGS = [
        Binding("o", "open_case", LABELS.message("open")),
        Binding("n", "note", LABELS.message("note")),
        Binding("a", "assign", LABELS.message("assign")),
        Binding("k", "ack", LABELS.message("ack")),
        Binding("m", "mine", LABELS.message("mine key")),
        Binding("l", "level", LABELS.message("level key")),
        Binding("c", "customer", LABELS.message("customer key")),
        Binding("r", "refresh", LABELS.message("refresh")),
        Binding("q", "quit", LABELS.message("quit")),
    ]
    CSS = """
    #heading { height: 1; padding: 0 1; background: $primary; color: $text; }
    #message { height: 1; padding: 0 1; }
    #message.refused { background: $error; color: $text; }
    DataTable { height: 1fr; }
    """

    def __init__(self, feed: BoardFeed, wanted: BoardFilter = BoardFilter(), me: str | None = None,
                 poll_seconds: float = 1.0) -> None:
        super().__init__()
        self.title = LABELS["title"]
        say_bindings(self)
        self.feed, self.wanted, self.me = feed, wanted, me
        self.poll_seconds = poll_seconds
        self.rows: list[BoardRow] = []
        self.head = ""
        self.loaded_at: datetime | None = None
        self.drawn: dict[str, tuple[str, str]] = {}  # case -> (countdown, row style) as on the screen

    # -- drawing ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Held, not queried: a prompt's answer arrives while the prompt is still the screen on top.
        self.heading = Static("", markup=False, id="heading")
        self.table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True, id="cases")
        self.message_line = Static("", markup=False, id="message")
        yield self.heading
        yield self.table
        yield self.message_line
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        for key, heading in COLUMNS:  # the countdown's width is fixed: it ticks from `9s` to `23h 59m over`
            table.add_column(translate(heading), key=key, width=COUNTDOWN_WIDTH if key == "left" else None)
        self.reload()
        table.focus()
        self.set_interval(self.poll_seconds, self.tick)

    def reload(self) -> None:
        """Read the open cases again, keeping the cursor on the case it was on."""
        try:
            loaded = self.feed.load(self.wanted, self.me)
        except (CasefileError, OSError) as error:  # e.g. policy.yaml broken by a merge; a file mid-checkout
            self.say(str(error), refused=True)
            return  # HEAD is not taken as read: the next look tries again
        self.show(loaded)

    def show(self, loaded: Loaded) -> None:
        table = self.table
        current = self.selected()
        before = self.rows
        self.rows, self.head, self.loaded_at = loaded.rows, loaded.head, loaded.at
        now = self.feed.now()
        if [row.id for row in before] == [row.id for row in self.rows]:
            # The same cases in the same order (a note on one of them): redraw the rows that changed.
            for old, row in zip(before, self.rows, strict=True):
                if old != row:
                    for (key, _heading), cell in zip(COLUMNS, self._cells(row, now), strict=True):
                        table.update_cell(row.id, key, cell, update_width=key != "left")
                    self.drawn[row.id] = (row.countdown(now), row_style(row, now))
        else:
            table.clear()
            self.drawn = {}
            for row in self.rows:
                table.add_row(*self._cells(row, now), key=row.id)
                self.drawn[row.id] = (row.countdown(now), row_style(row, now))
            if current is not None and current in {row.id for row in self.rows}:
                table.move_cursor(row=table.get_row_index(current))
        self._heading(now)
        if loaded.notes:
            self.say(loaded.notes[-1])
        elif not self.rows:
            self.say(LABELS["no cases"])

    def _cells(self, row: BoardRow, now: datetime) -> list[Text]:
        style = row_style(row, now)
        cells = row.cells(now)
        out = []
        for key, _heading in COLUMNS:
            marked = row.unacked and key in ("id", "pages")  # a page nobody took shows on a red row too
            out.append(Text(printable(cells[key]), style=UNACKED if marked else style, no_wrap=True))
        return out

    def _heading(self, now: datetime) -> None:
        text = (f"{LABELS['title']} · {self.feed.repo.name} · {now:%Y-%m-%d %H:%M:%S} · "
                f"{LABELS['open cases'].format(count=len(self.rows))} · {self.wanted.describe(self.me)}")
        self.heading.update(printable(text))

    def tick(self) -> None:
        """Every second: the countdowns from the running clock; the cases again when HEAD moved."""
        try:
            moved = self.feed.head() != self.head
        except OSError:
            moved = False  # git is rewriting HEAD this instant: look again next second
        if moved:
            self.reload()
            return
        now = self.feed.now()
        table = self.table
        for row in self.rows:
            # Only what changed is redrawn: a countdown an hour away changes once a minute, a row's
            # colour once, when its deadline passes.
            drawn = (row.countdown(now), row_style(row, now))
            if self.drawn.get(row.id) == drawn:
                continue
            restyled = self.drawn.get(row.id, drawn)[1] != drawn[1]
            self.drawn[row.id] = drawn
            for (key, _heading), cell in zip(COLUMNS, self._cells(row, now), strict=True):
                if key == "left" or restyled:
                    table.update_cell(row.id, key, cell)
        self._heading(now)

    def say(self, text: str, refused: bool = False) -> None:
        message = self.message_line
        message.update(printable(text))
        message.set_class(refused, "refused")

    def message(self) -> str:
        """The message line, as shown."""
        return str(self.message_line.content)

    def selected(self) -> str | None:
        table = self.table
        if not self.rows or table.row_count == 0:
            return None
        row_key, _column = table.coordinate_to_cell_key(table.cursor_coordinate)
        return str(row_key.value) if row_key.value is not None else None

    # -- the keys --------------------------------------------------------------

    def _do(self, action: Callable[[], str]) -> None:
        """Run one desk action; its commit subject, or its refusal, in the message line."""
        try:
            said = action()
        except CasefileError as error:
            self.say(str(error), refused=True)
            return
        self.say(said)
        self.reload()

    def _with_case(self, then: Callable[[str], None]) -> None:
        case = self.selected()
        if case is None:
            self.say(LABELS["no case"], refused=True)
            return
        then(case)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_case()

    def action_open_case(self) -> None:
        def open_it(case: str) -> None:
            try:
                text = self.feed.detail(case)
            except CasefileError as error:
                self.say(str(error), refused=True)
                return
            self.push_screen(Detail(text))

        self._with_case(open_it)

    def action_note(self) -> None:
        def ask(case: str) -> None:
            def answered(text: str | None) -> None:
                if text is None:
                    return
                if not text.strip():
                    self.say(LABELS["empty note"], refused=True)
                    return
                self._do(lambda: self.feed.note(case, text.strip()))

            self.push_screen(Prompt(LABELS["note prompt"].format(case=case)), answered)

        self._with_case(ask)

    def action_assign(self) -> None:
        def ask(case: str) -> None:
            def answered(handle: str | None) -> None:
                if handle is None:
                    return
                if not handle.strip():
                    self.say(LABELS["empty handle"], refused=True)
                    return
                self._do(lambda: self.feed.assign(case, handle.strip()))

            self.push_screen(Prompt(LABELS["assign prompt"].format(case=case), self.me or ""), answered)

        self._with_case(ask)

    def action_ack(self) -> None:
        self._with_case(lambda case: self._do(lambda: self.feed.ack(case)))

    def action_mine(self) -> None:
        if self.me is None:
            try:
                self.me = self.feed.me()
            except CasefileError:
                self.say(LABELS["who am i"], refused=True)
                return
        self.wanted = BoardFilter(not self.wanted.mine, self.wanted.level, self.wanted.customer)
        self.reload()

    def action_level(self) -> None:
        self.wanted = BoardFilter(self.wanted.mine, next_level(self.wanted.level, self.feed.levels),
                                  self.wanted.customer)
        self.reload()

    def action_customer(self) -> None:
        def answered(customer: str | None) -> None:
            if customer is None:
                return
            self.wanted = BoardFilter(self.wanted.mine, self.wanted.level, customer.strip() or None)
            self.reload()

        self.push_screen(Prompt(LABELS["customer prompt"], self.wanted.customer or ""), answered)

    def action_refresh(self) -> None:
        self.reload()
        if self.loaded_at is not None:
            self.say(LABELS["refreshed"].format(at=f"{self.loaded_at:%H:%M:%S}", count=len(self.rows)))
