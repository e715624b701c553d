"""What every report has: its kind, its heading, shares and counts per day.

Pure values.  A report is a `Header` and a body (a frozen value built by
the kind's module: `bulletin`, `casestats`, `slacompliance`, `scorecards`,
`deskkpis`, `surveyresults`, `inspectionstatus`); `reportjson` turns both
into the documented JSON shape, which is also what the templates render.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from casefile.reports.period import Period
from casefile.sla.engine import CaseSla
from casefile.values import Struct


class ReportKind(StrEnum):
    MONTHLY = "monthly"
    STATS = "stats"
    SLA = "sla"
    ENGINEERS = "engineers"
    DESK = "desk"
    SURVEYS = "surveys"
    INSPECTIONS = "inspections"
    PROBLEMS = "problems"
    CHANGES = "changes"


class Share(Struct, frozen=True):
    """`part` of `whole`; no share of nothing."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None


class DayCount(Struct, frozen=True):
    day: date
    count: int


class Skipped(Struct, frozen=True):
    path: str
    reason: str


class CountedWith(Struct, frozen=True):
    """A case left out of the figures because it is counted with another: a duplicate, or an affected
    caller of a major incident (issue 14)."""

    case: str
    title: str
    rel: str  # duplicate-of or parent
    counted_with: str


class CaseWithSla(Struct, frozen=True):
    """A case's front matter and its clocks (None: they could not be computed)."""

    data: Mapping[str, Any]
    sla: CaseSla | None


class Header(Struct, frozen=True):
    kind: ReportKind
    desk: str
    period: Period
    customer: str | None
    customer_name: str | None
    generated_at: datetime
    skipped: tuple[Skipped, ...] = ()
    counted_with: tuple[CountedWith, ...] = ()


class Report(Struct, frozen=True):
    header: Header
    body: Any  # the kind's value (a frozen Struct)


def per_day(period: Period, moments: Iterable[datetime]) -> tuple[DayCount, ...]:
    """How many of `moments` fell on each day of the period (desk's zone)."""
    return day_counts(period, Counter(moment.astimezone(period.zone).date() for moment in moments))


def day_counts(period: Period, counts: Mapping[date, int]) -> tuple[DayCount, ...]:
    """Counts per day already made, for every day of the period."""
    return tuple(DayCount(day, counts.get(day, 0)) for day in period.days())


def mean(values: Iterable[timedelta]) -> timedelta | None:
    found = list(values)
    if not found:
        return None
    return timedelta(seconds=round(sum(v.total_seconds() for v in found) / len(found)))


def median(values: Iterable[timedelta]) -> timedelta | None:
    found = sorted(values)
    if not found:
        return None
    middle = len(found) // 2
    if len(found) % 2:
        return found[middle]
    return timedelta(seconds=round((found[middle - 1] + found[middle]).total_seconds() / 2))
