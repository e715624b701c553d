"""Issue 18, acceptance 4: `casefile board`, driven headless by Textual's own pilot (`App.run_test`).

The demo desk after its day (Thursday 2026-11-19, `demo_day`), the board opened `--now 18:00` as
li.na.  Its open cases and their next deadlines, as `casefile list --sort deadline` prints them
(the station code is the demo desk's own; `c(4)` below is its case 4):

    PRQ-00004  B  !onsite 11-19 10:45     breached (on site was due 10:45)
    PRQ-00007  C  !response 11-19 17:40   breached (response was due 17:40)
    PRQ-00006  C  reply 11-20 13:20       19h 20m left at 18:00
    PRQ-00003  D  reply 11-20 16:18       22h 18m left at 18:00

The board's clock is the one clock: `--now` fixes where it starts, and it runs on by a seconds
counter — here the test's own (`Ticks`), so "a minute later" is exact.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

from casefile.board.app import BREACHED, UNACKED, Board, Detail
from casefile.board.feed import BoardFeed
from casefile.board.model import BoardFilter
from casefile.desk import Desk
from clihelp import CLI, commit_count, git, is_clean
from pagehelp import ROTA

START = "2026-11-19T18:00:00+08:00"


def c(number: int) -> str:
    """A case of the demo desk by its number: the station code is the demo desk's own."""
    return f"{STATION[0]}-{number:05d}"


STATION: list[str] = []


