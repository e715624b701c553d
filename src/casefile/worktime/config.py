"""Calendars from the policy: `calendars:` in policy.yaml read into `WorkCalendar`s, with every mistake
named by its key (`calendars.5x8.hours`); and the shipped defaults (SPEC 3: 7x24, 5x24, 5x8 in China).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from casefile.worktime.calendar import MONDAY_TO_FRIDAY, WEEKDAYS, CalendarError, WorkCalendar
from casefile.worktime.officialdays import DeclaredYear, OfficialDays, PolicyDateError, official_days, parse_dates
from casefile.worktime.spans import Opening
from casefile.i18n import _

DEFAULT_TIMEZONE = "Asia/Shanghai"  # SPEC 3: "the time zone is the desk's (default Asia/Shanghai)"
_HOURS_RE = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


_KEYS = {
    "timezone",
    "always",
    "holidays",
    "hours",
    "weekdays",
    "extra_days_off",
    "extra_working_days",
    "years",
}
_NOT_WITH_ALWAYS = _KEYS - {"timezone", "always"}


Official = Mapping[str, OfficialDays]  # country code -> its official days, as the repository has them


def calendars_from_policy(section: object, countries: Official | None = None) -> dict[str, WorkCalendar]:
    """Every calendar of a policy's `calendars:` mapping, by name.

    `countries` are the countries' official days as the repository has them (the package's data with
    the repository's own years, `policy.official`); without it, the package's data alone.
    """
    if not isinstance(section, Mapping):
        raise CalendarError(_("calendars: expected a mapping of calendar names, got {section!r}").format(section=section))
    return {str(name): calendar_from_policy(str(name), body, countries) for name, body in section.items()}


def calendar_from_policy(name: str, mapping: object, countries: Official | None = None) -> WorkCalendar:
    """Build one calendar from its policy mapping (plain dicts/lists/str as loaded from YAML).

    Keys (errors name them, e.g. ``calendars.5x8.hours``):

    ``timezone``
        IANA name, default ``Asia/Shanghai``.
    ``always: true``
        7x24: every instant counts; no other key but ``timezone`` allowed.
    ``holidays``
        ``CN`` (China's official days: the repository's ``calendars/official/CN.yaml``
        over chinese-calendar's data) or ``none``; required.
    ``hours``
        a list of ``"HH:MM-HH:MM"`` ranges (``24:00`` allowed as an end) for
        every day in ``weekdays``; or a mapping ``{mon: [...], …, sat: [...]}``
        per weekday (a missing day is closed) plus an optional ``workday``
        entry.  A make-up working day (调休) or extra working day uses the hours
        of a normal working day: the list, or ``workday``, or — when
        ``workday`` is absent — Monday–Friday's hours if they are all equal.
    ``weekdays``
        only with a list of hours; default ``[mon, tue, wed, thu, fri]``.
        With ``holidays: CN`` a listed day still closes on statutory holidays.
    ``extra_days_off`` / ``extra_working_days``
        dates, ``2026-10-01..2026-10-07`` ranges, or a mapping
        ``{date: name}``; they win over everything else.
    ``years``
        only with a country: ``{2027: {days_off: [...], working_days: [...]}}``
        (same date forms).  The desk's own replacement of a whole year for
        this calendar: Saturday and Sunday off, ``days_off`` off,
        ``working_days`` on; it wins over the official days.  A new year's
        official days belong in the repository's official-days file instead
        (`casefile calendar import-notice`), shared by every calendar and
        every policy version.

    Which wins for a date, most specific first: ``extra_days_off`` /
    ``extra_working_days``, then ``years``, then the repository's official-days
    file, then the package; a year none of them has is `MissingYear`.
    """
    where = f"calendars.{name}"
    if not isinstance(mapping, Mapping):
        raise CalendarError(_("{where}: expected a mapping, got {mapping!r}").format(where=where, mapping=mapping))
    unknown = sorted(str(key) for key in mapping if key not in _KEYS)
    if unknown:
        raise CalendarError(
            _("{where}: unknown key {value!r} (known: {names})").format(where=where, value=unknown[0], names=', '.join(sorted(_KEYS)))
        )
    zone = _timezone(mapping.get("timezone", DEFAULT_TIMEZONE), f"{where}.timezone")
    always = mapping.get("always", False)
    if not isinstance(always, bool):
        raise CalendarError(_("{where}.always: expected true or false, got {always!r}").format(where=where, always=always))
    if always:
        extra = sorted(key for key in _NOT_WITH_ALWAYS if key in mapping)
        if extra:
            raise CalendarError(
                _("{where}: `always: true` counts every minute; remove {names}").format(where=where, names=', '.join(extra))
            )
        return WorkCalendar(name, zone, always=True)
    official = _country(mapping.get("holidays"), f"{where}.holidays", countries)
    week, workday = _week(mapping, where)
    try:
        days_off = parse_dates(mapping.get("extra_days_off"), f"{where}.extra_days_off")
        working_days = parse_dates(mapping.get("extra_working_days"), f"{where}.extra_working_days")
        years = _years(mapping.get("years"), official, where)
    except PolicyDateError as error:
        raise CalendarError(error.message) from None
    _no_overlap(days_off, working_days, f"{where}: extra_days_off and extra_working_days")
    if workday is None and (official is not None or working_days):
        raise CalendarError(
            _("{where}.hours: the weekday hours differ, so add a `workday` entry with the hours of a make-up or extra working day").format(where=where)
        )
    if not any(week) and not working_days:
        raise CalendarError(_("{where}: no working hours on any day of the week").format(where=where))
    return WorkCalendar(
        name,
        zone,
        week=week,
        workday_hours=workday or (),
        official=official,
        years=years,
        extra_days_off=tuple(sorted(days_off.items())),
        extra_working_days=tuple(sorted(working_days.items())),
    )


def _timezone(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise CalendarError(_("{where}: expected a time zone name like Asia/Shanghai, got {value!r}").format(where=where, value=value))
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise CalendarError(
            _("{where}: unknown time zone {value!r} (e.g. Asia/Shanghai, Europe/Berlin)").format(where=where, value=value)
        ) from None
    return value


def _country(value: object, where: str, known: Official | None) -> OfficialDays | None:
    if value is None:
        raise CalendarError(
            _("{where}: say `holidays: CN` for China's official days, or `holidays: none`").format(where=where)
        )
    if not isinstance(value, str):
        raise CalendarError(_("{where}: expected a country code (CN) or none, got {value!r}").format(where=where, value=value))
    if value.strip().lower() == "none":
        return None
    official = (known or {}).get(value.strip().upper()) or official_days(value.strip())
    if official is None:
        raise CalendarError(
            _("{where}: unknown country {value!r} (known: CN, none; for other countries use none with extra_days_off)").format(where=where, value=value)
        )
    return official


def _week(
    mapping: Mapping[object, object], where: str
) -> tuple[tuple[tuple[Opening, ...], ...], tuple[Opening, ...] | None]:
    """Opening hours per weekday, and the hours of a make-up working day (None: undecidable)."""
    hours = mapping.get("hours")
    if hours is None:
        raise CalendarError(_("{where}.hours: missing (e.g. hours: [\"09:00-12:00\", \"13:00-18:00\"])").format(where=where))
    if isinstance(hours, Mapping):
        if "weekdays" in mapping:
            raise CalendarError(
                _("{where}: give either `weekdays` with a list of hours, or hours per weekday").format(where=where)
            )
        return _week_from_mapping(hours, f"{where}.hours")
    openings = _openings(hours, f"{where}.hours")
    weekdays = _weekday_names(mapping.get("weekdays", list(MONDAY_TO_FRIDAY)), f"{where}.weekdays")
    return tuple(openings if day in weekdays else () for day in WEEKDAYS), openings


def _week_from_mapping(
    hours: Mapping[object, object], where: str
) -> tuple[tuple[tuple[Opening, ...], ...], tuple[Opening, ...] | None]:
    unknown = sorted(str(key) for key in hours if key not in (*WEEKDAYS, "workday"))
    if unknown:
        raise CalendarError(_("{where}: unknown day {value!r} (use mon, tue, … sun, workday)").format(where=where, value=unknown[0]))
    week = tuple(_openings(hours.get(day) or [], f"{where}.{day}") for day in WEEKDAYS)
    if "workday" in hours:
        return week, _openings(hours["workday"], f"{where}.workday")
    # Without `workday`, a make-up day can only borrow Monday–Friday hours if they agree.
    weekday_hours = set(week[:5])
    return week, weekday_hours.pop() if len(weekday_hours) == 1 and week[0] else None


def _weekday_names(value: object, where: str) -> set[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(day, str) for day in value):
        raise CalendarError(
            _("{where}: expected a list like [mon, tue, wed, thu, fri], got {value!r}").format(where=where, value=value)
        )
    names = {day.strip().lower()[:3] for day in value}
    unknown = sorted(names - set(WEEKDAYS))
    if unknown:
        raise CalendarError(
            _("{where}: unknown weekday {value!r} (use mon, tue, wed, thu, fri, sat, sun)").format(where=where, value=unknown[0])
        )
    return names


def _openings(value: object, where: str) -> tuple[Opening, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise CalendarError(
            _("{where}: expected a list like [\"09:00-12:00\", \"13:00-18:00\"], got {value!r}").format(where=where, value=value)
        )
    openings = sorted(_opening(item, where) for item in items)
    merged: list[Opening] = []
    for opening in openings:
        if merged and opening.start < merged[-1].end:
            raise CalendarError(_("{where}: {value} overlaps {opening}").format(where=where, value=merged[-1], opening=opening))
        if merged and opening.start == merged[-1].end:
            merged[-1] = Opening(merged[-1].start, opening.end)  # 09:00-12:00 + 12:00-13:00
        else:
            merged.append(opening)
    return tuple(merged)


def _opening(item: object, where: str) -> Opening:
    match = _HOURS_RE.fullmatch(item.strip()) if isinstance(item, str) else None
    if match is None:
        raise CalendarError(
            _("{where}: {item!r} is not a time range like \"09:00-12:00\" (quote it in YAML)").format(where=where, item=item)
        )
    start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
    start, end = start_h * 60 + start_m, end_h * 60 + end_m
    if start_h > 23 or end_h > 24 or start_m > 59 or end_m > 59 or end > 1440:
        raise CalendarError(_("{where}: {item!r} is not a time of day (00:00 to 24:00)").format(where=where, item=item))
    if end <= start:
        raise CalendarError(
            _("{where}: {item!r} ends before it starts (a night shift is two ranges: 22:00-24:00 and 00:00-06:00)").format(where=where, item=item)
        )
    return Opening(start, end)


def _years(value: object, official: OfficialDays | None, where: str) -> tuple[DeclaredYear, ...]:
    if not value:
        return ()
    if official is None:
        raise CalendarError(
            _("{where}.years: only for a calendar with official holidays; use extra_days_off").format(where=where)
        )
    if not isinstance(value, Mapping):
        raise CalendarError(
            _("{where}.years: expected a mapping like {{2027: {{days_off: [...], working_days: [...]}}}}").format(where=where)
        )
    return tuple(
        sorted(
            (_declared_year(key, body, where) for key, body in value.items()), key=lambda y: y.year
        )
    )


def _declared_year(key: object, body: object, where: str) -> DeclaredYear:
    if not (isinstance(key, int) or (isinstance(key, str) and key.isdigit())):
        raise CalendarError(_("{where}.years: {key!r} is not a year").format(where=where, key=key))
    year = int(key)
    here = f"{where}.years.{year}"
    if not isinstance(body, Mapping):
        raise CalendarError(_("{here}: expected days_off and working_days, got {body!r}").format(here=here, body=body))
    unknown = sorted(str(k) for k in body if k not in ("days_off", "working_days"))
    if unknown:
        raise CalendarError(_("{here}: unknown key {value!r} (known: days_off, working_days)").format(here=here, value=unknown[0]))
    days_off = parse_dates(body.get("days_off"), f"{here}.days_off")
    working_days = parse_dates(body.get("working_days"), f"{here}.working_days")
    for listed, name in ((days_off, "days_off"), (working_days, "working_days")):
        stray = sorted(day for day in listed if day.year != year)
        if stray:
            raise CalendarError(_("{here}.{name}: {value} is not in {year}").format(here=here, name=name, value=stray[0], year=year))
    _no_overlap(days_off, working_days, f"{here}: days_off and working_days")
    return DeclaredYear(year, days_off, working_days, source=f"policy {here}")


def _no_overlap(first: Mapping[date, object], second: Mapping[date, object], where: str) -> None:
    both = sorted(set(first) & set(second))
    if both:
        raise CalendarError(_("{where} both list {value}").format(where=where, value=both[0]))


# -- shipped defaults (SPEC 3: 7x24, 5x24, 5x8 in China) --------------------

DEFAULT_CALENDARS_YAML = """\
calendars:
  # Level A/B coverage: every minute counts, holidays included.
  7x24:
    timezone: Asia/Shanghai
    always: true
  # Level C coverage: whole official working days (China, with 调休 make-up days).
  5x24:
    timezone: Asia/Shanghai
    holidays: CN
    hours: ["00:00-24:00"]
  # Level D coverage and online service: working hours on official working days.
  5x8:
    timezone: Asia/Shanghai
    holidays: CN
    hours: ["09:00-12:00", "13:00-18:00"]
    extra_days_off: []
    extra_working_days: []
    # The desk's own replacement of a whole year for this calendar (wins over the
    # official days; a new year's official days go in calendars/official/CN.yaml:
    # casefile calendar import-notice NOTICE.txt --commit):
    # years:
    #   2027:
    #     days_off: ["2027-01-01", "2027-02-05..2027-02-11"]
    #     working_days: ["2027-02-14"]
    years: {}
"""

DEFAULT_CALENDARS: Mapping[str, Mapping[str, object]] = {
    "7x24": {"timezone": "Asia/Shanghai", "always": True},
    "5x24": {"timezone": "Asia/Shanghai", "holidays": "CN", "hours": ["00:00-24:00"]},
    "5x8": {
        "timezone": "Asia/Shanghai",
        "holidays": "CN",
        "hours": ["09:00-12:00", "13:00-18:00"],
        "extra_days_off": [],
        "extra_working_days": [],
        "years": {},
    },
}
