"""`report problems` (问题管理): the problems active in the period, and the figures of the period.

Pure.  A problem is in the report when it was opened before the period ended and was not closed
before it began.  Figures: opened, became a known error, resolved and closed in the period; open at
its end by status; the incidents each links (those opened in the period counted apart).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from casefile.reports.period import Period
from casefile.values import Struct
from casefile.worktime.clock import parse_stored

STATUSES = ("open", "known-error", "resolved", "closed")


class ProblemRow(Struct, frozen=True):
    id: str
    title: str
    status: str
    customer: str | None
    category: str | None
    asset: str | None
    opened_at: datetime | None
    known_error_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    root_cause: str | None
    workaround: str | None
    article: str | None
    incidents: tuple[str, ...]
    incidents_in_period: int


class ProblemFigures(Struct, frozen=True):
    opened: int
    known_errors: int  # became a known error in the period
    resolved: int
    closed: int
    active: int  # not resolved or closed at the end of the period
    by_status: dict[str, int]


class ProblemsReport(Struct, frozen=True):
    figures: ProblemFigures
    problems: tuple[ProblemRow, ...]


def _when(value: Any) -> datetime | None:
    try:
        return parse_stored(str(value)) if value else None
    except ValueError:
        return None


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value) if value not in (None, "") else None


def build(period: Period, problems: Sequence[Mapping[str, Any]], received: Sequence[str],
          customer: str | None = None) -> ProblemsReport:
    """`problems`: front matter of every problem; `received`: the ids of the cases opened in the period."""
    wanted = set(received)
    rows = []
    for data in problems:
        if customer and data.get("customer") != customer:
            continue
        opened, closed = _when(data.get("opened_at")), _when(data.get("closed_at"))
        if opened is None or opened >= period.end or (closed is not None and closed < period.start):
            continue
        incidents = tuple(str(i) for i in data.get("incidents") or [])
        rows.append(ProblemRow(
            str(data.get("id")), str(data.get("title") or ""), str(data.get("status")), _text(data, "customer"),
            _text(data, "category"), _text(data, "asset"), opened, _when(data.get("known_error_at")),
            _when(data.get("resolved_at")), closed, _text(data, "root_cause"), _text(data, "workaround"),
            _text(data, "article"), incidents, sum(1 for i in incidents if i in wanted)))
    rows.sort(key=lambda r: r.id)

    def within(value: datetime | None) -> bool:
        return value is not None and period.contains(value)

    statuses = Counter(r.status for r in rows)
    figures = ProblemFigures(
        opened=sum(1 for r in rows if within(r.opened_at)),
        known_errors=sum(1 for r in rows if within(r.known_error_at)),
        resolved=sum(1 for r in rows if within(r.resolved_at)),
        closed=sum(1 for r in rows if within(r.closed_at)),
        active=sum(1 for r in rows if r.status in ("open", "known-error")),
        by_status={s: statuses[s] for s in STATUSES if statuses[s]},
    )
    return ProblemsReport(figures, tuple(rows))
