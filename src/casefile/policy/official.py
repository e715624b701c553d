"""The repository's own official days: `calendars/official/<COUNTRY>.yaml`, one file per country.

Official days — statutory days off and the announced make-up working days (调休) — are facts, not policy
(SPEC 3).  The package (chinese-calendar) knows the years up to its release; a desk adds a newer year once,
in this file, from the State Council's notice (`casefile calendar import-notice`), and every calendar that
says ``holidays: CN`` reads it, for every case, whatever policy version the case was opened under.  It is
read from the work tree, like policy.yaml, and `validate` and the hooks check it.

    # calendars/official/CN.yaml
    country: CN
    years:
      2027:
        notice: 国务院办公厅关于2027年部分节假日安排的通知
        document: 国办发明电〔2026〕7号      # optional, as the notice gives them
        signed: 2026-11-10                  # optional
        days_off:
          2027-01-01..2027-01-03: 元旦
          2027-02-05..2027-02-12: 春节
        working_days:
          2027-02-20: 春节

A year here replaces the package's data for that year (Saturday and Sunday off, `days_off` off,
`working_days` on), so a desk can also correct a year the package has wrong.  The day lists take the
forms of the policy's (a list, `2027-10-01..2027-10-07` ranges, or `{date: name}`); the days of a
notice's New Year may lie in the December before (written there with their year).

Which wins for a date, most specific first: a calendar's own `extra_days_off` / `extra_working_days`, then
its own `years.YYYY` in the policy version the case was opened under (the desk's replacement of a whole
year for that calendar), then this file, then the package.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casefile.git.objects import blob_id
from casefile.policy.model import Policy
from casefile.records.yamlio import RecordError, dump, load_editable, load_plain, new_map
from casefile.values import Struct
from casefile.worktime.calendar import WorkCalendar
from casefile.worktime.officialdays import (
    COUNTRIES,
    IMPORT_COMMAND,
    AddedDays,
    DeclaredYear,
    OfficialDays,
    PolicyDateError,
    data_version,
    official_days,
    parse_dates,
)
from casefile.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from casefile.worktime.notice import Notice

OFFICIAL_FOLDER = "calendars/official"
_PATH = re.compile(rf"^{OFFICIAL_FOLDER}/([^/]+)\.yaml$")
_YEAR_KEYS = ("notice", "document", "signed", "days_off", "working_days")

COUNTRY_NAMES = {"CN": "China"}
HEADER = """\
# {name}'s official days off and make-up working days (调休), by year, from the
# State Council General Office's notices (国务院办公厅关于YYYY年部分节假日安排的通知).
#
# Official days are facts, not policy: every calendar with `holidays: {country}` reads
# this file, for every case, whatever policy version it was opened under.  A year
# here replaces the holiday package's data for that year.  A calendar's own
# `extra_days_off`/`extra_working_days` and `years` in policy.yaml win over it.
#
# Add a year from the notice's text:
#     casefile calendar import-notice NOTICE.txt            (shows what it read)
#     casefile calendar import-notice NOTICE.txt --commit   (writes it here, one commit)
"""


def official_path(country: str) -> str:
    return f"{OFFICIAL_FOLDER}/{country.upper()}.yaml"


def is_official_path(path: str) -> bool:
    return bool(_PATH.match(path))


class OfficialYear(Struct, frozen=True):
    """One year of the file: its days and the notice they were read from."""

    year: int
    days: DeclaredYear
    notice: str | None = None


class OfficialFile(Struct, frozen=True):
    country: str
    path: str
    years: tuple[OfficialYear, ...]
    version: str  # the blob id of the file's text: cached clocks are computed afresh when it changes

    def year(self, year: int) -> OfficialYear | None:
        return next((found for found in self.years if found.year == year), None)


def parse_official(text: str, path: str) -> OfficialFile:
    """Read one country's file; a mistake is a `RecordError` naming the file, the key and its line."""
    named = _PATH.match(path)
    country = named[1] if named else ""
    if country not in COUNTRIES:
        raise RecordError(path, None, _("casefile has no official calendar for {country!r}").format(country=country),
                          _("known: {names} ({OFFICIAL_FOLDER}/CN.yaml)").format(names=', '.join(COUNTRIES), OFFICIAL_FOLDER=OFFICIAL_FOLDER))
    data = load_plain(text, path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise RecordError(path, 1, _("expected a mapping with country and years"))
    unknown = sorted(str(key) for key in data if key not in ("country", "years"))
    if unknown:
        raise RecordError(path, _line(text, path, (unknown[0],)), _("unknown key {value!r} (known: country, years)").format(value=unknown[0]))
    if data.get("country", country) != country:
        raise RecordError(path, _line(text, path, ("country",)),
                          _("country: {get!r} in the file of {country}").format(get=data.get('country'), country=country), _("write country: {country}").format(country=country))
    years = data.get("years") or {}
    if not isinstance(years, dict):
        raise RecordError(path, _line(text, path, ("years",)), _("years: expected a mapping of years"))
    found = tuple(sorted((_year(text, path, key, body) for key, body in years.items()), key=lambda y: y.year))
    return OfficialFile(country, path, found, blob_id(text.encode("utf-8")))


def _year(text: str, path: str, key: object, body: object) -> OfficialYear:
    if not (isinstance(key, int) or (isinstance(key, str) and key.isdigit())) or not 1900 < int(key) < 2200:
        raise RecordError(path, _line(text, path, ("years",)), _("years: {key!r} is not a year").format(key=key))
    year = int(key)
    where = f"years.{year}"

    def fail(problem: str, *keys: str) -> RecordError:
        return RecordError(path, _line(text, path, ("years", year, *keys)), f"{where}{'.' if keys else ''}"
                           f"{'.'.join(keys)}: {problem}")

    if not isinstance(body, dict):
        raise fail(_("expected notice, days_off and working_days"))
    unknown = sorted(str(k) for k in body if k not in _YEAR_KEYS)
    if unknown:
        raise fail(_("unknown key {value!r} (known: {names})").format(value=unknown[0], names=', '.join(_YEAR_KEYS)))
    for name in ("notice", "document", "signed"):
        if body.get(name) is not None and not isinstance(body.get(name), str | int | date):
            raise fail(_("expected text"), name)
    lists: dict[str, dict[date, str | None]] = {}
    for name in ("days_off", "working_days"):
        try:
            lists[name] = parse_dates(body.get(name), f"{where}.{name}")
        except PolicyDateError as error:
            raise RecordError(path, _line(text, path, ("years", year, name)), error.message) from None
        stray = sorted(day for day in lists[name] if day.year != year and not (day.year == year - 1 and day.month == 12))
        if stray:
            raise fail(_("{value} is not in {year} (or the December before, for the New Year)").format(value=stray[0], year=year), name)
    both = sorted(set(lists["days_off"]) & set(lists["working_days"]))
    if both:
        raise fail(_("{value} is both a day off and a working day").format(value=both[0]))
    notice = str(body["notice"]) if body.get("notice") else None
    source = f"{path} ({notice})" if notice else f"{path} {where}"
    return OfficialYear(year, DeclaredYear(year, lists["days_off"], lists["working_days"], source), notice)


def _line(text: str, path: str, keys: tuple[object, ...]) -> int | None:
    """The line of a key path in the file (1-based), for error messages; None if it cannot be found."""
    try:
        node: Any = load_editable(text, path)
    except RecordError:
        return None
    line = None
    for key in keys:
        candidates = [key, str(key)] + ([int(key)] if isinstance(key, str) and key.isdigit() else [])
        for candidate in candidates:
            try:
                line = node.lc.key(candidate)[0] + 1
                node = node[candidate]
                break
            except (AttributeError, KeyError, TypeError):
                continue
        else:
            break
    return line


class OfficialData(Struct, frozen=True, dict=True):
    """Every country file of the work tree, and the official days they give each country."""

    files: tuple[OfficialFile, ...] = ()

    def file(self, country: str) -> OfficialFile | None:
        return next((found for found in self.files if found.country == country.upper()), None)

    @cached_property
    def countries(self) -> dict[str, OfficialDays]:
        """Country code -> its official days: the package's data with this repository's years over it."""
        result: dict[str, OfficialDays] = {}
        for country in COUNTRIES:
            base = official_days(country)
            assert base is not None
            found = self.file(country)
            result[country] = AddedDays(base, tuple(y.days for y in found.years)) if found else base
        return result

    @property
    def version(self) -> str:
        """The holiday data every cached clock depends on: the package's version and each file's."""
        return " ".join([data_version(), *(f"{found.path}@{found.version[:12]}" for found in self.files)])


def load_official(root: Path) -> OfficialData:
    """The official-days files of the work tree at `root` (none: the package's data alone)."""
    folder = root / OFFICIAL_FOLDER
    if not folder.is_dir():
        return OfficialData()
    files = []
    for path in sorted(folder.glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise RecordError(rel, None, _("the file is not UTF-8 text")) from None
        files.append(parse_official(text, rel))
    return OfficialData(tuple(files))


# -- writing a year ----------------------------------------------------------------


def with_notice(existing: str | None, country: str, notice: Notice) -> str:
    """The text of the country's file with the notice's year written in (replacing that year if present);
    comments and the other years stay as they are."""
    if existing is None or not existing.strip():
        data = new_map({"country": country.upper(), "years": new_map({})})
        prefix = HEADER.format(country=country.upper(), name=COUNTRY_NAMES.get(country.upper(), country.upper()))
    else:
        data = load_editable(existing, official_path(country))
        prefix = ""
        if data.get("years") is None:
            data["years"] = new_map({})
    years = data["years"]
    entry = new_map({"notice": notice.title})
    if notice.document:
        entry["document"] = notice.document
    if notice.signed:
        entry["signed"] = notice.signed.isoformat()
    entry["days_off"] = _runs(notice.days_off)
    entry["working_days"] = _runs(notice.working_days)
    if notice.year in years:
        years[notice.year] = entry
    else:
        position = sum(1 for key in years if int(key) < notice.year)
        years.insert(position, notice.year, entry)
    return prefix + dump(data)


def _runs(days: Mapping[date, str]) -> Any:
    """{date: festival} as consecutive runs of one festival: 2027-02-05..2027-02-12: 春节."""
    result = new_map({})
    ordered = sorted(days)
    index = 0
    while index < len(ordered):
        first = last = ordered[index]
        while index + 1 < len(ordered) and ordered[index + 1] == last + timedelta(days=1) \
                and days[ordered[index + 1]] == days[first]:
            index += 1
            last = ordered[index]
        key = first.isoformat() if first == last else f"{first.isoformat()}..{last.isoformat()}"
        result[key] = days[first]
        index += 1
    return result


# -- what the calendars have, and what is missing ---------------------------------------


class YearSpan(Struct, frozen=True):
    """Consecutive years whose official days come from one place."""

    first: int
    last: int
    source: str  # "chinese-calendar 1.11.0", "calendars/official/CN.yaml (国务院办公厅关于…)", "policy calendars…"

    def __str__(self) -> str:
        years = str(self.first) if self.first == self.last else f"{self.first}–{self.last}"
        return f"{years} from {self.source}"


class CalendarData(Struct, frozen=True):
    """Where a calendar's official days come from, year by year (`casefile calendar status`)."""

    name: str
    country: str | None  # None: 7x24, or `holidays: none` (the desk's own week)
    always: bool
    spans: tuple[YearSpan, ...] = ()
    extra_days_off: int = 0
    extra_working_days: int = 0


def calendar_data(calendar: WorkCalendar) -> CalendarData:
    extra = (len(calendar.extra_days_off), len(calendar.extra_working_days))
    if calendar.always or calendar.official is None:
        return CalendarData(calendar.name, None, calendar.always, (), *extra)
    own = {declared.year: declared.source for declared in calendar.years}
    years = sorted({*calendar.official.known_years(), *own})
    spans: list[YearSpan] = []
    for year in years:
        source = own.get(year) or calendar.official.source_of(year)
        if own.get(year):
            source += " (replaces the official days for this calendar)"
        if spans and spans[-1].source == source and spans[-1].last == year - 1:
            spans[-1] = YearSpan(spans[-1].first, year, source)
        else:
            spans.append(YearSpan(year, year, source))
    return CalendarData(calendar.name, calendar.official.country, False, tuple(spans), *extra)


class MissingOfficialYear(Struct, frozen=True):
    """A year the desk's calendars need and have no official days for."""

    country: str
    year: int
    calendars: tuple[str, ...]
    publisher: str
    this_year: bool  # the year of now: clocks that reach into it cannot be computed already

    @property
    def key(self) -> str:
        return f"official-days/{self.country}/{self.year}"

    def text(self) -> str:
        message = N_("the official days of {year} (this year) for {country} are missing ({calendars}): "
                     "clocks that reach into {year} cannot be computed until they are in") if self.this_year else \
            N_("the official days of {year} (next year) for {country} are missing ({calendars}): "
               "clocks that reach into {year} cannot be computed until they are in")
        calendars = ngettext("calendar {names}", "calendars {names}", len(self.calendars)).format(
            names=", ".join(self.calendars))
        return _(message).format(year=self.year, country=self.country, calendars=calendars)

    @property
    def fix(self) -> str:
        return _("{publisher}; when the notice is out: {command}").format(publisher=self.publisher,
                                                                          command=IMPORT_COMMAND)


def missing_years(policy: Policy, today: date) -> list[MissingOfficialYear]:
    """This year, and from `desk.next_year_reminder` (default 1 December) next year, where a calendar of the
    policy has no official days for it."""
    years = [today.year]
    reminder = policy.next_year_reminder
    if reminder is not None and (today.month, today.day) >= reminder:
        years.append(today.year + 1)
    found = []
    for year in years:
        lacking: dict[str, list[WorkCalendar]] = {}
        for calendar in policy.calendars.values():
            if not calendar.has_year(year) and calendar.official is not None:
                lacking.setdefault(calendar.official.country, []).append(calendar)
        for country, calendars in lacking.items():
            found.append(MissingOfficialYear(country, year, tuple(c.name for c in calendars),
                                             calendars[0].official.publisher if calendars[0].official else "",
                                             year == today.year))
    return found
