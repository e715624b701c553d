"""How often something recurs: calendar periods and the planned day in each.

Inspections (seed 001: at least once a quarter) and scheduled satisfaction
surveys (seed 004) recur per calendar period.  A cadence names the period and,
optionally, the day in it:

    quarterly                        one per quarter, due by its last day
    monthly | half-yearly | yearly   the same for other periods
    second Monday of each month      planned on that day (first..fourth, last)
    last Friday of each quarter      counted back from the period's end
    day 10 of each month             a day number within the period

Periods have stable keys — `2026-11`, `2026-Q4`, `2026-H2`, `2026` — that make
the ids of planned records, so every clone names the same period the same way.
Pure values: dates in, dates out; no clock.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import StrEnum

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct


class PeriodUnit(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half-year"
    YEAR = "year"


MONTHS_IN = {PeriodUnit.MONTH: 1, PeriodUnit.QUARTER: 3, PeriodUnit.HALF: 6, PeriodUnit.YEAR: 12}
_ADJECTIVES = {
    "monthly": PeriodUnit.MONTH,
    "quarterly": PeriodUnit.QUARTER,
    "half-yearly": PeriodUnit.HALF,
    "yearly": PeriodUnit.YEAR,
    "annually": PeriodUnit.YEAR,
    "每月": PeriodUnit.MONTH,
    "每季度": PeriodUnit.QUARTER,
    "每半年": PeriodUnit.HALF,
    "每年": PeriodUnit.YEAR,
}
_NOUNS = {
    "month": PeriodUnit.MONTH,
    "quarter": PeriodUnit.QUARTER,
    "half-year": PeriodUnit.HALF,
    "year": PeriodUnit.YEAR,
}
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
_WEEKDAYS = {name.lower(): index for index, name in enumerate(calendar.day_name)}
_UNIT = r"(?:of\s+)?(?:each|every)\s+(?P<unit>month|quarter|half-year|year)"
_WEEKDAY_RE = re.compile(rf"^(?P<ord>\w+)\s+(?P<weekday>[a-z]+)\s+{_UNIT}$")
_DAY_RE = re.compile(rf"^day\s+(?P<day>\d{{1,3}})\s+{_UNIT}$")
_PERIOD_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:Q(?P<q>[1-4])|H(?P<h>[12])|(?P<m>0[1-9]|1[0-2])))?$")

EXAMPLES = (
    "quarterly, monthly, 'second Monday of each month', 'last Friday of each quarter', 'day 10 of each month'"
)


class BadCadence(CasefileError):
    def __init__(self, text: str, why: str = "") -> None:
        super().__init__(_("cannot read the cadence {text!r}{value}").format(text=text, value=': ' + why if why else ''), f"e.g. {EXAMPLES}")


class BadPeriod(CasefileError):
    def __init__(self, text: str) -> None:
        super().__init__(_("{text!r} is not a period").format(text=text), _("periods look like 2026-Q4, 2026-11, 2026-H2 or 2026"))


class Period(Struct, frozen=True, order=True):
    """One calendar period: `index` is the month, quarter or half (1-based); 1 for a year."""

    year: int
    index: int
    unit: PeriodUnit

    @classmethod
    def containing(cls, unit: PeriodUnit, day: date) -> Period:
        return cls(day.year, (day.month - 1) // MONTHS_IN[unit] + 1, unit)

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PERIOD_KEY.match(text.strip().upper())
        if not match:
            raise BadPeriod(text)
        year = int(match["year"])
        if match["q"]:
            return cls(year, int(match["q"]), PeriodUnit.QUARTER)
        if match["h"]:
            return cls(year, int(match["h"]), PeriodUnit.HALF)
        if match["m"]:
            return cls(year, int(match["m"]), PeriodUnit.MONTH)
        return cls(year, 1, PeriodUnit.YEAR)

    @property
    def key(self) -> str:
        if self.unit is PeriodUnit.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.unit is PeriodUnit.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.unit is PeriodUnit.HALF:
            return f"{self.year}-H{self.index}"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.key

    @property
    def start(self) -> date:
        return date(self.year, (self.index - 1) * MONTHS_IN[self.unit] + 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        return self.next().start - timedelta(days=1)

    def next(self) -> Period:
        per_year = 12 // MONTHS_IN[self.unit]
        if self.index == per_year:
            return Period(self.year + 1, 1, self.unit)
        return Period(self.year, self.index + 1, self.unit)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


class Cadence(Struct, frozen=True):
    """A period unit and where in each period the planned day falls."""

    unit: PeriodUnit
    text: str
    ordinal: int | None = None  # 1..4 from the start, -1 the last; with weekday
    weekday: int | None = None  # 0 = Monday
    day: int | None = None  # day number within the period (1 = its first day)

    @classmethod
    def parse(cls, text: str) -> Cadence:
        spoken = " ".join(text.strip().lower().split())
        if spoken in _ADJECTIVES:
            return cls(_ADJECTIVES[spoken], spoken)
        match = _WEEKDAY_RE.match(spoken)
        if match:
            if match["ord"] not in _ORDINALS:
                raise BadCadence(text, _("{ord!r} is not first, second, third, fourth or last").format(ord=match['ord']))
            if match["weekday"] not in _WEEKDAYS:
                raise BadCadence(text, _("{weekday!r} is not a day of the week").format(weekday=match['weekday']))
            return cls(
                _NOUNS[match["unit"]],
                spoken,
                ordinal=_ORDINALS[match["ord"]],
                weekday=_WEEKDAYS[match["weekday"]],
            )
        match = _DAY_RE.match(spoken)
        if match:
            unit = _NOUNS[match["unit"]]
            day = int(match["day"])
            shortest = {
                PeriodUnit.MONTH: 28,
                PeriodUnit.QUARTER: 90,
                PeriodUnit.HALF: 181,
                PeriodUnit.YEAR: 365,
            }[unit]
            if not 1 <= day <= shortest:
                raise BadCadence(text, _("day {day} does not exist in every {unit} (1..{shortest})").format(day=day, unit=unit, shortest=shortest))
            return cls(unit, spoken, day=day)
        raise BadCadence(text)

    @property
    def has_planned_day(self) -> bool:
        return self.weekday is not None or self.day is not None

    def period_of(self, day: date) -> Period:
        return Period.containing(self.unit, day)

    def planned_on(self, period: Period) -> date:
        """The planned day in `period`: its first day unless the cadence names one."""
        if self.day is not None:
            return period.start + timedelta(days=self.day - 1)
        if self.weekday is None or self.ordinal is None:
            return period.start
        if self.ordinal > 0:
            first = period.start + timedelta(days=(self.weekday - period.start.weekday()) % 7)
            return first + timedelta(weeks=self.ordinal - 1)
        last = period.end - timedelta(days=(period.end.weekday() - self.weekday) % 7)
        return last

    def __str__(self) -> str:
        return self.text
