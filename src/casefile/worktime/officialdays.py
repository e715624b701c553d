"""Official working days of a country: statutory holidays and make-up days.

This is the only module that knows the holiday library (STYLE: one owner per
dependency).  It answers one question per date: is it an official working day,
and why (ordinary weekday, weekend, statutory holiday with its name, or a
make-up working day, 调休).

Library choice for China — measured with chinese-calendar 1.11.0 and
python-holidays 0.109 (see also shared/LIBRARY-FACTS.md):

* ``chinese_calendar`` covers 2004–2026 with make-up working days
  (``workdays``), days off in lieu (``in_lieu_days``) and English/Chinese
  holiday names; for 2027 it raises ``NotImplementedError: no available data
  for year 2027, only year between [2004, 2026] supported``.
* ``holidays.China`` agrees with it day by day for 2024–2026 (including
  ``weekend_workdays`` and ``is_working_day()``), but for 2027 it returns 19
  holidays *computed by rule* (e.g. 2027-02-09/10 "Spring Festival (observed)"),
  with no make-up working days and no warning — a silent guess.

SPEC section 3 wants an unknown year to be a loud error, never a guess, so
casefile uses ``chinese_calendar`` and turns its refusal into `MissingYear`.

Official days are facts, not policy: a repository adds the years the package
does not know yet (`calendars/official/CN.yaml`, written by `casefile calendar
import-notice` from the State Council's notice) and `AddedDays` lays them over
the package's data, for every calendar that says ``holidays: CN``.  A calendar
may also declare a year itself (`DeclaredYear`, policy ``calendars.X.years``):
that is the desk's own replacement of the whole year for that calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum
from functools import cache, cached_property, lru_cache
from typing import Protocol

from casefile.errors import CasefileError
from casefile.i18n import _
from casefile.values import Struct

SATURDAY, SUNDAY = 5, 6
_RANGE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})")


class DayKind(StrEnum):
    """The official (or policy) status of a date, before a desk's own hours."""

    WORKDAY = "workday"  # an ordinary working weekday
    WEEKEND = "weekend"  # an ordinary weekend day
    HOLIDAY = "holiday"  # statutory holiday, or a day off in lieu (调休放假)
    MAKEUP_WORKDAY = "makeup_workday"  # a weekend day announced as working (调休上班)
    EXTRA_DAY_OFF = "extra_day_off"  # policy `extra_days_off`
    EXTRA_WORKING_DAY = "extra_working_day"  # policy `extra_working_days`


class OfficialDay(Struct, frozen=True):
    """What the official calendar says about one date."""

    day: date
    kind: DayKind
    name: str | None = None  # English name of the holiday this day belongs to
    name_zh: str | None = None  # Chinese name, when known
    in_lieu: bool = False  # a weekday off in exchange for a make-up working day
    source: str = ""  # where the answer came from, for `casefile explain`

    @property
    def working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.EXTRA_WORKING_DAY)


class OfficialDays(Protocol):
    """A country's official calendar for the years it knows."""

    @property
    def country(self) -> str: ...

    @property
    def publisher(self) -> str:
        """Who announces the days and when, for the MissingYear hint."""
        ...

    @property
    def package(self) -> str:
        """What to upgrade for newer years, for the MissingYear hint."""
        ...

    def covers(self, year: int) -> bool: ...

    def day(self, day: date) -> OfficialDay:
        """Only for a covered year."""
        ...

    def source_of(self, year: int) -> str:
        """Where a covered year's days come from, for `casefile calendar status`."""
        ...

    def known_years(self) -> Iterable[int]:
        """Every year it has data for."""
        ...


IMPORT_COMMAND = "casefile calendar import-notice NOTICE.txt --commit"


def missing_year_fix(year: int, publisher: str, package: str) -> str:
    """How a desk adds a year's official days: the words of every hint that names a missing year."""
    return _("{publisher}; add {year} once with `{command}`, or upgrade {package}").format(
        publisher=publisher, year=year, command=IMPORT_COMMAND, package=package)


class MissingYear(CasefileError):
    """No official working days for a year: never guess Monday to Friday (SPEC 3)."""

    def __init__(self, calendar: str, year: int, publisher: str, package: str) -> None:
        super().__init__(
            _("calendar {calendar} has no official working days for {year}").format(calendar=calendar, year=year),
            missing_year_fix(year, publisher, package),
        )
        self.calendar = calendar
        self.year = year


