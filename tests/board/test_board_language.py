"""The board speaks the reader's language when it is drawn (issue 18): its column headings, the heading line,
the footer's keys and the window title are made when the board starts, not when Python imports it — so one
process shows a zh board after an en one, each in its own words."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, Footer

from casefile import i18n
from casefile.board.app import Board
from casefile.board.feed import BoardFeed
from casefile.desk import Desk

START = "2026-11-19T18:00:00+08:00"
HEADINGS = {
    "en": ["CASE", "LV", "STATUS", "ASSIGNEE", "CUSTOMER", "NEXT DUE", "LEFT", "PAGES", "TITLE"],
    "zh": [i18n.translate(word, "zh") for word in
           ("CASE", "LV", "STATUS", "ASSIGNEE", "CUSTOMER", "NEXT DUE", "LEFT", "PAGES", "TITLE")],
}


@pytest.fixture
def desk(tmp_path: Path, demo_day: tuple[Path, list[str]]) -> Path:
    return Path(shutil.copytree(demo_day[0], tmp_path / "demo", symlinks=True))


def seen_on(root: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    monkeypatch.setenv("CASEFILE_LANG", lang)  # the desk is read with its policy: the language is chosen again
    i18n.use(lang)
    app = Board(BoardFeed(Desk.open(root, START, "li.na"), lambda: 0.0), me="li.na", poll_seconds=0.05)
    seen: dict[str, object] = {}

    async def run() -> None:
        async with app.run_test(size=(180, 30)) as pilot:
            await pilot.pause()
            seen["columns"] = [str(column.label) for column in app.query_one(DataTable).columns.values()]
            seen["heading"] = str(app.query_one("#heading").content)
            seen["keys"] = {b.key: b.description for (_, b, _, _) in app.screen.active_bindings.values()}
            seen["title"] = app.title
            seen["footer"] = app.query_one(Footer) is not None

    asyncio.run(run())
    return seen


def test_a_zh_board_after_an_en_board_each_in_its_language(desk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    en, zh = seen_on(desk, "en", monkeypatch), seen_on(desk, "zh", monkeypatch)
    assert en["columns"] == HEADINGS["en"]
    assert zh["columns"] == HEADINGS["zh"] and zh["columns"] != HEADINGS["en"]
    assert all(i18n.translate(word, "zh") != word for word in ("STATUS", "ASSIGNEE", "CUSTOMER", "LEFT", "PAGES"))
    assert str(en["heading"]).startswith("casefile board · demo · 2026-11-19 18:00:00 · 4 open · ")
    assert str(zh["heading"]).startswith(f"{i18n.translate('casefile board', 'zh')} · demo · 2026-11-19 18:00:00 · "
                                         f"{i18n.translate('{count} open', 'zh').format(count=4)} · ")
    assert en["keys"]["n"] == "Note" and en["keys"]["q"] == "Quit"  # type: ignore[index]
    assert zh["keys"]["n"] == i18n.translate("Note", "zh") != "Note"  # type: ignore[index]
    assert zh["keys"]["q"] == i18n.translate("Quit", "zh") != "Quit"  # type: ignore[index]
    assert zh["title"] == i18n.translate("casefile board", "zh") and en["title"] == "casefile board"
