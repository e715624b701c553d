"""`CaseSla.next_change`: until that moment an evaluation reads the same (but for the working
time counted), so `list` and `check` may keep it in the record index until then."""

from __future__ import annotations

from datetime import datetime, timedelta

from casefile.index.catalog import Catalog
from casefile.session import Session
from casefile.sla.work import ServiceLevels, row_sla
from clihelp import CLI


def _cases(cli: CLI) -> None:
    """Cases of every level opened on Fri 2026-11-20, some paused, resolved, reopened."""
    a = cli.open("Core switch down", "A", "--assign", "ma.qiang", now="2026-11-20T02:00:00+08:00")
    b = cli.open("ERP slow", "B", "--assign", "zhou.min", now="2026-11-20T09:00:00+08:00")
    c = cli.open("Printer offline", "C", now="2026-11-20T16:30:00+08:00")
    d = cli.open("VPN question", "D", "--type", "consultation", now="2026-11-20T17:30:00+08:00")
    complaint = cli.open("Nobody called back", "C", "--type", "complaint", now="2026-11-20T11:00:00+08:00")
    cli("respond", b, "-m", "On it.", now="2026-11-20T09:20:00+08:00")
    cli("pend", b, "--reason", "Waiting for the DBA", now="2026-11-20T10:00:00+08:00")
    cli("resolve", a, "-m", "PSU replaced.", now="2026-11-20T03:30:00+08:00")
    cli("respond", c, "-m", "Will look on Monday.", now="2026-11-20T17:00:00+08:00")
    cli("resolve", c, "-m", "Cleared the queue.", now="2026-11-23T10:00:00+08:00")
    cli("reopen", c, "--reason", "E-04 again", now="2026-11-23T11:00:00+08:00")
    assert d and complaint


def _reading(levels: ServiceLevels, data: dict, at: datetime) -> tuple:  # type: ignore[type-arg]
    sla = levels.of(data, at)
    return (
        row_sla(sla, levels.session.policy.zone),
        sorted(a.key for a in sla.new_alerts()),
        sorted((a.key, a.page_at) for a in sla.deferred_alerts()),
        sorted(c.name for c in sla.breached),
    )


def test_an_evaluation_reads_the_same_until_its_next_change(cli: CLI) -> None:
    _cases(cli)
    desk = Session.open(cli.repo, now="2026-11-24T09:00:00+08:00")
    levels = ServiceLevels(desk)
    cases = [e.data for e in Catalog(cli.repo).cases(lambda error: None)]
    start = datetime.fromisoformat("2026-11-20T02:00:00+08:00")
    checked = changed = 0
    for data in cases:
        at = start
        while at < start + timedelta(days=6):
            sla = levels.of(data, at)
            until = sla.next_change()
            end = until or at + timedelta(days=2)
            before = _reading(levels, data, at)
            for fraction in (0.25, 0.5, 0.99):
                moment = at + (end - at) * fraction
                if moment < end:
                    assert _reading(levels, data, moment) == before, (data["id"], at, moment, until)
                    checked += 1
            if until is None:
                break
            changed += _reading(levels, data, until) != before
            at = until
    assert checked > 50 and changed > 10  # the windows are real, and they do end