class PolicyDateError(CasefileError):
    """A date list in the policy that cannot be read."""


class ChinaOfficialDays(Struct, frozen=True, dict=True):
    """China's official calendar from ``chinese_calendar`` (imported on first use)."""

    country: str = "CN"
    publisher: str = "the State Council publishes them around November"
    package: str = "chinese-calendar"

    @cached_property
    def _covered(self) -> dict[int, bool]:
        return {}

    def covers(self, year: int) -> bool:
        if year not in self._covered:
            import chinese_calendar

            try:
                # The library refuses years it has no notice for: that refusal
                # is exactly what we want to surface as MissingYear.
                chinese_calendar.is_workday(date(year, 1, 1))
            except NotImplementedError:
                self._covered[year] = False
            else:
                self._covered[year] = True
        return self._covered[year]

    def known_years(self) -> range:
        """The years the package has data for (2004–2026 in chinese-calendar 1.11.0)."""
        import chinese_calendar

        years = {day.year for day in chinese_calendar.holidays}
        first, last = min(years), max(years)
        while first > 1900 and self.covers(first - 1):
            first -= 1
        while self.covers(last + 1):
            last += 1
        return range(first, last + 1)

    def source_of(self, year: int) -> str:
        return data_version()

    def day(self, day: date) -> OfficialDay:
        import chinese_calendar

        source = f"chinese-calendar {chinese_calendar.__version__}"
        weekend = day.weekday() >= SATURDAY
        if day in chinese_calendar.workdays:
            # e.g. 2025-01-26 (Sun), 2026-02-14 (Sat): 调休 working days.
            name = chinese_calendar.workdays[day]
            kind = DayKind.MAKEUP_WORKDAY if weekend else DayKind.WORKDAY
            return OfficialDay(day, kind, name, _chinese_name(name), source=source)
        if day in chinese_calendar.holidays:
            name = chinese_calendar.holidays[day]
            in_lieu = day in chinese_calendar.in_lieu_days
            return OfficialDay(
                day, DayKind.HOLIDAY, name, _chinese_name(name), in_lieu=in_lieu, source=source
            )
        return OfficialDay(day, DayKind.WEEKEND if weekend else DayKind.WORKDAY, source=source)


def _chinese_name(english: str) -> str | None:
    import chinese_calendar

    try:
        return str(chinese_calendar.Holiday(english).chinese)
    except ValueError:
        return None


# The festivals of the State Council's notices, with chinese-calendar's English names.
FESTIVALS = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Tomb-sweeping Day",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival",
    "国庆节": "National Day",
}
_SHORT_FESTIVALS = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节", "国庆": "国庆节", "劳动": "劳动节"}


@cache
def _cjk() -> re.Pattern[str]:
    """Compiled when a day's name is first read (a CJK range takes re ~4 ms to compile)."""
    return re.compile(r"[\u3400-\u9fff]")


def festival_names(text: str | None) -> tuple[str | None, str | None]:
    """(English, Chinese) of a day's name as written: 春节 -> Spring Festival; 国庆节、中秋节 -> both."""
    if not text:
        return None, None
    if not _cjk().search(text):
        return text, None
    parts = [part.strip() for part in re.split(r"[、,，/]", text) if part.strip()]
    english = [FESTIVALS.get(_SHORT_FESTIVALS.get(part, part)) for part in parts]
    if all(english):
        return ", ".join(name for name in english if name), text
    return None, text


class DeclaredYear(Struct, frozen=True):
    """A year's official days written down: in the policy (`calendars.X.years.YYYY`) or in the
    repository's official-days file (`calendars/official/CN.yaml`).

    Authoritative for its year: Saturday and Sunday are off, ``days_off`` are
    off, ``working_days`` are on; nothing is taken from the library.  A notice's
    New Year days may fall in the December before (the 2019 notice gave
    2018-12-30..2019-01-01 off and 2018-12-29 as a working day), so the lists
    may hold days of another year too; those are answered by `AddedDays`.
    """

    year: int
    days_off: Mapping[date, str | None]
    working_days: Mapping[date, str | None]
    source: str = ""

    def __hash__(self) -> int:
        return hash((self.year, frozenset(self.days_off), frozenset(self.working_days)))

    def lists(self, day: date) -> bool:
        return day in self.days_off or day in self.working_days

    def day(self, day: date) -> OfficialDay:
        weekend = day.weekday() >= SATURDAY
        if day in self.days_off:
            name, name_zh = festival_names(self.days_off[day])
            return OfficialDay(day, DayKind.HOLIDAY, name, name_zh, source=self.source)
        if day in self.working_days:
            kind = DayKind.MAKEUP_WORKDAY if weekend else DayKind.WORKDAY
            name, name_zh = festival_names(self.working_days[day])
            return OfficialDay(day, kind, name, name_zh, source=self.source)
        return OfficialDay(day, DayKind.WEEKEND if weekend else DayKind.WORKDAY, source=self.source)


