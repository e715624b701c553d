"""`casefile board`: the live board of the open cases (a full-screen terminal view)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from casefile.cli.helptext import Command
from casefile.cli.options import desk_options
from casefile.i18n import _

if TYPE_CHECKING:
    from casefile.desk import Desk


@click.command(cls=Command)
@click.option("--mine", is_flag=True, help="Start with only the cases assigned to you (--as); `m` toggles it.")
@click.option("-l", "--level", metavar="LEVEL", help="Start with only this level; `l` steps through the levels.")
@click.option("--customer", metavar="ID", help="Start with only this customer's cases; `c` asks for another.")
@desk_options
def board(desk: Desk, mine: bool, level: str | None, customer: str | None) -> None:
    """Watch the open cases live: soonest deadline first, countdowns ticking, breaches and unacknowledged
    pages highlighted.

    With --now the board's clock starts at that time and runs on from there.  It reads the cases again
    whenever a commit lands (a `casefile sync` in another terminal, cron's `casefile check`, a note from
    the command line).  Keys: Enter or o opens the case, n adds a note, a assigns it, k acknowledges its
    page (each one commit, as `casefile note`, `assign` and `ack` make; a refusal shows at the bottom),
    m shows only your cases, l steps through the levels, c chooses a customer, r reads again, q quits.
    It needs a terminal: `casefile list --sort deadline` is the same list for a pipe or a script.

    \b
    Example:
        casefile board --as li.na
        casefile board --level A --customer sz-metro --now 2026-10-03T02:00+08:00
    """
    from casefile.board.app import Board
    from casefile.board.feed import BoardFeed
    from casefile.board.model import BoardFilter
    from casefile.errors import CasefileError

    feed = BoardFeed(desk)
    wanted = BoardFilter(mine, level.upper() if level else None, customer)
    if wanted.level is not None and wanted.level not in feed.levels:
        raise CasefileError(_("level {level!r} is not in the policy").format(level=level), _("use one of: {names}").format(names=', '.join(feed.levels)))
    try:
        me: str | None = feed.me()  # --as, else git's user: whose cases `m` shows, who `a` offers
    except CasefileError:
        if mine or feed.actor:
            raise  # --mine, or --as someone people.yaml lacks: refused here, not on the board
        me = None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise CasefileError(_("the board needs a terminal"),
                            _("run it in a terminal, or use `casefile list --sort deadline` in a pipe"))
    Board(feed, wanted, me).run()
