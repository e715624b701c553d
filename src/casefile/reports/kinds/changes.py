"""`report changes` (变更管理): the changes whose window lies in the period, their review, result, and
the KPI "users told of coming changes".

Pure.  A change is in the report when its window starts in the period.  Figures: by status and
result, reviewed ones (the expert review) and how many passed, and the affected customers told
before the window (the `notice` events `check` recorded) out of all the affected customers — the
service desk's KPI, as a share.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.changes.model import told_customers
from casefile.reports.model import Share
from casefile.reports.period import Period
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

STATUSES = ("planned", "approved", "rejected", "in-progress", "completed")
RESULTS = ("successful", "failed", "backed-out")


class ChangeRow(Struct, frozen=True):
    id: str
    title: str
    status: str
    risk: str
    start: datetime | None
    end: datetime | None
    customers: tuple[str, ...]
    told: tuple[str, ...]  # the customers told before the window
    approvals: int
    approvals_needed: int
    result: str | None
    requested_by: str | None
    problems: tuple[str, ...]


class ChangeFigures(Struct, frozen=True):
    changes: int
    by_status: dict[str, int]
    by_result: dict[str, int]
    reviewed: int  # needed the expert review
    rejected: int
    told: Share  # affected customers told before the window, of all affected (the KPI)
    successful: Share  # of the completed ones


class ChangesReport(Struct, frozen=True):
    figures: ChangeFigures
    changes: tuple[ChangeRow, ...]


def _when(value: Any) -> datetime | None:
    try:
        return parse_stored(str(value)) if value else None
    except ValueError:
        return None


def build(period: Period, changes: Sequence[Mapping[str, Any]], customer: str | None = None) -> ChangesReport:
    rows = []
    for data in changes:
        window = data.get("window") if isinstance(data.get("window"), Mapping) else {}
        assert isinstance(window, Mapping)
        start, end = _when(window.get("start")), _when(window.get("end"))
        customers = tuple(str(c) for c in data.get("customers") or [])
        if start is None or not period.contains(start) or (customer and customer not in customers):
            continue
        review = data.get("review") if isinstance(data.get("review"), Mapping) else {}
        assert isinstance(review, Mapping)
        approvals = {r.get("by") for r in data.get("reviews") or []
                     if isinstance(r, Mapping) and r.get("verdict") == "approve"}
        told = told_customers(data)
        shown = (customer,) if customer else customers
        rows.append(ChangeRow(
            str(data.get("id")), str(data.get("title") or ""), str(data.get("status")), str(data.get("risk")),
            start, end, shown, tuple(c for c in shown if c in told), len(approvals), int(review.get("approvals") or 0),
            str(data["result"]) if data.get("result") else None,
            str(data["requested_by"]) if data.get("requested_by") else None,
            tuple(str(p) for p in data.get("problems") or [])))
    rows.sort(key=lambda r: (r.start.isoformat() if r.start else "", r.id))
    statuses = Counter(r.status for r in rows)
    results = Counter(r.result for r in rows if r.result)
    completed = [r for r in rows if r.status == "completed"]
    figures = ChangeFigures(
        changes=len(rows),
        by_status={s: statuses[s] for s in STATUSES if statuses[s]},
        by_result={s: results[s] for s in RESULTS if results[s]},
        reviewed=sum(1 for r in rows if r.approvals_needed),
        rejected=statuses["rejected"],
        told=Share(sum(len(r.told) for r in rows if r.status != "rejected"),
                   sum(len(r.customers) for r in rows if r.status != "rejected")),
        successful=Share(sum(1 for r in completed if r.result == "successful"), len(completed)),
    )
    return ChangesReport(figures, tuple(rows))