class Ticks:
    """The seconds counter the board's clock runs by."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def desk(tmp_path: Path, demo_day: tuple[Path, list[str]]) -> Path:
    root = Path(shutil.copytree(demo_day[0], tmp_path / "demo", symlinks=True))
    STATION[:] = [CLI(root, now=START)("list", "--all", "--json").json[0]["id"].split("-")[0]]
    return root


def board_of(root: Path, ticks: Ticks, actor: str | None = "li.na", wanted: BoardFilter = BoardFilter(),
             now: str = START) -> Board:
    feed = BoardFeed(Desk.open(root, now, actor), ticks)
    return Board(feed, wanted, actor, poll_seconds=0.05)


def drive(app: Board, steps: Callable[[Board, object], Awaitable[None]]) -> None:
    async def run() -> None:
        async with app.run_test(size=(180, 30)) as pilot:
            await steps(app, pilot)

    asyncio.run(run())


def shown(app: Board) -> list[str]:
    return [str(key.value) for key in app.query_one(DataTable).rows]


def cell(app: Board, case: str, column: str) -> str:
    return str(app.query_one(DataTable).get_cell(case, column))


def style(app: Board, case: str, column: str = "title") -> str:
    return str(app.query_one(DataTable).get_cell(case, column).style)


async def type_in(pilot: object, key: str, text: str, by_key: bool = False) -> None:
    """Press `key`, give its prompt `text` (typed key by key, or put in whole: typing forty keys takes
    a pilot seconds on a busy machine), then Enter."""
    await pilot.press(key)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    if by_key:
        await pilot.press(*text)  # type: ignore[attr-defined]
    else:
        pilot.app.screen.query_one(Input).value = text  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


def test_it_shows_the_open_cases_soonest_deadline_first_and_highlights_the_breaches(desk: Path) -> None:
    listed = CLI(desk, "li.na", now=START)("list", "--sort", "deadline", "--json").json
    seen: dict[str, object] = {}

    async def steps(app: Board, pilot: object) -> None:
        seen["ids"] = shown(app)
        seen["left"] = {case: cell(app, case, "left") for case in shown(app)}
        seen["styles"] = {case: style(app, case) for case in shown(app)}
        seen["due"] = cell(app, c(4), "due")
        seen["heading"] = [str(c.label) for c in app.query_one(DataTable).columns.values()]

    drive(board_of(desk, Ticks()), steps)
    assert seen["ids"] == [c(4), c(7), c(6), c(3)]
    assert seen["ids"] == [row["id"] for row in listed]  # the order `list --sort deadline` has
    assert seen["left"] == {c(4): "7h 15m over", c(7): "20m 00s over",  # 10:45 and 17:40
                            c(6): "19h 20m left", c(3): "22h 18m left"}  # 11-20 13:20, 16:18
    assert seen["styles"] == {c(4): BREACHED, c(7): BREACHED, c(6): "", c(3): ""}
    assert seen["due"] == "!onsite 11-19 10:45"  # the NEXT DUE cell of `list`
    assert seen["heading"] == ["CASE", "LV", "STATUS", "ASSIGNEE", "CUSTOMER", "NEXT DUE", "LEFT", "PAGES", "TITLE"]


def test_the_countdowns_tick_from_the_one_clock_and_a_passed_deadline_turns_red(desk: Path) -> None:
    ticks = Ticks()
    seen: list[tuple[str, str]] = []

    async def steps(app: Board, pilot: object) -> None:
        seen.append((cell(app, c(6), "left"), style(app, c(6))))
        ticks.seconds = 65
        await pilot.pause(0.2)  # type: ignore[attr-defined]
        seen.append((cell(app, c(6), "left"), style(app, c(6))))
        ticks.seconds = 19 * 3600 + 20 * 60 + 5  # 11-20 13:20:05: the reply was due five seconds ago
        await pilot.pause(0.2)  # type: ignore[attr-defined]
        seen.append((cell(app, c(6), "left"), style(app, c(6))))

    drive(board_of(desk, ticks), steps)
    assert seen == [("19h 20m left", ""), ("19h 18m left", ""), ("5s over", BREACHED)]


def test_a_note_added_from_the_board_is_one_commit_at_the_boards_time(desk: Path) -> None:
    ticks = Ticks()
    before = commit_count(desk)
    said: list[str] = []

    async def steps(app: Board, pilot: object) -> None:
        await pilot.press("down", "down")  # type: ignore[attr-defined]  # PRQ-00006
        ticks.seconds = 7 * 60
        await type_in(pilot, "n", "Called the customer back about the scanner.")
        said.append(app.message())

    drive(board_of(desk, ticks), steps)
    assert said == [f"{c(6)}: note"]
    assert commit_count(desk) == before + 1
    log = git(desk, "log", "-1", "--format=%an|%ad|%s|%(trailers:key=Casefile-Action,valueonly)", "--date=iso-strict")
    assert log.strip() == f"Li Na 李娜|2026-11-19T18:07:00+08:00|{c(6)}: note|note"
    changed = git(desk, "show", "--name-only", "--format=", "HEAD").split()
    assert len(changed) == 1 and changed[0].endswith(f"{c(6)}.md")
    shown_case = CLI(desk, "li.na", now="2026-11-19T18:10:00+08:00")("show", c(6), "--json").json
    last = shown_case["events"][-1]
    assert (last["at"], last["by"], last["kind"], last["text"]) == (
        "2026-11-19T18:07:00+08:00", "li.na", "note", "Called the customer back about the scanner.")
    assert is_clean(desk)


def test_a_refusal_shows_in_the_board_and_changes_nothing(desk: Path) -> None:
    before = commit_count(desk)
    said: list[tuple[str, bool, str]] = []

    async def steps(app: Board, pilot: object) -> None:
        await pilot.press("k")  # type: ignore[attr-defined]  # PRQ-00004 paged nobody
        await pilot.pause()  # type: ignore[attr-defined]
        said.append((app.message(), app.query_one("#message").has_class("refused"), type(app.screen).__name__))
        await type_in(pilot, "a", "nobody.here")
        said.append((app.message(), app.query_one("#message").has_class("refused"), type(app.screen).__name__))
        await type_in(pilot, "n", "   ")
        said.append((app.message(), app.query_one("#message").has_class("refused"), type(app.screen).__name__))

    drive(board_of(desk, Ticks()), steps)
    assert said[0] == (f"{c(4)} has not paged anyone (ack answers a page from casefile check)", True, "Screen")
    message, refused, screen = said[1]
    assert "nobody.here" in message and refused and screen == "Screen"
    cli = CLI(desk, "li.na", now=START)("assign", c(4), "nobody.here", expect=None)
    assert cli.code != 0 and cli.err.strip() == f"casefile: {message}"  # the words `casefile assign` says
    assert said[2] == ("a note needs some text: nothing was added", True, "Screen")
    assert commit_count(desk) == before
    assert is_clean(desk)


def test_an_assignment_from_the_board_is_the_assign_command(desk: Path) -> None:
    before = commit_count(desk)
    said: list[str] = []

    async def steps(app: Board, pilot: object) -> None:
        app.query_one(DataTable).move_cursor(row=shown(app).index(c(3)))
        await pilot.press("a")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        await pilot.press("enter")  # type: ignore[attr-defined]  # the prompt offers the person at the board
        await pilot.pause()  # type: ignore[attr-defined]
        said.append(app.message())
        said.append(cell(app, c(3), "assignee"))

    drive(board_of(desk, Ticks()), steps)
    assert said[1] == "li.na"
    assert said[0].startswith(f"{c(3)}: assign")
    assert commit_count(desk) == before + 1
    assert git(desk, "log", "-1", "--format=%s").strip() == said[0]


def test_a_commit_made_elsewhere_appears_after_the_next_look_at_head(desk: Path) -> None:
    cli = CLI(desk, "wang.fang", now="2026-11-19T18:02:00+08:00")
    seen: dict[str, object] = {}

    async def steps(app: Board, pilot: object) -> None:
        loads = []
        load = app.feed.load
        app.feed.load = lambda *a: loads.append(1) or load(*a)  # type: ignore[method-assign]
        await pilot.pause(0.3)  # type: ignore[attr-defined]
        seen["idle loads"] = len(loads)  # HEAD did not move: nothing read again
        cli("note", c(3), "-m", "Sent the VPN guide to the finance team.")
        opened = cli.open("Core switch down at Futian depot", "A", "--customer", "acme-sz")
        await pilot.pause(0.3)  # type: ignore[attr-defined]
        seen["loads"] = len(loads)
        seen["opened"] = opened
        seen["ids"] = shown(app)
        app.query_one(DataTable).move_cursor(row=shown(app).index(c(3)))
        await pilot.press("enter")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        seen["screen"] = app.screen
        seen["detail"] = str(app.screen.query_one("#detail").content)
        await pilot.press("escape")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        seen["after"] = type(app.screen).__name__

    drive(board_of(desk, Ticks()), steps)
    assert seen["idle loads"] == 0
    assert seen["loads"] == 1  # two commits landed between two looks: read once
    assert seen["opened"] == c(8)
    assert c(8) in seen["ids"]  # type: ignore[operator]
    assert isinstance(seen["screen"], Detail)
    assert "Sent the VPN guide to the finance team." in str(seen["detail"])
    assert str(seen["detail"]).startswith(f"{c(3)}  How to set up VPN on the new laptops?")
    assert seen["after"] == "Screen"


def test_the_filters_mine_level_and_customer(desk: Path) -> None:
    seen: list[tuple[list[str], str]] = []

    async def steps(app: Board, pilot: object) -> None:
        def look() -> None:
            seen.append((shown(app), str(app.query_one("#heading").content).split(" · ")[-1]))

        await pilot.press("m")  # type: ignore[attr-defined]
        look()
        await pilot.press("m", "l")  # type: ignore[attr-defined]  # mine off, level A
        look()
        await pilot.press("l")  # type: ignore[attr-defined]  # level B
        look()
        await pilot.press("l", "l", "l")  # type: ignore[attr-defined]  # C, D, every level again
        look()
        await type_in(pilot, "c", "sz-metro", by_key=True)
        look()
        await pilot.press("c")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        await pilot.press("ctrl+a", "ctrl+k", "enter")  # type: ignore[attr-defined]  # empty: every customer
        await pilot.pause()  # type: ignore[attr-defined]
        look()

    drive(board_of(desk, Ticks(), actor="sun.li"), steps)
    customers = {row["id"]: row["customer"] for row in CLI(desk, now=START)("list", "--json").json}
    in_metro = [case for case in [c(4), c(7), c(6), c(3)]
                if customers[case] == "sz-metro"]
    assert seen == [
        ([c(7), c(6)], "showing: mine (sun.li)"),
        ([], "showing: level A"),
        ([c(4)], "showing: level B"),
        ([c(4), c(7), c(6), c(3)], "showing: all open cases"),
        (in_metro, "showing: customer sz-metro"),
        ([c(4), c(7), c(6), c(3)], "showing: all open cases"),
    ]


def test_a_page_from_crons_check_shows_while_watching_and_is_acknowledged_from_the_board(desk: Path) -> None:
    (desk / "rota.yaml").write_text(ROTA, encoding="utf-8")
    git(desk, "add", "rota.yaml")
    git(desk, "-c", "user.name=Wang Fang", "-c", "user.email=wang.fang@jinqiao-it.example", "commit", "-qm", "Rota")
    cli = CLI(desk, "wang.fang")
    case = cli.open("Core switch down at Futian depot", "A", now="2026-11-19T18:05:00+08:00")
    ticks = Ticks()
    seen: list[tuple[object, ...]] = []

    async def steps(app: Board, pilot: object) -> None:
        seen.append((cell(app, case, "pages"), style(app, case, "pages") == UNACKED))
        ticks.seconds = 5 * 60  # 18:40: cron's check runs; 30m and not restored, li.na is paged (on duty till 20:30)
        cli("check", now="2026-11-19T18:40:00+08:00")
        await pilot.pause(0.3)  # type: ignore[attr-defined]
        seen.append((cell(app, case, "pages"), style(app, case, "pages"), style(app, case, "id")))
        before = commit_count(desk)
        app.query_one(DataTable).move_cursor(row=shown(app).index(case))
        await pilot.press("k")  # type: ignore[attr-defined]
        await pilot.pause()  # type: ignore[attr-defined]
        seen.append((app.message(), cell(app, case, "pages"), style(app, case, "pages") == style(app, case),
                     commit_count(desk) - before))

    drive(board_of(desk, ticks, now="2026-11-19T18:35:00+08:00"), steps)
    assert seen[0] == ("", False)  # nobody paged yet
    assert seen[1] == ("1 unacked", UNACKED, UNACKED)  # the page shows, marked, without a key pressed
    assert seen[2] == (f"{case}: ack by li.na", "", True, 1)  # one commit; no longer marked
    assert git(desk, "log", "-1", "--format=%an|%ad", "--date=iso-strict").strip() == "Li Na 李娜|2026-11-19T18:40:00+08:00"
    assert CLI(desk, now="2026-11-19T18:50:00+08:00")("list", "--unacked").out.strip() == "no cases match"


def test_the_board_command_needs_a_terminal_and_says_what_to_use_instead(desk: Path) -> None:
    result = CLI(desk, "li.na", now=START)("board", expect=1)
    assert result.err.strip() == ("casefile: the board needs a terminal "
                                  "(run it in a terminal, or use `casefile list --sort deadline` in a pipe)")
    assert CLI(desk, "li.na", now=START)("board", "--help").out.count("Example:") == 1
    wrong = CLI(desk, "li.na", now=START)("board", "--level", "Z", expect=1)
    assert wrong.err.strip() == "casefile: level 'Z' is not in the policy (use one of: A, B, C, D)"
    unknown = CLI(desk, None, now=START)("board", "--mine", expect=None)  # git's user is not in people.yaml
    assert unknown.code == 1 and "people.yaml" in unknown.err and "board needs a terminal" not in unknown.err