class AddedDays(Struct, frozen=True):
    """A country's official days: the repository's own years laid over the package's.

    A year the repository has (`added`) is answered from it — it wins over the
    package, which also lets a desk correct package data; a day a notice lists
    in another year (New Year days in the December before) is answered from that
    notice too.  Every other year comes from the package, or is missing.
    """

    base: OfficialDays
    added: tuple[DeclaredYear, ...] = ()

    @property
    def country(self) -> str:
        return self.base.country

    @property
    def publisher(self) -> str:
        return self.base.publisher

    @property
    def package(self) -> str:
        return self.base.package

    def covers(self, year: int) -> bool:
        return any(added.year == year for added in self.added) or self.base.covers(year)

    def day(self, day: date) -> OfficialDay:
        for added in self.added:
            if added.year == day.year or added.lists(day):
                return added.day(day)
        return self.base.day(day)

    def source_of(self, year: int) -> str:
        for added in self.added:
            if added.year == year:
                return added.source
        return self.base.source_of(year)

    def known_years(self) -> Iterable[int]:
        return sorted({*self.base.known_years(), *(added.year for added in self.added)})


COUNTRIES: dict[str, type[ChinaOfficialDays]] = {"CN": ChinaOfficialDays}


@lru_cache(maxsize=1)
def data_version() -> str:
    """The version of the package's holiday data, for caches of computed deadlines (a new release
    may correct a year's days; the repository's own years add their file's version, see
    `policy.official`).  The package's own `__version__` (it is loaded to compute any deadline):
    asking `importlib.metadata` instead cost ~10 ms of every `check`."""
    import chinese_calendar

    return f"chinese-calendar {getattr(chinese_calendar, '__version__', 'unknown')}"


def official_days(country: str) -> OfficialDays | None:
    """The official calendar for a country code, or None if casefile has none."""
    factory = COUNTRIES.get(country.upper())
    return factory() if factory else None


def parse_dates(value: object, where: str) -> dict[date, str | None]:
    """Read a policy date list into {date: name}.

    Accepts a list of dates, or a mapping {date: name}; a date is a YAML date
    or a string ``2026-02-14``, and ``2027-10-01..2027-10-07`` is an inclusive
    range.  ``where`` is the policy key for error messages.
    """
    if value is None:
        return {}
    if isinstance(value, Mapping):
        items = [(key, name) for key, name in value.items()]
    elif isinstance(value, list | tuple):
        items = [(key, None) for key in value]
    else:
        raise PolicyDateError(_("{where}: expected a list of dates, got {value!r}").format(where=where, value=value))
    result: dict[date, str | None] = {}
    for key, name in items:
        if name is not None and not isinstance(name, str):
            raise PolicyDateError(_("{where}: the name of {key} must be text, got {name!r}").format(where=where, key=key, name=name))
        for day in _parse_date_item(key, where):
            result[day] = name
    return result


def _parse_date_item(item: object, where: str) -> list[date]:
    # YAML (both 1.1 and 1.2 resolvers) reads an unquoted 2026-02-14 as a date.
    if isinstance(item, date) and not hasattr(item, "hour"):
        return [item]
    if isinstance(item, str):
        text = item.strip()
        span = _RANGE_RE.fullmatch(text)
        if span:
            first, last = _iso_date(span[1], where), _iso_date(span[2], where)
            if last < first:
                raise PolicyDateError(_("{where}: range {item!r} ends before it starts").format(where=where, item=item))
            return [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return [_iso_date(text, where)]
    raise PolicyDateError(
        _("{where}: {item!r} is not a date (write 2026-02-14 or 2026-10-01..2026-10-07)").format(where=where, item=item)
    )


def _iso_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PolicyDateError(
            _("{where}: {text!r} is not a date (write 2026-02-14 or 2026-10-01..2026-10-07)").format(where=where, text=text)
        ) from None
