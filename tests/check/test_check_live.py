"""`check` decides which closed cases still owe a clock (issue 17): the per-run lookup of the clocks that
start at the restore gives the same answer as asking the policy for every case, as it did before."""

from __future__ import annotations

import copy
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from casefile.check.cases import CaseAlerts
from casefile.records.file import read_plain
from casefile.session import Session
from casefile.sla.engine import UNDOABLE
from casefile.sla.facts import service_of
from casefile.sla.work import SlaUnavailable

ROOT = Path(__file__).resolve().parents[2]


def _live_as_before(alerts: CaseAlerts, data: Mapping[str, Any]) -> bool:
    """The decision as 64d6a44 made it: the service looked up for every closed case."""
    if data.get("status") != "closed":
        return True
    try:
        rule, coverage = service_of(data)
        service = alerts.levels.policy_of(data).sla.service(str(data.get("level")), str(data.get("type") or ""),
                                                            rule, coverage)
    except Exception as error:  # noqa: BLE001
        raise SlaUnavailable(str(error)) from None
    kinds = {str(event.get("kind")) for event in data.get("events") or [] if isinstance(event, Mapping)}
    keys = {str((event.get("fields") or {}).get("key")) for event in data.get("events") or []
            if isinstance(event, Mapping) and isinstance(event.get("fields"), Mapping)}
    return any(target.clock.start in UNDOABLE and not kinds & set(target.clock.stop)
               and f"breach/{target.clock.name}" not in keys for target in service.targets)


def _outcome(decide: Any, data: Mapping[str, Any]) -> object:
    try:
        return decide(data)
    except Exception as error:  # noqa: BLE001 - both must fail the same way
        return type(error).__name__


def _variants(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The case as it is, and closed at every level and type, with and without a report or a breach key,
    with events of odd shapes."""
    found = []
    events = [e for e in data.get("events") or [] if isinstance(e, dict)]
    for level in ("A", "B", "C", "D", "Z"):
        for kind in (data.get("type"), "incident", "request", "complaint", None):
            base = {**copy.deepcopy(data), "status": "closed", "level": level, "type": kind}
            found.append(base)
            found.append({**base, "events": [e for e in events if e.get("kind") != "report"]})
            found.append({**base, "events": [*events, {"kind": "report", "at": "2026-11-19T10:00:00+08:00"}]})
            found.append({**base, "events": [*events, {"kind": "check", "fields": {"key": "breach/incident-report"}}]})
    for odd in (None, [], 5, "text", {"kind": "report"}, [1, "x", {"fields": 3}], [{"fields": {"key": None}}]):
        found.append({**data, "status": "closed", "level": "A", "events": odd})
        found.append({**data, "status": "closed", "level": "D", "events": odd})
    found.append({**data, "status": "closed", "service": {"rule": "no-such-rule"}})
    found.append({**data, "status": "closed", "policy": "0" * 40})
    return [data, *found]


def _same(session: Session, records: list[dict[str, Any]]) -> int:
    alerts = CaseAlerts(session)
    oracle = CaseAlerts(session)
    compared = 0
    for data in records:
        for variant in _variants(data):
            assert _outcome(alerts._live, variant) == _outcome(lambda d: _live_as_before(oracle, d), variant), variant
            compared += 1
    return compared


def test_closed_cases_of_the_demo_desk_owe_the_same_clocks(demo_day: tuple[Path, list[str]]) -> None:
    desk, _ = demo_day
    session = Session.open(desk, now="2026-11-20T10:00:00+08:00", notes=lambda _note: None)
    records = [read_plain(p.read_text(encoding="utf-8"), str(p))[0] for p in sorted((desk / "cases").rglob("*.md"))]
    assert len(records) >= 5
    live = [d for d in records if d.get("status") == "closed" and CaseAlerts(session)._live(d)]
    assert _same(session, records) > 500
    assert live == [d for d in records if d.get("status") == "closed" and _live_as_before(CaseAlerts(session), d)]


def test_closed_cases_of_the_bench_corpus_owe_the_same_clocks(demo_day: tuple[Path, list[str]]) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.casegen import CaseFactory
    finally:
        sys.path.remove(str(ROOT))
    desk, _ = demo_day
    session = Session.open(desk, now="2026-11-20T10:00:00+08:00", notes=lambda _note: None)
    factory = CaseFactory(300, 30, "f5c1c8ac4b9118bc3939a1730c52085ed609c255")
    records = [read_plain(factory.build(i).text, "case")[0] for i in range(300)]
    decided = {_live_as_before(CaseAlerts(session), {**d, "status": "closed"}) for d in records}
    assert decided == {True, False}  # the corpus has both: closed cases that owe a report and ones that do not
    assert _same(session, records[:40]) > 1000
